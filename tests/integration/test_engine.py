"""Our capture engine (``--engine litert``, gait/capture/tracking.py + gait/capture/engine_litert.py) on real
footage: it
reproduces MediaPipe's landmarks given MediaPipe's crop, and bystanders never capture the runner's track."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gait import AnalysisConfig
from gait.workflows.accuracy import agree_events
from gait.workflows.labelfile import load_labels
from tests.support import corpus
from tests.support.caches import ClipCache, PoseCache
from tests.support.cli import analyse_ok
from tests.support.paths import ROOT, TREADMILL, TREADMILL_CADENCE_SPM, WALKING, clip


def _frames(video: Path, end_s: float, step: int = 1, max_side_px: int = 1280) -> list:
    from gait.capture.probe import probe_video
    from gait.capture.video import iter_frames

    return list(iter_frames(probe_video(video), max_side_px=max_side_px, end_s=end_s))[::step]


def test_our_engine_given_mediapipes_crop_reproduces_its_landmarks() -> None:
    """MediaPipe in IMAGE mode crops where its detector says (no tracking, no smoothing); our detector and landmark
    code following the same crop rule (rotation from the alignment points, ``upright_max_deg=None``, not snapped to
    a grid) give the same landmarks within 1 px (median over frames and landmarks)."""
    import mediapipe as mp

    from gait.capture.engine_litert import BlazePose
    from gait.capture.pose import create_landmarker, quiet_native_logs

    frames = _frames(clip(TREADMILL), end_s=4.0, step=10)
    ours = BlazePose(upright_max_deg=None, snap=False)
    errors, world_errors = [], []
    with quiet_native_logs(), create_landmarker("full", num_poses=1, video=False) as landmarker:
        for f in frames:
            ref = landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=f.rgb))
            h, w = f.rgb.shape[:2]
            ref_xy = np.array([[p.x * w, p.y * h] for p in ref.pose_landmarks[0]])
            ref_world = np.array([[p.x, p.y, p.z] for p in ref.pose_world_landmarks[0]])
            found = ours.detect(f.rgb)
            assert found, f.index
            res = ours.landmarks(f.rgb, found[0][0])
            errors.append(np.linalg.norm(res.data[:, :2] - ref_xy, axis=1))
            world_errors.append(np.abs(res.data[:, 2:5] - ref_world))
    assert len(errors) == 12
    assert float(np.median(errors)) <= 1.0, np.median(errors, axis=1)
    assert float(np.median(world_errors)) <= 0.01


def test_walking_clip_keeps_its_contacts_with_the_man_on_the_box(pose_cache: PoseCache) -> None:
    """The walking clip: a man stands on a box, seen by the detector before the walker enters; the walker is
    chosen and keeps her contacts (labels/walking_side_outdoor_sports2d.events.json). The detector sees her entering
    in frame 59 only, then from frame 74: at the default cadence (every 5 frames) her track starts at frame 75 and
    her landing at frame 61 was lost (6/8 contacts); following her back over the frames kept (the look-back of
    gait/capture/tracking.py) times it (docs/ACCURACY.md)."""
    report, clean = pose_cache.analyze(clip(WALKING), AnalysisConfig(engine="litert"))
    labels = load_labels(ROOT / "labels" / "walking_side_outdoor_sports2d.events.json")
    a = agree_events(report, labels, clean.pose.times_s, clean.pose.frame_index, "contact")
    assert a is not None and a.matched >= 7 and not a.extra and a.median_abs_frames <= 1.0, a
    assert clean.pose.n_people_max >= 2
    walker_x = clean.pose.image_xy_px[clean.pose.detected, 0, 0]
    assert walker_x[0] > 0.6 * clean.pose.width  # the walker (entering on the right), not the man on the box


def test_two_runners_side_by_side(tmp_path: Path, pose_cache: PoseCache, clip_cache: ClipCache) -> None:
    """The generated two-runner clip (the treadmill runner and its mirror image side by side): both followed,
    one chosen, its cadence right, and the warning that more than one person was in view."""
    video = clip_cache.make(
        corpus.transcode, tmp_path, clip(TREADMILL), "two.mp4", transform=lambda im: np.hstack([im, im[:, ::-1]])
    )
    report = analyse_ok(video, tmp_path / "two", "--engine", "litert", pose_cache=pose_cache)
    assert report["activity"] == "running"
    assert abs(report["metrics"]["cadence_spm"]["value"] - TREADMILL_CADENCE_SPM) <= 1.5
    assert any("More than one person" in w for w in report["quality"]["warnings"])


def _with_second_person(frames: list, enter: int) -> list:
    """The runner on the left half of a double-width frame; from frame ``enter`` on, a second person (the same
    runner half a second later, mirrored) on the right half, sliding left towards the runner."""
    from gait.capture.video import Frame

    out = []
    h, w = frames[0].rgb.shape[:2]
    lag = 15
    for k, f in enumerate(frames):
        canvas = np.zeros((h, 2 * w, 3), np.uint8)
        canvas[:, :w] = f.rgb
        if k >= enter:
            other = frames[(k + lag) % len(frames)].rgb[:, ::-1]
            shift = min(w // 3, (k - enter) * 4)
            canvas[:, w - shift : 2 * w - shift] = np.maximum(canvas[:, w - shift : 2 * w - shift], other)
        out.append(Frame(f.index, f.time_s, canvas))
    return out


def test_a_second_person_entering_mid_clip_is_tracked_without_taking_the_runner() -> None:
    """A second person appears at frame 60: our loop starts a track for them at its next detection and the runner's
    own track carries on with the same landmarks as without the bystander."""
    from gait.capture.tracking import DETECT_EVERY_FRAMES, Tracker

    frames = _frames(clip(TREADMILL), end_s=5.0, max_side_px=640)
    enter = 60
    both = _with_second_person(frames, enter)
    alone, tracker = Tracker(max_people=2), Tracker(max_people=2)
    counts, runner_err = [], []
    for k, (f, g) in enumerate(zip(frames, both, strict=True)):
        solo = alone.step(f.rgb)
        seen = tracker.step(g.rgb)
        counts.append(len(seen))
        if solo and k >= enter:
            left = [s for s in seen if np.nanmedian(s[:, 0]) < f.rgb.shape[1]]
            assert left, k  # the runner is still followed
            runner_err.append(float(np.median(np.linalg.norm(left[0][:, :2] - solo[0][:, :2], axis=1))))
    assert max(counts[:enter]) == 1
    first_two = next(k for k, c in enumerate(counts) if c == 2)
    assert enter <= first_two <= enter + DETECT_EVERY_FRAMES + 1, counts
    assert sum(c == 2 for c in counts[first_two:]) >= 0.9 * len(counts[first_two:]), counts
    assert float(np.median(runner_err)) <= 3.0, runner_err


def test_a_person_the_detector_finds_late_is_followed_back_to_where_they_entered() -> None:
    """A second person appears at frame 65 and the detector (every 30 frames here) first sees them at frame 90: the
    look-back follows them back over the frames kept, so their track starts where they entered, its earlier frames
    in time order in the output with its own identity, the runner's track untouched."""
    from dataclasses import replace

    from gait.capture.probe import probe_video
    from gait.capture.tracking import track_frames

    info = probe_video(clip(TREADMILL))
    frames = _frames(clip(TREADMILL), end_s=4.0, max_side_px=640)
    enter = 65
    both = _with_second_person(frames, enter)
    raw = track_frames(replace(info, width=2 * info.width), both, max_people=2, detect_every=30)
    assert raw.track_ids is not None and list(raw.index) == [f.index for f in both]
    assert [len(c) for c in raw.candidates] == [len(i) for i in raw.track_ids]
    runner = raw.track_ids[0][0]
    assert all(runner in ids for ids in raw.track_ids), raw.track_ids  # the runner followed throughout
    second = [k for k, ids in enumerate(raw.track_ids) if any(i != runner for i in ids)]
    assert enter <= second[0] <= enter + 2, second
    assert second == list(range(second[0], len(both))), second  # one unbroken stretch from their entry
    assert len({i for ids in raw.track_ids[second[0] :] for i in ids if i != runner}) == 1
    for k in second:  # the second person on the right, the runner on the left
        xs = {i: float(np.nanmedian(c[:, 0])) for i, c in zip(raw.track_ids[k], raw.candidates[k], strict=True)}
        other = next(x for i, x in xs.items() if i != runner)
        assert xs[runner] < info.width < other, (k, xs)


