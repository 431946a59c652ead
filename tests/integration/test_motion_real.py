"""The pixels' own motion on the real clips (issue 23, item 2 and failure 7): the pose-free step rate agrees
with the truth and with the pose on every real-time clip (so no time is withheld there), and the clinic clip's
repeated frames are counted and told as a frame-rate conversion."""

from __future__ import annotations

import pytest

from gait import AnalysisConfig
from tests.support.paths import CLIPS, TREADMILL_CADENCE_SPM, clip


def test_the_treadmill_step_rate_from_the_pixels_matches_the_truth(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    motion = report.diagnostics["pixel_motion"]
    assert motion is not None and motion["runner_in_place"] and motion["duplicate_frames"] == 0
    assert abs(motion["step_rate_spm"] - TREADMILL_CADENCE_SPM) <= 0.02 * TREADMILL_CADENCE_SPM, motion
    assert report.metrics["cadence_spm"].quality != "unavailable"


@pytest.mark.parametrize(
    "name",
    ["treadmill_homegym_cap_overstride.mp4", "treadmill_lab_neon_overstride_a.mp4", "treadmill_elite_normal_a.mp4"],
)
def test_real_time_clips_agree_with_their_pixels(name: str, pose_cache) -> None:
    report, _ = pose_cache.analyze(clip(CLIPS / name), AnalysisConfig())
    motion = report.diagnostics["pixel_motion"]
    cadence = report.metrics["cadence_spm"]
    assert motion is not None and motion["step_rate_spm"] is not None, motion
    assert cadence.value is not None and abs(cadence.value / motion["step_rate_spm"] - 1) < 0.1, (cadence, motion)
    assert not any("picture's own rhythm" in (m.reason or "") for m in report.metrics.values())


def test_the_clinic_clips_repeated_frames_are_a_frame_rate_conversion(pose_cache) -> None:
    """40-odd of its 179 frames repeat the one before: one in five, evenly spaced (24 -> 30 fps), after a
    still picture at the start. The report says so (it said nothing)."""
    report, _ = pose_cache.analyze(clip(CLIPS / "treadmill_clinic_red_overstride_b.mp4"), AnalysisConfig())
    motion = report.diagnostics["pixel_motion"]
    assert motion is not None and 38 <= motion["duplicate_frames"] <= 50, motion
    assert motion["repeat_every_frames"] == 5 and motion["source_fps"] == pytest.approx(24.0), motion
    assert motion["held_frames"] >= 10
    warning = next((w for w in report.quality.warnings if "repeat the frame before" in w), "")
    assert "frame-rate conversion from about 24 fps" in warning, report.quality.warnings
