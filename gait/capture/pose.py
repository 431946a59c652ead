"""Pose extraction: MediaPipe PoseLandmarker (Tasks API, VIDEO mode) over decoded frames → PoseSequence.

With more than one person in view every person is followed as a track (MediaPipe's poses: box overlap from frame
to frame; our loop's: its own track identities, pieces of one person joined, :func:`join_pieces`) and the runner is
the track that is longest, largest and most gait-like (legs alternating); frames where the runner is not detected
are NaN.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gait.capture.detections import POSE_MAX_SIDE_PX, RawDetections, prefetch
from gait.capture.models import DEFAULT_MODEL, model_label, resolve_model
from gait.capture.video import Frame, iter_frames
from gait.core import landmarks as L
from gait.core.errors import NoPersonError
from gait.core.landmarks import N_LANDMARKS
from gait.core.types import PoseSequence, VideoInfo

ProgressFn = Callable[[str, float], None]

MAX_POSES = 2
#: Another person counts as in view when followed for at least this long (s) ...
MIN_OTHER_PERSON_S = 0.5
#: ... with a box that overlaps the runner's by less than this on average (IoU): a blurred or half-seen runner
#: makes the landmarker report a second "person" on top of the first for a few frames; that is no one else.
MAX_GHOST_IOU = 0.3
#: pieces of one person's track (our loop's, see :func:`join_pieces`) join across a gap of up to this (s) ...
JOIN_MAX_GAP_S = 1.5
#: ... where the later piece begins within this (× box height) of where the earlier one's hips were heading ...
JOIN_PLACE_FRAC = 0.3
#: ... with a landmark box as high within this (|log ratio| of the median heights over up to :data:`JOIN_EDGE_S`
#: at the join; the treadmill runner's single-frame box height stays within 0.08 of its median)
JOIN_SIZE_LOG = 0.15
JOIN_EDGE_S = 0.5
#: the capture engines: our own loop on the bundle's models with LiteRT (:mod:`gait.capture.tracking`), or MediaPipe
# Tasks
ENGINES = ("litert", "mediapipe")
DEFAULT_ENGINE = "mediapipe"


def _noop(stage: str, fraction: float) -> None:
    return None


def _score(v: float | None) -> float:
    return float(v) if v is not None else np.nan


@contextlib.contextmanager
def quiet_native_logs() -> Iterator[None]:
    """Silence MediaPipe/TFLite's native log lines on stderr (set GAIT_DEBUG=1 to see them)."""
    if os.environ.get("GAIT_DEBUG"):
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (e.g. captured): nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def create_landmarker(
    model: str | os.PathLike[str] = DEFAULT_MODEL, num_poses: int = MAX_POSES, video: bool = True
) -> Any:
    """Create a PoseLandmarker (VIDEO mode, or IMAGE mode for single frames) for a model preset or path."""
    from mediapipe.tasks.python import BaseOptions
    from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

    path = resolve_model(model)
    options = PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(path)),
        running_mode=RunningMode.VIDEO if video else RunningMode.IMAGE,
        num_poses=num_poses,
        min_pose_detection_confidence=0.5,
        min_pose_presence_confidence=0.5,
        min_tracking_confidence=0.5,
    )
    return PoseLandmarker.create_from_options(options)


def _bbox(xy: np.ndarray) -> tuple[float, float, float, float]:
    return float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max())


def _iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / area if area > 0 else 0.0


@dataclass
class _Track:
    """A person followed across frames: per-frame candidate arrays and boxes."""

    frames: list[int] = field(default_factory=list)
    data: list[np.ndarray] = field(default_factory=list)  # (33, 9): img x, y, world x, y, z, vis, pres, ...
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)

    def score(self) -> float:
        """Long, large and walking/running-like tracks score high (see :func:`gait_likeness`)."""
        heights = [b[3] - b[1] for b in self.boxes]
        arr = np.asarray(self.data)
        return float(len(self.frames) * np.median(heights) * (0.25 + gait_likeness(arr[:, :, :2])))


def gait_likeness(xy: np.ndarray) -> float:
    """0 for a person standing or jumping with both feet together, up to ~0.5 for alternating legs (gait).

    Uses the horizontal distance between the ankles in leg lengths: in gait it swings from one sign to the other
    (the feet pass each other); in jumping jacks or standing it keeps one sign.
    """
    legs = np.linalg.norm(xy[:, L.LEFT_HIP] - xy[:, L.LEFT_KNEE], axis=1) + np.linalg.norm(
        xy[:, L.LEFT_KNEE] - xy[:, L.LEFT_ANKLE], axis=1
    )
    d = (xy[:, L.LEFT_ANKLE, 0] - xy[:, L.RIGHT_ANKLE, 0]) / np.maximum(legs, 1e-6)
    if d.size < 3:
        return 0.0
    return float(max(0.0, np.std(d) - abs(np.mean(d))))


