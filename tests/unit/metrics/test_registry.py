"""The registry is the one table of metrics; texts read the thresholds from the config instead of restating them."""

from __future__ import annotations

from gait.coaching.words import EVIDENCE, evidence
from gait.core.config import AnalysisConfig
from gait.metrics.registry import CONTACT_TIME_METRICS, REGISTRY, TIME_METRICS, unsupported_by_view
from gait.metrics.spatiotemporal import classify_foot_strike


def test_typical_texts_follow_the_thresholds_of_the_config() -> None:
    shank = REGISTRY["shank_angle_at_contact_deg"]
    assert shank.typical_for(AnalysisConfig()) == "near vertical; watch 8°+, flag 12°+ (approx.)"
    assert "watch 6°+, flag 9°+" in shank.typical_for(
        AnalysisConfig(shank_angle_watch_deg=6.0, shank_angle_flag_deg=9.0)
    )
    strike = REGISTRY["foot_strike_angle_deg"].typical_for(AnalysisConfig(foot_strike_forefoot_below_deg=-3.0))
    assert "forefoot below −3°" in strike
    assert all("{" not in s.typical_for(AnalysisConfig()) for s in REGISTRY.values())


def test_evidence_reads_the_thresholds() -> None:
    assert "above 10 %" in evidence("even_sides", AnalysisConfig())
    assert "above 7 %" in evidence("even_sides", AnalysisConfig(asymmetry_flag_pct=7.0))
    assert "Raising step rate 3-8 %" in evidence("increase_cadence", AnalysisConfig(cadence_raise_pct=(3.0, 8.0)))
    assert all("{" not in evidence(cid, AnalysisConfig()) for cid in EVIDENCE)


def test_foot_strike_cut_offs_come_from_the_config() -> None:
    assert (
        classify_foot_strike(9.0, AnalysisConfig()) == "rearfoot"
        and classify_foot_strike(0.0, AnalysisConfig()) == "midfoot"
    )
    assert classify_foot_strike(-2.0, AnalysisConfig()) == "forefoot"
    assert classify_foot_strike(9.0, AnalysisConfig(foot_strike_rearfoot_above_deg=10.0)) == "midfoot"


def test_the_metric_sets_the_checks_use_are_derived_from_the_specs() -> None:
    assert CONTACT_TIME_METRICS == ("ground_contact_time_ms", "flight_time_ms", "duty_factor")
    assert set(unsupported_by_view("side")) == {"pelvic_drop_deg", "arm_crossover_pct"}
    assert "cadence_spm" not in unsupported_by_view("rear") and "shank_angle_at_contact_deg" in unsupported_by_view(
        "rear"
    )
    assert "cadence_spm" in TIME_METRICS and "trunk_lean_deg" not in TIME_METRICS


def test_good_to_is_the_resolution_and_at_least_a_frame_for_contact_times() -> None:
    from gait.outputs.wording import good_to

    for name in ("knee_flexion_at_contact_deg", "trunk_lean_deg", "shank_angle_at_contact_deg"):
        assert good_to(name, 30.0) == f"±{REGISTRY[name].resolution:.0f}°"  # the margin the cues use, as shown
    assert good_to("ground_contact_time_ms", 30.0) == "±33 ms"  # what the frame-rate warning says
    assert good_to("flight_time_ms", 240.0) == "±15 ms"  # never finer than the registry's resolution
    assert good_to("cadence_spm") == "±2 steps/min"
    assert good_to("not_a_metric") == ""
