"""The annotated video draws the analysis's numbers: no re-measured lean, a signed shin angle, no invented cadence."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from gait import AnalysisConfig, analyze_pose
from gait.outputs.annotated_video import Annotator, _stride_s
from gait.synthetic.runner import make_pose
from tests.support.runners import HEALTHY, info_for


def _analysis(**kw):
    pose = make_pose(fps=60.0, **{**HEALTHY, **kw}).pose
    return analyze_pose(pose, info_for(pose, 60.0), AnalysisConfig(height_cm=175.0))


def test_the_shin_angle_drawn_is_the_signed_value_of_the_stride_row() -> None:
    # Lands under the hips with a bent knee: the ankle is behind the knee, the shin angle negative (≈ −13°).
    report, clean = _analysis(
        overstride_cm=0.0, knee_flexion_at_contact_deg=30.0, contact_time_ms=200.0, belt_speed_kmh=7.0
    )
    annot = Annotator(report, clean)
    rows = [r for r in report.strides if r["shank_angle_at_contact_deg"] is not None]
    assert rows and np.median([r["shank_angle_at_contact_deg"] for r in rows]) < 0
    for r in rows:
        assert annot.shank_at[(r["foot"], r["contact_frame"])] == r["shank_angle_at_contact_deg"]


def test_the_lean_drawn_is_each_steps_trunk_lean_from_the_report() -> None:
    report, clean = _analysis(trunk_lean_deg=11.0)
    spans = Annotator(report, clean).lean_spans
    assert len(spans) >= len(report.strides) - 2
    assert {round(v, 6) for _, _, v in spans} <= {
        round(r["trunk_lean_deg"], 6) for r in report.strides if r["trunk_lean_deg"]
    }


def test_no_cadence_means_the_stride_rows_set_the_banner_span_never_a_made_up_rate() -> None:
    report, _ = _analysis()
    assert abs(_stride_s(report) - 120.0 / report.metrics["cadence_spm"].value) < 1e-9
    cad = replace(report.metrics["cadence_spm"], value=None, quality="unavailable")
    withheld = replace(report, metrics={**report.metrics, "cadence_spm": cad})
    strides = [r["stride_time_s"] for r in report.strides if r["stride_time_s"] is not None]
    assert _stride_s(withheld) == float(np.median(strides))
    assert _stride_s(replace(withheld, strides=())) is None


def test_a_cue_change_is_only_what_a_reader_sees_change() -> None:
    """Issue 24, defect 6: the card said "Changed by your last edit: Foot angle at landing 19° → Foot angle at
    landing 19°" when the numbers differed only below the shown precision."""
    from gait.core.types import Cue
    from gait.outputs.wording import cue_change

    def cue(angle: float, severity: str = "watch") -> Cue:
        return Cue(
            id="heel_strike",
            title="Heel strike",
            severity=severity,
            message="",
            evidence="",
            numbers={"foot_strike_angle_deg": angle},
        )  # type: ignore[arg-type]

    assert cue_change(cue(19.1), cue(19.3)) is None
    assert cue_change(cue(19.1), cue(24.0)) == "watch: Foot angle at landing 19° → watch: Foot angle at landing 24°"
    assert cue_change(cue(19.1), cue(19.1, "flag")) is not None