def people_in_view(tracks: list[_Track], runner: _Track, min_frames: int) -> int:
    """The most people seen at once: the runner, and every other track followed for at least ``min_frames``
    frames whose box stays off the runner's (mean IoU below :data:`MAX_GHOST_IOU` where both are seen).

    A ghost (the landmarker's second reading of a blurred runner, a flicker on a poster) is not counted, so the
    "more than one person" warning means someone else was really there.
    """
    runner_box = dict(zip(runner.frames, runner.boxes, strict=True))
    others = []
    for tr in tracks:
        if tr is runner or len(tr.frames) < min_frames:
            continue
        shared = [_iou(b, runner_box[k]) for k, b in zip(tr.frames, tr.boxes, strict=True) if k in runner_box]
        if not shared or float(np.mean(shared)) < MAX_GHOST_IOU:
            others.append(set(tr.frames))
    if not others:
        return 1
    frames = set().union(*others)
    return 1 + max(sum(k in o for o in others) for k in frames)


def _link_tracks(per_frame: list[list[np.ndarray]], max_missing: int) -> list[_Track]:
    """Greedy IoU association of per-frame candidate poses into tracks."""
    tracks: list[_Track] = []
    active: list[int] = []
    for k, cands in enumerate(per_frame):
        boxes = [_bbox(c[:, :2]) for c in cands]
        taken: set[int] = set()
        for ti in list(active):
            tr = tracks[ti]
            if k - tr.frames[-1] > max_missing:
                active.remove(ti)
                continue
            ious = [(_iou(b, tr.boxes[-1]), j) for j, b in enumerate(boxes) if j not in taken]
            if ious:
                best, j = max(ious)
                if best > 0.2:
                    tr.frames.append(k)
                    tr.data.append(cands[j])
                    tr.boxes.append(boxes[j])
                    taken.add(j)
        for j, c in enumerate(cands):
            if j not in taken:
                tracks.append(_Track([k], [c], [boxes[j]]))
                active.append(len(tracks) - 1)
    return tracks


def _tracks_by_id(per_frame: list[list[np.ndarray]], ids: list[list[int]]) -> list[_Track]:
    """The tracks an engine followed itself (one per identity)."""
    tracks: dict[int, _Track] = {}
    for k, (cands, frame_ids) in enumerate(zip(per_frame, ids, strict=True)):
        for c, i in zip(cands, frame_ids, strict=True):
            tr = tracks.setdefault(i, _Track())
            tr.frames.append(k)
            tr.data.append(c)
            tr.boxes.append(_bbox(c[:, :2]))
    return list(tracks.values())


def _hips(tr: _Track, sl: slice) -> np.ndarray:
    xy = np.asarray(tr.data[sl])[:, :, :2]
    return np.asarray((xy[:, L.LEFT_HIP] + xy[:, L.RIGHT_HIP]) / 2, dtype=float)


def _continues(a: _Track, b: _Track, edge: int) -> float:
    """How far (× box height) piece ``b`` begins from where ``a``'s hips were heading; ``inf`` when the two
    differ in size (see :data:`JOIN_SIZE_LOG`)."""
    height_a = float(np.median([bx[3] - bx[1] for bx in a.boxes[-edge:]]))
    height_b = float(np.median([bx[3] - bx[1] for bx in b.boxes[:edge]]))
    if abs(np.log(max(height_b, 1e-6) / max(height_a, 1e-6))) > JOIN_SIZE_LOG:
        return float("inf")
    hips_a = _hips(a, slice(-edge, None))
    span = a.frames[-1] - a.frames[-len(hips_a)]
    vel = (hips_a[-1] - hips_a[0]) / span if span > 0 else np.zeros(2)
    expected = hips_a[-1] + vel * (b.frames[0] - a.frames[-1])
    return float(np.linalg.norm(_hips(b, slice(0, 1))[0] - expected)) / max(height_a, 1e-6)


def join_pieces(pieces: list[_Track], max_gap: int, edge: int) -> list[_Track]:
    """Pieces of one person's track joined into one: a person hidden for a while (behind someone crossing in
    front) or cut at a chunk seam comes back as a new piece that begins after the old one ends, where its hips
    were heading, at the same size. Each piece, in order of its start, continues the closest such earlier piece
    ending at most ``max_gap`` frames before (see :data:`JOIN_PLACE_FRAC`); ``edge``: frames compared at the
    join."""
    chains: list[_Track] = []
    for p in sorted(pieces, key=lambda t: t.frames[0]):
        ends = [c for c in chains if 0 < p.frames[0] - c.frames[-1] <= max_gap]
        cost = [(_continues(c, p, edge), i) for i, c in enumerate(ends)]
        best = min(cost, default=(float("inf"), -1))
        if best[0] <= JOIN_PLACE_FRAC:
            c = ends[best[1]]
            c.frames += p.frames
            c.data += p.data
            c.boxes += p.boxes
        else:
            chains.append(_Track(list(p.frames), list(p.data), list(p.boxes)))
    return chains


