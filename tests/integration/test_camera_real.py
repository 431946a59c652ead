"""What the shared clips show about their cameras. The treadmill clip is filmed from about 2 m, low down (see
docs/ACCURACY.md): its near leg looks ~9 % longer than the far one, and its belt line rises ~6° towards the
runner's front. The walking clip is filmed from far away with a level phone."""

from __future__ import annotations


def test_the_close_low_treadmill_camera_is_reported(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    assert any("phone is close" in w and "9 %" in w for w in report.quality.warnings), report.quality.warnings
    assert report.metrics["overstride_cm"].quality == "fair"
    assert "close" in (report.metrics["overstride_cm"].reason or "")
    # A rise that a treadmill incline could explain is a note, and does not lower the angles.
    assert any("belt rises" in n for n in report.notes), report.notes
    assert "tilted" not in (report.metrics["trunk_lean_deg"].reason or "")


def test_the_far_level_walking_camera_is_not(walking_analysis) -> None:
    report, _ = walking_analysis
    assert not any("phone is close" in w or "tilted" in w for w in report.quality.warnings)
    assert not any("belt rises" in n for n in report.notes)
