"""The app shows the analysis's own judgements (issue 24), and every value typed in its form is honoured.

The sample analysis's ``report.assessments`` is read from the session; the metric table, the headline cards and
the table's "Good to" must show exactly those judgements. Height and belt speed typed in the form apply to
"Try the sample video" too, and stay in the form after a visit to the History page.
"""

from __future__ import annotations

import pytest

from tests.support.paths import ROOT

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIMEOUT_S = 600


def _sample(height: float | None = None, belt: float | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    if height is not None:
        at.number_input[0].set_value(height)
    if belt is not None:
        at.number_input[1].set_value(belt)
    next(b for b in at.button if b.label == "Try the sample video").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_the_app_shows_the_reports_judgements() -> None:
    from gait.metrics.assessment import assessments_of
    from gait.metrics.registry import REGISTRY

    at = _sample()
    report = at.session_state["shown"].report
    judged = {n: a for n, a in assessments_of(report).items() if a.measured}
    table = at.table[0].value
    for name, a in judged.items():
        row = table.loc[a.label]
        assert (row["Work on"], row["Among runners"]) == (a.screening_mark, a.typical_mark), name
        assert row["Good to"] == a.good_to, name
    cards = {m.label: m for m in at.metric}
    for name in (n for n in judged if REGISTRY[n].label in cards):
        delta = cards[REGISTRY[name].label].delta or ""
        assert delta == judged[name].mark, (name, delta)
    # One vocabulary: the praise speaks of screening lines, the table of other runners; never "ranges" for both.
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "screening ranges" not in text


def test_typed_settings_apply_to_the_sample_and_stay_across_pages() -> None:
    at = _sample(height=178.0, belt=10.0)
    report = at.session_state["shown"].report
    assert report.settings["height_cm"] == 178.0 and report.settings["belt_speed_kmh"] == 10.0
    assert report.metrics["step_length_m"].value is not None  # the belt speed was used
    assert report.quality.scale == "height"
    at.sidebar.radio[0].set_value("History & compare").run()
    assert not at.exception, at.exception
    at.sidebar.radio[0].set_value("Analyse a video").run()
    assert not at.exception, at.exception
    assert [n.value for n in at.number_input][:2] == [178.0, 10.0]