def detect_frames(
    info: VideoInfo,
    frames: Iterable[Frame],
    model: str | os.PathLike[str] = DEFAULT_MODEL,
    num_poses: int = MAX_POSES,
    progress: ProgressFn | None = None,
    engine: str = DEFAULT_ENGINE,
) -> RawDetections:
    """Run the landmarker over ``frames``; keep every person it finds.

    ``engine="mediapipe"``: MediaPipe Tasks' PoseLandmarker (VIDEO mode, container timestamps);
    ``engine="litert"``: our own loop (:func:`gait.capture.tracking.track_frames`)."""
    if engine == "litert":
        from gait.capture.tracking import track_frames

        return track_frames(info, frames, model, num_poses, progress)
    if engine != "mediapipe":
        raise ValueError(f"unknown pose engine {engine!r}: choose one of {', '.join(ENGINES)}")
    import mediapipe as mp

    progress = progress or _noop
    n_expected = max(info.n_frames, 1)
    w, h = info.width, info.height
    raw = RawDetections()
    last_ts_ms = -1
    scale = info.time_scale
    with quiet_native_logs(), create_landmarker(model, num_poses=num_poses) as landmarker:
        for k, frame in enumerate(frames):
            ts_ms = max(int(round(frame.time_s / scale * 1000.0)), last_ts_ms + 1)
            last_ts_ms = ts_ms
            result = landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=frame.rgb), ts_ms)
            poses = result.pose_landmarks or []
            raw.times.append(frame.time_s)
            raw.index.append(frame.index)
            raw.n_people_max = max(raw.n_people_max, len(poses))
            raw.candidates.append(
                [
                    np.array(
                        [
                            [lm.x * w, lm.y * h, q.x, q.y, q.z, _score(lm.visibility), _score(lm.presence)]
                            for lm, q in zip(p, wl, strict=True)
                        ],
                        dtype=np.float32,
                    )
                    for p, wl in zip(poses, result.pose_world_landmarks, strict=True)
                ]
            )
            if k % 10 == 0:
                progress("pose", min(1.0, (k + 1) / n_expected))
    return raw


def assemble_pose(info: VideoInfo, raw: RawDetections, model: str | os.PathLike[str]) -> PoseSequence:
    """Choose the runner among the tracked people and build the PoseSequence (NaN where they are not seen).

    Raises
    ------
    NoPersonError
        If no frame could be decoded or no person was found in any frame.
    """
    if not raw.times:
        raise NoPersonError(f"{info.path}: no frames could be decoded.")
    n = len(raw.times)
    data = np.full((n, N_LANDMARKS, 7), np.nan)
    fps = info.effective_fps
    if raw.track_ids is not None:  # our loop followed each person itself
        pieces = _tracks_by_id(raw.candidates, raw.track_ids)
        tracks = join_pieces(pieces, max(1, int(round(JOIN_MAX_GAP_S * fps))), max(1, int(round(JOIN_EDGE_S * fps))))
    else:
        tracks = _link_tracks(raw.candidates, max_missing=max(1, int(round(0.5 * fps))))
    n_people = 1 if tracks else 0
    if tracks:
        best = max(tracks, key=_Track.score)
        data[best.frames] = np.asarray(best.data, dtype=float)
        n_people = people_in_view(tracks, best, max(2, int(round(MIN_OTHER_PERSON_S * fps))))
    seq = PoseSequence(
        times_s=np.asarray(raw.times, dtype=float),
        frame_index=np.asarray(raw.index, dtype=np.int64),
        image_xy_px=data[:, :, 0:2].copy(),
        world_xyz_m=data[:, :, 2:5].copy(),
        visibility=data[:, :, 5].copy(),
        presence=data[:, :, 6].copy(),
        width=info.width,
        height=info.height,
        fps=info.effective_fps,
        n_people_max=n_people,
        model=model_label(model),
    )
    if not seq.detected.any():
        raise NoPersonError(
            f"{info.path}: no person was found in the video. Film the runner side-on with the "
            "whole body in frame, in good light."
        )
    return seq


def extract_pose(
    info: VideoInfo,
    model: str | os.PathLike[str] = DEFAULT_MODEL,
    progress: ProgressFn | None = None,
    frames: Iterable[Frame] | None = None,
    num_poses: int = MAX_POSES,
    engine: str = DEFAULT_ENGINE,
) -> PoseSequence:
    """Run the pose model on every frame of a video, in this process.

    Parameters
    ----------
    info : the probed video.
    model : ``lite``/``full``/``heavy`` or the path of a ``.task`` bundle.
    progress : called as ``progress("pose", fraction)`` as frames are processed.
    frames : frames to use instead of decoding ``info``.
    num_poses : people to track. Two by default, so a second person in view cannot capture the tracker (it
        costs ~40 % more than one: the detector then runs on every frame; ``1`` when the runner is alone).
    engine : ``litert`` (our loop) or ``mediapipe`` (MediaPipe Tasks), see :func:`detect_frames`.

    Returns
    -------
    PoseSequence
        One entry per decoded frame; NaN where no pose was found.

    Raises
    ------
    NoPersonError
        If no person is found in any frame.
    """
    source = frames if frames is not None else prefetch(iter_frames(info, max_side_px=POSE_MAX_SIDE_PX))
    raw = detect_frames(info, source, model, num_poses, progress, engine)
    (progress or _noop)("pose", 1.0)
    return assemble_pose(info, raw, model)
