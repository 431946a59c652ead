"""Vertical bounce checked against contact and step time with the spring-mass model (issue 24)."""

from __future__ import annotations

import math

import pytest

from gait.core.types import MetricSummary
from gait.metrics.assessment import assess_report
from gait.metrics.bounce_check import bounce_doubt, predicted_bounce_cm
from tests.support.runners import synthetic_report


def _m(name: str, value: float, unit: str) -> MetricSummary:
    return MetricSummary(name=name, value=value, unit=unit, n=20)


def test_the_spring_mass_prediction_by_hand() -> None:
    # tc 0.25 s, T 0.35 s (tf 0.10 s): stance g·tc·T/2π − g·tc²/8, flight g·tf²/8.
    g = 9.81
    want = 100 * (g * 0.25 * 0.35 / (2 * math.pi) - g * 0.25**2 / 8 + g * 0.10**2 / 8)
    assert predicted_bounce_cm(0.25, 0.35) == pytest.approx(want)
    assert 6.0 < want < 8.0  # a typical runner's 6-10 cm


def test_a_bounce_the_contact_and_step_times_forbid_is_doubted() -> None:
    base = {
        "ground_contact_time_ms": _m("ground_contact_time_ms", 335.0, "ms"),
        "step_time_s": _m("step_time_s", 0.356, "s"),
    }
    big = {**base, "vertical_oscillation_cm": _m("vertical_oscillation_cm", 13.2, "cm")}  # the sample's reading
    ok = {**base, "vertical_oscillation_cm": _m("vertical_oscillation_cm", 5.5, "cm")}
    assert "not judged" in bounce_doubt(big, 52.0, 1.6)
    assert bounce_doubt(ok, 52.0, 1.6) == ""
    assert bounce_doubt(big, None, 1.6) == ""  # no contact time uncertainty: cannot check, no claim


def test_a_doubted_bounce_gets_no_mark_and_says_why() -> None:
    report = synthetic_report("healthy")
    metrics = dict(report.metrics)
    m = metrics["vertical_oscillation_cm"]
    assert m.value is not None
    import dataclasses

    metrics["vertical_oscillation_cm"] = dataclasses.replace(m, value=40.0)
    judged = assess_report(dataclasses.replace(report, metrics=metrics))
    a = judged["vertical_oscillation_cm"]
    assert a.typical == "" and a.good_to == "" and "centre of mass" in a.note
    assert assess_report(report)["vertical_oscillation_cm"].note == ""  # the synthetic runner's bounce is possible


def test_without_a_height_the_bounce_is_checked_over_every_adult_leg_length() -> None:
    from gait.metrics.bounce_check import LEG_CM

    base = {
        "ground_contact_time_ms": _m("ground_contact_time_ms", 335.0, "ms"),
        "step_time_s": _m("step_time_s", 0.356, "s"),
    }
    # 20 % of even the shortest adult leg is more than these times allow; 8 % of any leg is possible.
    huge = {**base, "vertical_oscillation_leg_pct": _m("vertical_oscillation_leg_pct", 20.0, "pct")}
    fine = {**base, "vertical_oscillation_leg_pct": _m("vertical_oscillation_leg_pct", 8.0, "pct")}
    assert "not judged" in bounce_doubt(huge, 52.0, None, 1.6)
    assert bounce_doubt(fine, 52.0, None, 1.6) == ""
    assert LEG_CM[0] * 0.20 > 1.5 * predicted_bounce_cm(0.283, 0.356)  # the case above, by hand
