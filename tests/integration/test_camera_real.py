"""What the shared clips show about their cameras. The treadmill clip is filmed from about 2 m, low down, with
the phone tilted up (see docs/ACCURACY.md): its near leg looks ~9 % longer than the far one, and the garage's
cupboard edges converge upwards. The walking clip is filmed from far away with a level phone."""

from __future__ import annotations

import re

from gait.pipeline import verticals_of


def test_the_close_low_treadmill_camera_is_reported(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    assert any("phone is close" in w and "9 %" in w for w in report.quality.warnings), report.quality.warnings
    assert report.metrics["overstride_cm"].quality == "fair"
    assert "close" in (report.metrics["overstride_cm"].reason or "")
    # The phone looks up (the cupboards' edges converge), but the runner stands near the middle of the
    # picture, where the vertical leans about 1°: a note, and the angles are not lowered.
    vp = verticals_of(report)
    assert vp is not None and 8.0 < vp.pitch_deg() < 16.0
    note = next(n for n in report.notes if "looks up" in n)
    assert 8 <= int(re.search(r"looks up about (\d+)°", note).group(1)) <= 16  # type: ignore[union-attr]
    assert report.metrics["trunk_lean_deg"].quality == "good"
    assert not any("belt rises" in n for n in report.notes)  # the scene's verticals settle what the belt cannot


def test_the_far_level_walking_camera_is_not(walking_analysis) -> None:
    report, _ = walking_analysis
    assert not any("phone is close" in w or "tilted" in w or "looks up" in w for w in report.quality.warnings)
    assert not any("belt rises" in n or "looks up" in n or "looks down" in n for n in report.notes)
    vp = verticals_of(report)
    assert vp is not None and abs(vp.pitch_deg()) < 4.0
