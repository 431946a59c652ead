"""The uncertainty of a metric is this footage's (issue 24): the registry's resolution combined with the clip's
standard error across strides, the frame period for contact and flight times, widened for fair quality."""

from __future__ import annotations

import math

import pytest

from gait.core.config import AnalysisConfig
from gait.core.types import MetricSummary
from gait.metrics.assessment import FAIR_FACTOR, assess_metric, uncertainty
from gait.metrics.registry import REGISTRY

CFG = AnalysisConfig()


def _m(name: str, value: float, sd: float, n: int, quality: str = "good") -> MetricSummary:
    return MetricSummary(name=name, value=value, unit=REGISTRY[name].unit, sd=sd, n=n, quality=quality)  # type: ignore[arg-type]


def test_good_to_depends_on_the_footage() -> None:
    name = "shank_angle_at_contact_deg"
    r = REGISTRY[name].resolution
    steady = _m(name, 6.0, sd=1.0, n=40)
    shaky = _m(name, 6.0, sd=6.0, n=4)  # a walking clip's 3-4 contacts a side, a moving camera
    assert uncertainty(steady, 30.0) == pytest.approx(math.hypot(r, 1.0 / math.sqrt(40)))
    assert uncertainty(shaky, 30.0) == pytest.approx(math.hypot(r, 3.0))
    assert assess_metric(steady, CFG).good_to != assess_metric(shaky, CFG).good_to  # not the same "±2°" on every clip
    fair = _m(name, 6.0, sd=1.0, n=40, quality="fair")
    assert uncertainty(fair, 30.0) == pytest.approx(FAIR_FACTOR * math.hypot(r, 1.0 / math.sqrt(40)))
    assert uncertainty(_m(name, 6.0, sd=1.0, n=40, quality="poor"), 30.0) is None
    assert assess_metric(_m(name, 6.0, sd=1.0, n=40, quality="poor"), CFG).good_to == ""


def test_contact_time_is_never_finer_than_a_frame() -> None:
    m = _m("ground_contact_time_ms", 250.0, sd=0.0, n=30)
    assert uncertainty(m, 30.0) == pytest.approx(1000.0 / 30.0)
    assert uncertainty(m, 240.0) == pytest.approx(max(REGISTRY["ground_contact_time_ms"].resolution, 1000 / 240))


def test_the_review_panel_lists_a_changed_judgement() -> None:
    import dataclasses

    from gait.metrics.assessment import with_assessments
    from gait.workflows.review import changes
    from tests.support.runners import synthetic_report

    before = synthetic_report("healthy")
    m = before.metrics["shank_angle_at_contact_deg"]
    after = with_assessments(
        dataclasses.replace(before, metrics={**before.metrics, m.name: dataclasses.replace(m, value=16.0)})
    )
    marks = [c for c in changes(before, after) if c.what == "Shin angle at landing, mark"]
    assert marks and marks[0].after.startswith("⚠ work on: watch"), changes(before, after)


def test_the_cli_summary_starts_with_the_answer() -> None:
    from gait.outputs.answer import answer_of
    from gait.outputs.files import summary_text
    from tests.support.runners import synthetic_report

    report = synthetic_report("overstrider")
    lines = summary_text(report).splitlines()
    answer = answer_of(report)
    assert answer.work_on, "the overstrider has something to work on"
    first_metric = next(k for k, ln in enumerate(lines) if ln.startswith("  Cadence"))
    assert lines.index(answer.headline) < first_metric
    for title, drill in answer.work_on:
        assert any(title in ln and drill in ln for ln in lines[:first_metric]), title
