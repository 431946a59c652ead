"""The Streamlit app driven headless with AppTest: a real clip gives results; a bad file gives a friendly error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, TREADMILL, clip

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIMEOUT_S = 600


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


@pytest.mark.slow
def test_sample_button_shows_results(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAIT_SAMPLE_VIDEO", str(clip(TREADMILL)))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception
    assert any("How to film" in e.label for e in at.expander)  # capture guide before upload
    next(b for b in at.button if b.label == "Try the sample video").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    subheaders = [s.value for s in at.subheader]
    for needed in ("Summary", "Annotated video", "What to work on", "Metrics", "Key frames", "Downloads"):
        assert needed in subheaders, subheaders
    assert "Shorten your stride" in _texts(at)  # this runner overstrides (see the integration tests)
    assert len(at.dataframe) >= 1
    labels = [b.label for b in at.get("download_button")]
    assert {"report.json", "metrics.csv", "annotated.mp4"} <= set(labels), labels
    assert any("clinician" in i.value for i in at.info)


def test_bad_upload_shows_a_friendly_error(tmp_path: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    at.file_uploader[0].upload("holiday.mp4", b"this is not a video" * 100, "video/mp4")
    next(b for b in at.button if b.label == "Analyse").click()
    at.run()
    assert not at.exception, at.exception
    assert at.error, "expected a friendly error"
    msg = at.error[0].value
    assert "could not analyse" in msg and "not a video" in msg
    assert "Traceback" not in msg


def make_history(db: Path) -> None:
    """Two synthetic sessions of one athlete: an overstrider, then the same runner landing under the hips."""
    import numpy as np

    from gait.history import connect, save_session
    from gait.keyframes import to_jpeg
    from tests.unit.test_compare import report

    rng = np.random.default_rng(0)
    frames = tuple((f"key frame {i}", to_jpeg(rng.integers(0, 255, (120, 80, 3), dtype=np.uint8))) for i in range(2))
    with connect(db) as conn:
        save_session(conn, "Sam", report("overstrider"), recorded_on="2026-10-01", notes="first", key_frames=frames)
        save_session(conn, "Sam", report("healthy"), recorded_on="2026-11-12", notes="after 6 weeks", key_frames=frames)


def test_history_page_compares_two_sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "history.sqlite3"
    make_history(db)
    monkeypatch.setenv("GAIT_HISTORY", str(db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    at.sidebar.radio[0].set_value("History & compare").run()
    assert not at.exception, at.exception
    assert [s.value for s in at.selectbox if s.label == "Athlete"] == ["Sam"]
    text = _texts(at)
    assert "**Resolved**" in text and "Shorten your stride - land under your hips" in text
    table = at.dataframe[1].value
    row = table[table["metric"] == "shank_angle_at_contact_deg"].iloc[0]
    assert row["direction"].startswith("better") and row["change"] < -2.0
    assert len(at.get("image")) == 4  # two key frames of each session, side by side
    assert any(b.label.startswith("PDF of session") for b in at.get("download_button"))
    assert any(e.label.startswith("Open the saved analysis") for e in at.expander)
    assert "#### Good form" in _texts(at)  # the later session's cue cards


def test_history_page_without_sessions_says_how_to_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAIT_HISTORY", str(tmp_path / "empty.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    at.sidebar.radio[0].set_value("History & compare").run()
    assert not at.exception, at.exception
    assert any("Save to history" in i.value for i in at.info)
