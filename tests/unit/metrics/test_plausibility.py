"""Plausibility gates (issue 23, failures 1-3): a number no human stride can show is a failed measurement,
withheld with its reason in words and never a cue. Synthetic values, and a synthetic runner whose thigh never gets
behind its trunk at push-off (as the pose model read two real clips: −16°, −17°)."""

from __future__ import annotations

import math

import pytest

from gait.coaching.rules import generate_cues
from gait.core.config import AnalysisConfig
from gait.metrics.registry import REGISTRY
from tests.support.runners import HEALTHY, OVERSTRIDER, analyse
from tests.support.summaries import healthy, summary

CFG = AnalysisConfig()


@pytest.mark.parametrize("hip_deg", [-16.0, -17.0, -30.0])
def test_a_thigh_that_never_gets_behind_the_trunk_is_no_hip_cue(hip_deg: float) -> None:
    m = {**healthy(), "hip_extension_deg": summary("hip_extension_deg", hip_deg)}
    cues = {c.id: c for c in generate_cues(m, [], CFG, "running")}
    assert "open_hips" not in cues


def test_a_low_but_possible_hip_extension_is_still_cued() -> None:
    m = {**healthy(), "hip_extension_deg": summary("hip_extension_deg", -2.0)}
    assert {c.id: c.severity for c in generate_cues(m, [], CFG, "running")}.get("open_hips") == "flag"


def test_withheld_with_the_reason_in_words() -> None:
    from gait.metrics.plausibility import FAILED_MEASUREMENT, withhold_implausible

    m = {**healthy(), "hip_extension_deg": summary("hip_extension_deg", -17.0, left=-16.0, right=-18.0)}
    out, warnings = withhold_implausible(m, "running")
    hip = out["hip_extension_deg"]
    assert hip.value is None and hip.quality == "unavailable"
    assert hip.reason is not None and hip.reason.startswith(FAILED_MEASUREMENT)
    assert "−17°" in hip.reason and "−8 to 45°" in hip.reason and "running stride" in hip.reason
    assert hip.extra["implausible_value"] == -17.0 and hip.extra["plausible_range"] == [-8.0, 45.0]
    assert len(warnings) == 1 and "hip extension at push-off (−17°)" in warnings[0]
    assert {n: s for n, s in out.items() if n != "hip_extension_deg"} == {
        n: s for n, s in m.items() if n != "hip_extension_deg"
    }
    assert withhold_implausible(healthy(), "running") == (healthy(), ())


def test_one_side_outside_the_range_withholds_the_metric() -> None:
    from gait.metrics.plausibility import withhold_implausible

    m = {"hip_extension_deg": summary("hip_extension_deg", -3.5, left=-17.0, right=10.0)}
    out, _ = withhold_implausible(m, "running")
    assert out["hip_extension_deg"].value is None and "left −17°" in (out["hip_extension_deg"].reason or "")


@pytest.mark.parametrize(
    ("name", "value", "activity", "withheld"),
    [
        ("ground_contact_time_ms", 900.0, "running", True),
        ("ground_contact_time_ms", 900.0, "walking", False),
        ("cadence_spm", 30.0, "walking", True),
        ("cadence_spm", 100.0, "walking", False),
        ("cadence_spm", 100.0, "running", True),
        ("cadence_spm", 100.0, "unknown", False),  # possible for one of the two gaits: not refused
        ("knee_flexion_midstance_deg", 95.0, "running", True),
        ("shank_angle_at_contact_deg", 8.0, "running", False),
        ("arm_crossover_pct", 100.0, "running", False),  # a share of strides has no physiological bound
    ],
)
def test_range_depends_on_the_gait(name: str, value: float, activity: str, withheld: bool) -> None:
    from gait.metrics.plausibility import withhold_implausible

    out, _ = withhold_implausible({name: summary(name, value)}, activity)
    assert (out[name].value is None) == withheld


def test_every_metric_has_a_range_that_holds_its_typical_values() -> None:
    unbounded = {"arm_crossover_pct", "torso_rotation_deg", "flight_time_ms"}
    for name, spec in REGISTRY.items():
        run, walk = spec.plausible_running, spec.plausible_walking
        if name not in unbounded:
            assert run is not None and walk is not None, name
        for rng in (r for r in (run, walk) if r is not None):
            assert rng[0] < rng[1], name
        if run is not None and spec.typical is not None:
            assert run[0] <= spec.typical[0] and spec.typical[1] <= run[1], name
    assert REGISTRY["flight_time_ms"].plausible_running is not None


def test_synthetic_runner_with_an_impossible_push_off_gets_no_hip_cue() -> None:
    """The overstrider is built with its thigh ~19° in front of the trunk at push-off: the pose reads it right,
    and the number is a failed measurement, withheld and said so, not 'Open up your hips'."""
    report, truth = analyse(AnalysisConfig(height_cm=175.0), fps=60.0, **OVERSTRIDER)
    assert truth["hip_extension_deg"] < -8.0
    hip = report.metrics["hip_extension_deg"]
    assert hip.value is None and hip.quality == "unavailable"
    assert math.isclose(hip.extra["implausible_value"], truth["hip_extension_deg"], abs_tol=2.0)
    assert "open_hips" not in {c.id for c in report.cues}
    assert any("failed measurement" in w and "hip extension" in w for w in report.quality.warnings)
    healthy_report, _ = analyse(AnalysisConfig(height_cm=175.0), fps=60.0, **HEALTHY)
    assert healthy_report.metrics["hip_extension_deg"].value is not None
    assert not any("failed measurement" in w for w in healthy_report.quality.warnings)