def test_landmarks_are_in_the_clips_pixel_grid_when_frames_are_decoded_smaller() -> None:
    """Frames decoded at half size give landmarks in the clip's own pixels (as MediaPipe's engine reports them),
    matching those from full-size frames."""
    from gait.capture.probe import probe_video
    from gait.capture.tracking import track_frames
    from gait.capture.video import iter_frames

    info = probe_video(clip(TREADMILL))
    full = track_frames(info, iter_frames(info, end_s=1.0), max_people=1)
    half = track_frames(info, iter_frames(info, max_side_px=640, end_s=1.0), max_people=1)
    a = np.array([c[0][:, :2] for c in full.candidates])
    b = np.array([c[0][:, :2] for c in half.candidates])
    assert a.shape == b.shape and a.shape[0] >= 25
    assert float(np.median(np.linalg.norm(a - b, axis=2))) <= 8.0
    assert np.nanmax(b[:, :, 1]) > 0.6 * info.height  # the feet are near the bottom of the 1280 px frame


@pytest.mark.parametrize("workers", [1, 2])
def test_litert_engine_chunks_meet_without_lost_frames(workers: int) -> None:
    """Threads cut the clip in time chunks; stitched, every decoded frame is there once, in order."""
    from gait.capture.parallel import extract_pose_parallel
    from gait.capture.probe import probe_video

    info = probe_video(clip(TREADMILL))
    pose = extract_pose_parallel(info, "full", workers, num_poses=1, engine="litert")
    assert pose.n_frames == info.n_frames
    assert (np.diff(pose.times_s) > 0).all() and list(pose.frame_index) == list(range(pose.n_frames))
    assert pose.detected.mean() > 0.98


