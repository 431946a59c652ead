"""The pixels' own motion (gait/kinematics/pixel_motion.py): a pose-free step rate that must agree with the pose's, and
duplicated frames told apart (issue 23, failure 1 and the clinic clip's repeated frames)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gait import AnalysisConfig, analyze_pose
from gait.kinematics.pixel_motion import PixelMotion, duplicate_rows, motion_from_frames
from gait.metrics.registry import TIME_METRICS
from gait.synthetic.runner import make_pose
from tests.support.runners import HEALTHY, info_for

CFG = AnalysisConfig(height_cm=175.0)


def _legs(n: int, fps: float, step_s: float, repeat_every: int | None = None, hold: int = 0) -> list[np.ndarray]:
    """Grey frames of a bar swinging to and fro once a stride (two steps), with some noise; optionally every
    ``repeat_every``-th frame repeats the one before (a frame-rate conversion), and the first ``hold`` frames
    repeat the first one (a held picture)."""
    rng = np.random.default_rng(1)
    frames = []
    for k in range(n):
        img = rng.normal(100.0, 2.0, (60, 80)).astype(np.float32)
        x = int(40 + 25 * math.sin(math.pi * k / fps / step_s))  # one swing per step
        img[30:58, max(0, x - 3) : x + 3] = 220.0
        frames.append(img)
    if repeat_every:
        for k in range(repeat_every - 1, n, repeat_every):
            frames[k] = frames[k - 1].copy()
    for k in range(1, hold + 1):
        frames[k] = frames[0].copy()
    return frames


def test_the_step_rate_of_swinging_legs_from_the_pixels() -> None:
    m = motion_from_frames(_legs(360, 30.0, 60.0 / 168.9), (0, 25, 80, 60), 30.0, 0.2, 5.0)
    assert m.step_rate_spm is not None and abs(m.step_rate_spm - 168.9) < 3.0, m.step_rate_spm
    assert m.duplicates == ()


def test_a_frame_rate_conversion_is_told_from_a_held_picture() -> None:
    m = motion_from_frames(_legs(300, 30.0, 0.36, repeat_every=5, hold=10), (0, 25, 80, 60), 30.0, 0.2, 5.0)
    assert m.repeat_every == 5 and m.source_fps == pytest.approx(24.0), m.to_dict()
    assert m.held_frames == 10
    assert m.step_rate_spm is not None and abs(m.step_rate_spm - 60 / 0.36) < 4.0  # repeats are bridged
    assert m.to_dict()["duplicate_frames"] == len(m.duplicates) == 10 + 60 - 2  # hold 1-10; 4, 9 are in the hold


def test_duplicate_rows_need_a_tiny_difference() -> None:
    d = np.array([np.nan, 5.0, 5.2, 0.05, 4.9, 0.6, 5.1])
    assert duplicate_rows(d) == [3]  # 0.6 is above a tenth of the median difference


def _motion(step_rate_spm: float) -> PixelMotion:
    n = 720
    return PixelMotion(fps=60.0, n_frames=n, leg_energy=np.zeros(n), duplicates=(), step_period_s=60 / step_rate_spm)


def test_a_pose_rhythm_the_pixels_disagree_with_withholds_the_times() -> None:
    """Failure 1 of issue 23: the pose read 158 steps/min from a slowed clip whose legs step ~19 times a minute;
    the cadence came out "good". Now the pixels' rhythm contradicts it and every time is withheld with why."""
    pose = make_pose(fps=60.0, **HEALTHY).pose
    report, _ = analyze_pose(pose, info_for(pose, 60.0), CFG, pixels=lambda *_: (_motion(19.0), [], {}))
    for name in ("cadence_spm", "ground_contact_time_ms"):
        m = report.metrics[name]
        assert m.quality == "unavailable" and "picture's own rhythm" in (m.reason or ""), (name, m)
    assert set(TIME_METRICS) >= {"cadence_spm"}
    assert any("slowed clip" in w for w in report.quality.warnings), report.quality.warnings
    assert report.diagnostics["pixel_motion"]["step_rate_spm"] == pytest.approx(19.0)


def test_an_agreeing_pixel_rhythm_changes_nothing() -> None:
    pose = make_pose(fps=60.0, **HEALTHY).pose
    plain, _ = analyze_pose(pose, info_for(pose, 60.0), CFG)
    checked, _ = analyze_pose(
        pose, info_for(pose, 60.0), CFG, pixels=lambda *_: (_motion(HEALTHY["cadence_spm"] * 1.03), [], {})
    )
    assert checked.metrics["cadence_spm"].value == plain.metrics["cadence_spm"].value
    assert checked.metrics["cadence_spm"].quality == plain.metrics["cadence_spm"].quality
    assert checked.quality.warnings == plain.quality.warnings


def test_missed_steps_are_named() -> None:
    pose = make_pose(fps=60.0, **HEALTHY).pose
    report, _ = analyze_pose(
        pose, info_for(pose, 60.0), CFG, pixels=lambda *_: (_motion(2 * HEALTHY["cadence_spm"]), [], {})
    )
    assert "steps were missed" in (report.metrics["cadence_spm"].reason or "")


def test_a_report_scored_again_keeps_its_pixel_motion() -> None:
    m = motion_from_frames(_legs(300, 30.0, 0.36, repeat_every=5, hold=10), (0, 25, 80, 60), 30.0, 0.2, 5.0)
    again = PixelMotion.from_dict(m.to_dict())
    assert again.to_dict() == m.to_dict()
    assert again.repeat_every == 5 and again.held_frames == m.held_frames


def test_a_slowed_edit_makes_no_rhythm_of_its_repeats() -> None:
    """Each frame shown 8 times (a slowed edit, as tests/support/corpus.slow_motion makes): the repeats are the
    majority, and their period (8 frames, 225 steps/min at 30 fps) is the clock's, not the runner's. The rhythm read
    is the runner's slowed one (168.9 / 8 ≈ 21 steps/min: outside the searched range here, so none)."""
    base = _legs(60, 30.0, 60.0 / 168.9)
    noise = np.random.default_rng(2)
    frames = [f + noise.normal(0.0, 0.2, f.shape).astype(np.float32) for f in base for _ in range(8)]
    m = motion_from_frames(frames, (0, 25, 80, 60), 30.0, 60.0 / 270.0, 60.0 / 60.0)
    assert len(m.duplicates) >= 0.8 * 7 * 60, len(m.duplicates)
    assert m.step_rate_spm is None or m.step_rate_spm < 60.0, m.step_rate_spm


def test_a_variable_frame_rate_reads_on_the_frames_times() -> None:
    """A quarter of the frames dropped (their timestamps kept on the others): the rhythm is read on the frames'
    own times, not on their count (counted, it read 118 steps/min)."""
    rng = np.random.default_rng(3)
    cols = np.arange(80)
    frames = []
    for k in range(480):  # a soft-edged leg at a sub-pixel place: the difference grows with the distance moved
        img = rng.normal(100.0, 2.0, (60, 80)).astype(np.float32)
        x = 40.0 + 12.0 * math.sin(math.pi * k / 30.0 / (60.0 / 168.9))
        img[30:58, :] += (120.0 * np.exp(-((cols - x) ** 2) / 32.0)).astype(np.float32)
        frames.append(img)
    keep = [k for k in range(480) if k % 4 != 3]
    times = np.array(keep, dtype=float) / 30.0
    m = motion_from_frames([frames[k] for k in keep], (0, 25, 80, 60), 30.0, 0.2, 5.0, times_s=times)
    assert m.step_rate_spm is not None and abs(m.step_rate_spm - 168.9) < 4.0, m.step_rate_spm
