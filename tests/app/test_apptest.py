"""The Streamlit app driven headless with AppTest: a real clip gives results; a bad file gives a friendly error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.paths import ROOT

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIMEOUT_S = 600


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+_(?:deg|ms|spm|pct|cm|s|m)\b")


def _all_text(at: AppTest) -> str:
    """Everything a person reads: text elements, metric cards and table cells."""
    parts = [_texts(at)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [t.value.to_string() for t in at.table]
    parts += [str(i.value) for i in at.info] + [str(w.value) for w in at.warning]
    return "\n".join(parts)


def test_sample_then_save_keeps_the_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "history.sqlite3"
    monkeypatch.setenv("GAIT_HISTORY", str(db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception
    assert any("How to film" in e.label for e in at.expander)  # capture guide before upload
    assert [n.value for n in at.number_input] == [None, None]  # optional height and belt speed start empty
    next(b for b in at.button if b.label == "Try the sample video").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    subheaders = [s.value for s in at.subheader]
    for needed in ("Summary", "Annotated video", "What to work on", "Metrics", "Key frames", "Downloads"):
        assert needed in subheaders, subheaders
    text = _all_text(at)
    assert "Heel strike" in text  # this runner's cue (tests/snapshots/treadmill_report.json)
    assert "treadmill_side.mp4" in text
    # People's words: labels, not code names; no "None" cells.
    assert {"Cadence", "Shin angle at landing"} <= {m.label.split(" (")[0] for m in at.metric}, [
        m.label for m in at.metric
    ]
    assert not SNAKE.findall(text), SNAKE.findall(text)[:5]
    table = at.table[0].value
    assert "Shin angle at landing" in table.index and "None" not in table.to_string()
    assert table.loc["Shin angle at landing", "Work on"]  # on its screening line: marked borderline
    # How far each number can be from the truth on this footage: never finer than the knee angle's resolution,
    # contact time never finer than a frame at 30 fps.
    from gait.metrics.registry import REGISTRY

    knee = REGISTRY["knee_flexion_at_contact_deg"].resolution
    assert float(table.loc["Knee bend at landing", "Good to"].strip("±°")) >= round(knee)
    assert float(table.loc["Ground contact time", "Good to"].strip("± ms")) >= 33
    labels = [b.label for b in at.get("download_button")]
    assert {"report.json", "metrics.csv", "annotated.mp4", "report.pdf"} <= set(labels), labels
    assert any("clinician" in i.value for i in at.info)

    # Save without a name: the message is next to the name field, the results stay, nothing is saved.
    next(b for b in at.button if b.label == "Save to history").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Type the athlete's name or ID here, then press Save again."]
    assert "Key frames" in [s.value for s in at.subheader]
    assert not db.exists() or _n_sessions(db) == 0

    # With a name: saved, and the results are still on screen.
    at.text_input(key="save_athlete").input("Sam R")
    next(b for b in at.button if b.label == "Save to history").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("Saved as session" in s.value and "Sam R" in s.value for s in at.success)
    assert "Key frames" in [s.value for s in at.subheader]
    assert _n_sessions(db) == 1


def _n_sessions(db: Path) -> int:
    from gait.workflows.history import connect, list_sessions

    with connect(db) as conn:
        return len(list_sessions(conn))


def test_walking_clip_gets_no_running_advice() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    next(b for b in at.button if b.label == "Try a walking clip").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    text = _all_text(at)
    assert "running cues do not apply" in text
    for running_cue in ("Run tall", "Quiet your upper body", "Shorten your stride"):
        assert running_cue not in text
    marks = at.table[0].value[["Work on", "Among runners"]]
    assert not marks.astype(bool).any().any()  # running lines and ranges are not held against a walk
    assert "for running" in text


def test_bad_upload_shows_a_friendly_error(tmp_path: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    at.file_uploader[0].upload("holiday.mp4", b"this is not a video" * 100, "video/mp4")
    next(b for b in at.button if b.label == "Analyse").click()
    at.run()
    assert not at.exception, at.exception
    assert at.error, "expected a friendly error"
    msg = at.error[0].value
    assert "could not analyse" in msg and "not a video" in msg.lower() and msg.count("holiday.mp4") == 1
    assert "Traceback" not in msg
    assert "/tmp" not in msg and "gait-" not in msg and not re.search(r"[0-9a-f]{16}", msg), msg


def make_history(db: Path) -> None:
    """Two synthetic sessions of one athlete: an overstrider, then the same runner landing under the hips."""
    import numpy as np

    from gait.outputs.keyframes import to_jpeg
    from gait.workflows.history import connect, save_session
    from tests.support.runners import synthetic_report as report

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
    row = table[table["Measure"] == "Shin angle at landing"].iloc[0]
    assert row["Direction"].startswith("better") and float(row["Change"].rstrip("°")) < -2.0
    assert not SNAKE.findall(table.to_string())
    assert "Trend" in [s.value for s in at.subheader]  # the trend across sessions
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
