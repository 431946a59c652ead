"""A second person walks across the frame in front of the runner (issue 22's bystander tests): the treadmill
clip with a passer-by made from the runner's own pixels (tests/support/crossing.py) entering on the left two
seconds in, hiding the runner for about half a second, and leaving on the right.

Each run goes the whole way from frames to contacts (``track_frames`` → ``assemble_pose``, which picks the runner
from the whole clip → ``analyze_pose``) and is held to the same run without the passer-by. Frames are compared in
the pixels the trackers saw (640 px high): a frame of the chosen track is the runner's when its landmarks are
within :data:`SAME_PX` (median) of the solo run's, and the passer-by's when they are closer to where the passer-by's
landmarks were pasted than to the runner's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pytest

from gait import AnalysisConfig
from gait.core import landmarks as L
from gait.core.types import GaitReport, PoseSequence, VideoInfo
from tests.support.crossing import Crossing, passer_xy, with_passer_by
from tests.support.paths import TREADMILL, clip

#: frames decoded at this size (the trackers' own decoding size is larger; this keeps the test cheap)
MAX_SIDE_PX = 640
#: the passer-by enters at 2 s and takes 2 s from one edge of the picture to the other
CROSSING = Crossing(enter=60, frames=60)
#: a chosen frame within this (median over landmarks, px at MAX_SIDE_PX) of the solo run's is the runner's
SAME_PX = 15.0
#: contacts this close (frames) to a frame where the passer-by overlaps the runner are not compared
MARGIN_FRAMES = 6


@dataclass(frozen=True)
class Run:
    """One run of the whole path: the chosen runner's pose (pixels of the decoded frames) and its report."""

    xy: np.ndarray  # (n, 33, 2), NaN where no one was chosen
    report: GaitReport


@dataclass(frozen=True)
class Scene:
    """The clip without and with the passer-by, where the passer-by is, and when they overlap the runner."""

    images: list[np.ndarray]
    crossed: list[np.ndarray]
    info: VideoInfo
    solo: Run
    passer: list[np.ndarray | None]  # the passer-by's pasted landmarks per frame
    overlap: np.ndarray  # frames where the passer-by's box overlaps the runner's


def _run(info: VideoInfo, images: list[np.ndarray], max_people: int, engine: str = "litert") -> Run:
    """Follow ``images`` with an engine (our LiteRT loop by default), choose the runner from the whole clip,
    detect their contacts."""
    from gait.capture.pose import assemble_pose, detect_frames
    from gait.capture.video import Frame
    from gait.pipeline import analyze_pose

    frames = [Frame(k, k / info.effective_fps, im) for k, im in enumerate(images)]
    pose: PoseSequence = assemble_pose(info, detect_frames(info, frames, "full", max_people, engine=engine), "full")
    report, _ = analyze_pose(pose, info, AnalysisConfig(engine=engine))
    to_frame = np.array([images[0].shape[1] / info.width, images[0].shape[0] / info.height])
    return Run(pose.image_xy_px * to_frame, report)


