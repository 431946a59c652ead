"""The answer first (issue 24): a one-screen summary, then the video, then the detail, the expert panels below;
the summary never contradicts the marks under it; a store's next-customer path with the name first."""

from __future__ import annotations

import pytest

from tests.support.paths import ROOT
from tests.support.runners import synthetic_report as report

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIMEOUT_S = 600


def test_the_summary_names_what_to_work_on_with_one_drill_each() -> None:
    from gait.metrics.assessment import assessments_of
    from gait.ui.answer import MAX_WORK_ON, answer_of

    for name in ("overstrider", "healthy"):
        r = report(name)
        a = answer_of(r)
        active = [c for c in r.cues if c.severity in ("watch", "flag")]
        assert len(a.work_on) == min(len(active), MAX_WORK_ON)
        assert all(drill for _, drill in a.work_on)  # each with one drill
        marked = [x for x in assessments_of(r).values() if x.screening in ("watch", "flag")]
        if not a.work_on:  # "nothing to work on" only when no number is past a line
            assert not marked and "Nothing to work on" in a.headline
        assert not set(a.fine) & set(a.borderline)


def test_results_start_with_the_answer_and_a_store_can_start_the_next_customer() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    assert at.text_input[0].label.startswith("Runner's name")  # the name first
    at.text_input[0].input("Sam R")
    at.number_input[0].set_value(178.0)
    next(b for b in at.button if b.label == "Try the sample video").click().run()
    assert not at.exception, at.exception
    heads = [s.value for s in at.subheader]
    order = [heads.index(h) for h in ("Summary", "Annotated video", "What to work on", "Metrics", "Review the events")]
    assert order == sorted(order), heads  # answer, video, detail, then the expert review
    texts = [str(m.value) for m in at.markdown]
    assert any(t.startswith("### ") for t in texts[:3]), texts[:3]  # the headline in the first lines
    assert any(b.label == "Handout (PDF)" for b in at.get("download_button"))  # the PDF in one click
    assert at.text_input(key="save_athlete").value == "Sam R"  # typed once, used for saving and the handout
    next(b for b in at.button if b.label == "Next customer").click().run()
    assert not at.exception, at.exception
    assert "Summary" not in [s.value for s in at.subheader]
    assert at.text_input[0].value == "" and at.number_input[0].value is None
