"""Slow motion on real landmarks: the treadmill clip's pose re-timed as a phone's slow-motion export would show
it (each output frame the runner at the matching real instant), whole or in part."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from gait import AnalysisConfig, analyze_pose
from gait.core.errors import InsufficientDataError
from gait.core.types import PoseSequence


def slowed(pose: PoseSequence, factor: float, part: tuple[float, float] = (0.0, 1.0), seconds: float = 0.0):
    """``pose`` with the fraction ``part`` of it played ``factor`` × slower at the same frame rate, cut to the
    first ``seconds`` of playback when given."""
    n = len(pose.times_s)
    a, b = int(part[0] * n), int(part[1] * n)
    src = np.concatenate([np.arange(0, a, 1.0), np.arange(a, b, 1.0 / factor), np.arange(b, n, 1.0)])
    src = src[src <= n - 1][: int(seconds * pose.fps) or None]
    i0 = np.floor(src).astype(int)
    i1 = np.minimum(i0 + 1, n - 1)
    w = src - i0

    def interp(arr: np.ndarray) -> np.ndarray:
        shape = (-1,) + (1,) * (arr.ndim - 1)
        return arr[i0] * (1 - w.reshape(shape)) + arr[i1] * w.reshape(shape)

    m = len(src)
    return dataclasses.replace(
        pose,
        times_s=np.arange(m) / pose.fps,
        frame_index=np.arange(m),
        image_xy_px=interp(pose.image_xy_px),
        world_xyz_m=interp(pose.world_xyz_m),
        visibility=interp(pose.visibility),
        presence=interp(pose.presence),
    )


def contacts(report) -> int:
    return sum(1 for e in report.events if e.kind == "contact")


@pytest.mark.parametrize("factor", [2.0, 4.0])
def test_every_step_is_found_when_the_middle_plays_in_slow_motion(treadmill_analysis, factor: float) -> None:
    report, clean = treadmill_analysis
    report_slow, _ = analyze_pose(slowed(clean.raw, factor, (0.3, 0.7)), report.video, AnalysisConfig(height_cm=178.0))
    assert contacts(report_slow) == contacts(report)  # 2x: 24 of 34 before (every other real-time step lost)
    assert "part-way" in (report_slow.metrics["cadence_spm"].reason or "")


def test_a_clip_slowed_2x_throughout_reads_as_slow_motion_at_its_own_cadence(treadmill_analysis) -> None:
    report, clean = treadmill_analysis
    report_slow, _ = analyze_pose(slowed(clean.raw, 2.0), report.video, AnalysisConfig(height_cm=178.0))
    assert contacts(report_slow) == contacts(report)
    real = 60.0 / np.mean(np.diff([e.time_s for e in report.events if e.kind == "contact"]))
    reason = report_slow.metrics["cadence_spm"].reason or ""
    # Before: the stride was taken for the step in some windows and it read "slows by 2.0x part-way".
    assert "part-way" not in reason and f"cadence of {real / 2:.0f} steps/min" in reason, reason


def test_a_short_slow_clip_is_called_slow_motion_not_just_too_short(treadmill_analysis) -> None:
    report, clean = treadmill_analysis
    with pytest.raises(InsufficientDataError, match="slow-motion clip") as err:
        analyze_pose(slowed(clean.raw, 8.0, seconds=6.0), report.video, AnalysisConfig(height_cm=178.0))
    assert "capture rate" in str(err.value) and "Traceback" not in str(err.value)


def sped_up(pose: PoseSequence, factor: int) -> PoseSequence:
    """Every frame of ``pose`` played ``factor`` × faster (a time-lapse, or a 30 fps capture tagged 60 fps)."""
    return dataclasses.replace(pose, times_s=pose.times_s / factor, fps=pose.fps * factor)


@pytest.mark.parametrize("factor", [2, 4])
def test_a_clip_played_fast_reads_as_implausibly_fast_not_as_half(treadmill_analysis, factor: int) -> None:
    """Played 2x fast, the steps (338/min in the file's time) lay beyond the 300 steps/min the search allowed, so
    it took strides for steps and reported a plausible 164 steps/min, "fair"."""
    report, clean = treadmill_analysis
    info = dataclasses.replace(report.video, fps=report.video.fps * factor, duration_s=report.video.duration_s / factor)
    fast, _ = analyze_pose(sped_up(clean.raw, factor), info, AnalysisConfig(height_cm=178.0))
    cadence = fast.metrics["cadence_spm"]
    assert cadence.value is None and "implausible" in (cadence.reason or ""), cadence
    assert any("implausible" in w for w in fast.quality.warnings)
    assert not [c for c in fast.cues if c.severity in ("watch", "flag")]
