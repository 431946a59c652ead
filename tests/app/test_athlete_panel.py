"""The History page's athlete panel (AppTest): erasing an athlete from the app leaves no byte of them in the
history file and forgets the poses the app kept; the export zip holds everything stored."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.support.paths import ROOT
from tests.support.runners import HEALTHY, analyse

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
NAME, NOTES, SHA = "Zelda Quintero-Marsh", "left knee arthroscopy, private", "ef" * 32


def _history(db: Path) -> None:
    from gait.workflows.history import connect, save_session

    report, _ = analyse(fps=60.0, duration_s=8.0, **HEALTHY)
    with connect(db) as conn:
        for day in ("2026-10-01", "2026-11-01"):
            save_session(conn, NAME, report, recorded_on=day, notes=NOTES, video_sha256=SHA, saved_by="pt")
        save_session(conn, "Olaf Vinterberg", report, recorded_on="2026-10-02", notes="other")


def _bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def test_erase_from_the_history_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.sqlite3"
    _history(db)
    poses = tmp_path / "poses"
    poses.mkdir()
    kept = poses / f"pose-{SHA[:32]}-0a1b2c3d.npz"
    kept.write_bytes(b"x")
    monkeypatch.setenv("GAIT_HISTORY", str(db))
    monkeypatch.setenv("GAIT_POSE_CACHE_DIR", str(poses))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.sidebar.radio[0].set_value("History & compare").run()
    athlete = next(s for s in at.selectbox if s.label == "Athlete")
    athlete.set_value(NAME).run()
    erase = next(b for b in at.button if b.label == "Erase")
    assert erase.disabled  # until the name is typed
    next(t for t in at.text_input if t.label.startswith("Type the athlete's name")).set_value(NAME).run()
    next(b for b in at.button if b.label == "Erase").click().run()
    assert not at.exception, at.exception
    assert any(f"Erased {NAME}: 2 sessions" in str(s.value) for s in at.success)
    assert [s.value for s in at.selectbox if s.label == "Athlete"] == ["Olaf Vinterberg"]
    data = _bytes(db)
    assert NAME.encode() not in data and NOTES.encode() not in data and b"Olaf Vinterberg" in data
    assert not kept.exists()
    from gait.workflows.history import connect
    from gait.workflows.history_audit import audit_rows

    with connect(db) as conn:
        assert audit_rows(conn)[-1].action == "erase" and "(app, this computer)" in audit_rows(conn)[-1].actor


def test_the_export_zip_holds_everything(tmp_path: Path) -> None:
    from gait.ui.athlete_data import export_zip
    from gait.workflows.history import connect

    db = tmp_path / "h.sqlite3"
    _history(db)
    with connect(db) as conn:
        data = export_zip(conn, NAME, "pt@clinic.example")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        everything = json.loads(zf.read("athlete.json"))
        assert all(zf.read(n).startswith(b"%PDF") for n in names if n.endswith(".pdf"))
    assert sorted(n for n in names if n.endswith(".pdf")) == [
        "session-1-2026-10-01/report.pdf",
        "session-2-2026-11-01/report.pdf",
    ]
    assert len([n for n in names if n.endswith("report.json")]) == 2
    assert [s["notes"] for s in everything["sessions"]] == [NOTES, NOTES]
    assert everything["audit"][-1]["action"] == "export" and everything["audit"][-1]["actor"] == "pt@clinic.example"