def _boxes_overlap(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(a[:, 0].min() < b[:, 0].max() and b[:, 0].min() < a[:, 0].max())


def make_scene() -> Scene:
    """The treadmill clip without and with the passer-by, and the solo run."""
    from gait.capture.probe import probe_video
    from gait.capture.video import iter_frames

    info = probe_video(clip(TREADMILL))
    images = [f.rgb for f in iter_frames(info, max_side_px=MAX_SIDE_PX)]
    info = dataclasses.replace(info, n_frames=len(images), duration_s=len(images) / info.effective_fps)
    solo = _run(info, images, max_people=2)
    runner = [None if np.isnan(xy).any() else xy for xy in solo.xy]
    width = images[0].shape[1]
    passer = [passer_xy(runner, k, CROSSING, width) for k in range(len(images))]
    overlap = np.array(
        [p is not None and r is not None and _boxes_overlap(p, r) for p, r in zip(passer, runner, strict=True)]
    )
    return Scene(images, with_passer_by(images, runner, CROSSING), info, solo, passer, overlap)


@pytest.fixture(scope="module")
def scene() -> Scene:
    """:func:`make_scene`, once for the module."""
    return make_scene()


def _whose(scene: Scene, run: Run) -> list[str]:
    """Per frame of the chosen track: ``R`` the runner, ``P`` the passer-by, ``?`` neither, ``-`` no one."""
    out = []
    for k, xy in enumerate(run.xy):
        if np.isnan(xy).all():
            out.append("-")
            continue
        to_runner = float(np.median(np.linalg.norm(xy - scene.solo.xy[k], axis=1)))
        p = scene.passer[k]
        to_passer = float(np.median(np.linalg.norm(xy - p, axis=1))) if p is not None else np.inf
        out.append("P" if to_passer < to_runner else "R" if to_runner <= SAME_PX else "?")
    return out


def _contacts_away(scene: Scene, report: GaitReport) -> list[tuple[str, int]]:
    """The contacts (foot, frame) further than :data:`MARGIN_FRAMES` from every frame where the two overlap."""
    near = np.flatnonzero(scene.overlap)
    lo, hi = int(near.min()) - MARGIN_FRAMES, int(near.max()) + MARGIN_FRAMES
    return [(e.foot, e.frame) for e in report.events if e.kind == "contact" and not lo <= e.frame <= hi]


def _contacts_match(a: list[tuple[str, int]], b: list[tuple[str, int]]) -> bool:
    return len(a) == len(b) and all(fa == fb and abs(ka - kb) <= 1 for (fa, ka), (fb, kb) in zip(a, b, strict=True))


def test_the_passer_by_hides_the_runner_and_leaves(scene: Scene) -> None:
    """The scene is what it says: the passer-by is in the picture only while crossing, overlaps the runner for a
    while in the middle of it, and is larger than the runner (nearer the camera); the solo run is the runner
    throughout."""
    in_view = [k for k, p in enumerate(scene.passer) if p is not None]
    assert in_view[0] == CROSSING.enter and in_view[-1] == CROSSING.enter + CROSSING.frames
    overlap = np.flatnonzero(scene.overlap)
    assert len(overlap) >= 15 and overlap.min() > CROSSING.enter and overlap.max() < in_view[-1]
    first = scene.passer[int(overlap[0])]
    assert first is not None and np.ptp(first[:, 1]) > 1.1 * np.ptp(scene.solo.xy[int(overlap[0])][:, 1])
    assert not np.isnan(scene.solo.xy).any()
    changed = [k for k in range(len(scene.images)) if not np.array_equal(scene.images[k], scene.crossed[k])]
    assert changed and changed[0] >= CROSSING.enter and changed[-1] <= CROSSING.enter + CROSSING.frames
    # the cut-out is a person to the pose detector: found where pasted, in view on either side of the runner
    before, after = range(overlap.min() - 8, overlap.min()), range(overlap.max() + 1, in_view[-1] - 8)
    assert _found_by_the_detector(scene, before) >= 2 and _found_by_the_detector(scene, after) >= 2


def _found_by_the_detector(scene: Scene, frames: range) -> int:
    """In how many of ``frames`` the pose detector finds a person whose hips are where the passer-by's were pasted
    (within a tenth of the person's crop)."""
    from gait.capture.engine_litert import BlazePose

    net, found = BlazePose(), 0
    for k in frames:
        p = scene.passer[k]
        assert p is not None
        hips = (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2
        rois = [roi for roi, _ in net.detect(scene.crossed[k])]
        found += any(np.hypot(roi.cx_px - hips[0], roi.cy_px - hips[1]) < 0.1 * roi.side_px for roi in rois)
    return found


@pytest.mark.parametrize("engine", ["litert", "mediapipe"])
def test_a_one_person_tracker_gives_the_runners_frames_to_the_passer_by(scene: Scene, engine: str) -> None:
    """The probe that the scene can fail: followed by one track only (``max_people=1``, our loop or MediaPipe's),
    the runner's track is taken by the passer-by as they pass in front, and the chosen pose holds the passer-by's
    landmarks."""
    whose = _whose(scene, _run(scene.info, scene.crossed, max_people=1, engine=engine))
    assert whose.count("P") >= 5, "".join(whose)


@pytest.fixture(scope="module")
def crossed(scene: Scene) -> Run:
    """Our loop (``max_people=2``) with whole-clip choice on the clip with the passer-by."""
    return _run(scene.info, scene.crossed, max_people=2)


def test_someone_crossing_in_front_never_takes_the_runners_frames(scene: Scene, crossed: Run) -> None:
    """Our loop (``max_people=2``) with whole-clip choice: no frame of the chosen runner holds the passer-by's
    landmarks; while the two overlap the runner may be missing or half-read, but before and after every frame is
    the runner's."""
    whose = _whose(scene, crossed)
    overlap = np.flatnonzero(scene.overlap)
    assert "P" not in whose, "".join(whose)
    assert set(whose[: overlap.min()] + whose[overlap.max() + 1 :]) == {"R"}, "".join(whose)


def test_someone_crossing_in_front_leaves_the_runners_contacts(scene: Scene, crossed: Run) -> None:
    """The contacts away from the crossing are the solo run's (±1 frame, same feet). Before crops were snapped to a
    grid (``gait.capture.engine_litert.snapped``) the runner's crops after the crossing followed another path than
    in the solo run to the end of the clip, and a far foot's landing 180 frames later moved 2 frames (281 → 283)."""
    assert _contacts_match(_contacts_away(scene, crossed.report), _contacts_away(scene, scene.solo.report))