def test_upright_crops_read_the_treadmill_trunk_close_to_the_hand_placed_joints(pose_cache: PoseCache) -> None:
    """The detector tilts its crop about −15° on the treadmill clip and MediaPipe's trunk lean follows the tilt
    (+4.8° and +9.1° against the two labellers, docs/ACCURACY.md); our upright crops bring both within 4°."""
    import json

    from gait.metrics.geometry import runner_xy
    from gait.metrics.posture import compute_trunk_lean_deg

    _, clean = pose_cache.analyze(clip(TREADMILL), AnalysisConfig(height_cm=178.0, engine="litert"))
    lean = compute_trunk_lean_deg(runner_xy(clean))
    row = {int(f): k for k, f in enumerate(clean.pose.frame_index)}
    second = json.loads((ROOT / "labels" / "trunk_lean.json").read_text())["clips"][TREADMILL.name]["frames"]
    first = json.loads((ROOT / "labels" / "treadmill_side_male_30fps.trunk.json").read_text())["frames"]
    for truth in (
        [(f["frame"], f["joint_axis_lean_deg"]) for f in second],
        [(f["frame"], f["trunk_lean_deg"]) for f in first],
    ):
        errors = [float(lean[row[f]]) - deg for f, deg in truth]
        assert len(errors) == len(truth) >= 8
        assert abs(float(np.median(errors))) <= 4.0, errors
