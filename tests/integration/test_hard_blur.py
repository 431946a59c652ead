"""The treadmill clip with a 41 px horizontal motion blur (issue 23, failure 4): the blur is read from the pixels
at the landings and lowers the landing metrics with its own warning, and the blurred runner read twice by the
landmarker is not "more than one person". The sharp clip gets neither."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gait import AnalysisConfig
from gait.checks.leg_blur import FAIR_ABOVE, LANDING_BLUR_METRICS, POOR_ABOVE
from tests.support import corpus
from tests.support.caches import ClipCache, PoseCache
from tests.support.paths import TREADMILL, clip


def test_motion_blur_lowers_the_landing_metrics(
    treadmill_analysis, tmp_path: Path, pose_cache: PoseCache, clip_cache: ClipCache
) -> None:
    sharp, _ = treadmill_analysis
    video = clip_cache.make(corpus.motion_blurred, tmp_path, clip(TREADMILL), length_px=41)
    blurred, _ = pose_cache.analyze(video, AnalysisConfig(height_cm=178.0))

    sharp_blur = sharp.diagnostics["landing_blur"]
    smeared = blurred.diagnostics["landing_blur"]
    assert len(sharp_blur) >= 20 and len(smeared) >= 20
    assert float(np.median(sharp_blur)) < FAIR_ABOVE < POOR_ABOVE < float(np.median(smeared))
    assert not any("motion-blurred" in w for w in sharp.quality.warnings)
    assert any("motion-blurred" in w for w in blurred.quality.warnings)

    for name in ("shank_angle_at_contact_deg", "ground_contact_time_ms", "foot_strike_angle_deg"):
        m = blurred.metrics[name]
        assert name in LANDING_BLUR_METRICS
        assert m.quality in ("poor", "unavailable") and m.reason, (name, m.quality)
    # A poor number drives no cue: nothing about the landing or the push-off is told from the smeared legs.
    told = {c.id for c in blurred.cues if c.severity in ("watch", "flag")}
    assert not told & {"land_under_hips", "open_hips", "increase_cadence"}, told

    # Only the runner was in view, sharp or blurred.
    for report in (sharp, blurred):
        assert not any("more than one person" in w.lower() for w in report.quality.warnings)
