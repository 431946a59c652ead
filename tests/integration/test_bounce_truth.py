"""Vertical bounce against hand-measured truth (``labels/*.bounce.json``, issue 24).

The labels give the head's highest-to-lowest excursion per half step, read by eye in picture pixels (the top of
the head moves with the trunk; a hip landmark is not a visible point). The tool's bounce is read from the hip
landmarks over each step (``diagnostics.strides[].vertical_oscillation_px``). The test measures the error and
holds the tool to its word: a bounce it judges must lie within its stated uncertainty of the truth; one that is
off by more must not be judged (no mark, no "good to"). The errors are in docs/ACCURACY.md.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from gait import AnalysisConfig
from gait.metrics.assessment import assessments_of
from tests.support.caches import PoseCache
from tests.support.paths import CLIPS, ROOT, TREADMILL, clip

LABELS = ROOT / "labels"


def _truth(name: str) -> dict:
    path = LABELS / f"{Path(name).stem}.bounce.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return json.loads(path.read_text())


@pytest.mark.parametrize(
    ("video", "height_cm"),
    [(TREADMILL, 178.0), (CLIPS / "treadmill_homegym_cap_overstride.mp4", None)],
    ids=["treadmill", "homegym"],
)
def test_bounce_against_hand_measured_heights(pose_cache: PoseCache, video: Path, height_cm: float | None) -> None:
    truth = _truth(video.name)
    report, _ = pose_cache.analyze(clip(video), AnalysisConfig(height_cm=height_cm))
    px = np.array(
        [r["vertical_oscillation_px"] for r in report.diagnostics["strides"] if r.get("vertical_oscillation_px")]
    )
    assert px.size >= 5
    truth_px = float(truth["summary"]["excursion_mean_px"])
    error_px = float(np.mean(px)) - truth_px
    a = assessments_of(report)["vertical_oscillation_leg_pct"]
    assert a.value is not None and report.quality.leg_length_px
    # The stated uncertainty, in pixels, with the labels' own reading error (± 1.5 px a frame, two frames).
    label_unc_px = math.hypot(1.5, 1.5) + float(truth["summary"]["excursion_sd_px"]) / math.sqrt(
        truth["summary"]["n_half_cycles"]
    )
    if a.uncertainty is not None and a.typical:  # judged: it must be as good as it says
        stated_px = a.uncertainty / 100.0 * report.quality.leg_length_px
        assert abs(error_px) <= stated_px + label_unc_px, (error_px, stated_px)
    else:  # not judged: then the footage must not support it (it is off by more than the camera resolves)
        assert a.good_to == "" and a.mark == ""
        assert abs(error_px) > label_unc_px, error_px
