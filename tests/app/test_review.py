"""The review panel driven headless (AppTest): move a contact, every number follows, the edit is saved and
shown again from the history; the exported events are the labels format the CLI reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.paths import ROOT

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIMEOUT_S = 600


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def _contact_ms(at: AppTest) -> float:
    found = re.search(r"Contact time of this step: \*\*(\d+) ms\*\*", _markdown(at))
    assert found, _markdown(at)
    return float(found.group(1))


def _cue_numbers(at: AppTest) -> list[str]:
    return [str(c.value) for c in at.caption if str(c.value).startswith("Numbers:")]


def _open_sample(at: AppTest) -> None:
    at.run()
    _button(at, "Try the sample video").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _pick_contact(at: AppTest, after_frame: int) -> str:
    box = next(s for s in at.selectbox if s.label == "Event")
    label = next(o for o in box.options if "landing" in o and int(o.split("frame ")[1].split(" ")[0]) > after_frame)
    box.set_value(label).run()
    assert not at.exception, at.exception
    return label


def test_moving_a_contact_rescores_and_the_edit_is_saved_and_reopened(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "history.sqlite3"
    monkeypatch.setenv("GAIT_HISTORY", str(db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    _open_sample(at)
    assert "Review the events" in [s.value for s in at.subheader]
    label = _pick_contact(at, 100)
    frame = int(label.split("frame ")[1].split(" ")[0])
    before_ms, before_cues = _contact_ms(at), _cue_numbers(at)
    captions = [i.caption for el in at.get("image") for i in el.proto.imgs]
    assert any(c.startswith(f"frame {frame} (") and "landing" in c for c in captions), captions[:5]

    _button(at, "Move by +3").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    moved = next(s for s in at.selectbox if s.label == "Event").value
    assert f"frame {frame + 3} " in moved and "edited" in moved, moved
    after_ms = _contact_ms(at)
    assert after_ms < before_ms - 50, (before_ms, after_ms)  # 3 frames at 30 fps later: 100 ms shorter
    assert any(e.label.startswith("What your last edit changed") for e in at.expander)
    changed = at.dataframe[0].value
    assert len(changed) > 0 and (changed["Before"] != changed["After"]).all()
    assert _cue_numbers(at) != before_cues  # the cue panel follows
    assert any(str(c.value).startswith(":orange[Changed by your last edit:") for c in at.caption)
    assert any("1 events were placed or moved by hand" in str(c.value) for c in at.caption)

    next(t for t in at.text_input if t.label.startswith("Reviewed by")).input("Dr Lee").run()
    assert not at.exception, at.exception
    assert any("Events reviewed by Dr Lee" in str(c.value) for c in at.caption)
    at.text_input(key="save_athlete").input("Sam R")
    _button(at, "Save to history").click().run()
    assert not at.exception, at.exception
    assert any("Saved as session" in s.value for s in at.success), [e.value for e in at.error]

    from gait.workflows.history import connect, list_sessions, load_session

    with connect(db) as conn:
        saved = load_session(conn, list_sessions(conn)[0].id)
    edited = [e for e in saved.report.events if e.source == "edited"]
    assert [(e.kind, e.frame) for e in edited] == [("contact", frame + 3)]
    assert saved.report.settings["review"]["reviewed_by"] == "Dr Lee"

    at.sidebar.radio[0].set_value("History & compare").run()
    assert not at.exception, at.exception
    assert any("Events reviewed by Dr Lee: 1 moved, 0 added, 0 removed" in i.value for i in at.info)
    table = at.dataframe[-1].value
    assert table.to_dict("records") == [
        {
            "Change": "moved",
            "Foot": label.split(" · ")[1].split()[0],
            "Event": "landing (contact)",
            "Frame": f"{frame} → {frame + 3}",
        }
    ]


def test_the_exported_events_rescore_like_the_review(tmp_path: Path) -> None:
    """events.json from the panel, read by the CLI's reader, scores exactly the reviewed analysis."""
    from gait import analyze_pose
    from gait.pipeline import verticals_of
    from gait.ui.state import current  # noqa: F401  (the app's state type is importable outside Streamlit)
    from gait.workflows.labelfile import load_labels

    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    _open_sample(at)
    _pick_contact(at, 150)
    _button(at, "Move by +3").click().run()
    shown = at.session_state["shown"]
    exported = next(b for b in at.get("download_button") if b.proto.label == "events.json")
    assert exported is not None
    from gait.workflows.review import edits_json

    path = tmp_path / "events.json"
    path.write_text(edits_json(shown.side, shown.clip.name), encoding="utf-8")
    assert json.loads(path.read_text())["events"][0].keys() >= {"kind", "frame", "foot"}
    again, _ = analyze_pose(
        shown.clean.raw, shown.side.video, shown.config, load_labels(path).events, verticals_of(shown.side)
    )
    assert again.metrics == shown.side.metrics and again.cues == shown.side.cues and again.events == shown.side.events
