"""The athlete history: save/list/load/delete, schema migrations, and two processes writing at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from functools import lru_cache
from pathlib import Path

import pytest

from gait.core.types import GaitReport
from gait.workflows.history import (
    MIGRATIONS,
    SCHEMA_VERSION,
    HistoryError,
    connect,
    delete_session,
    list_athletes,
    list_sessions,
    load_session,
    save_session,
)
from tests.support.runners import HEALTHY, analyse


@lru_cache(maxsize=1)
def report_json() -> str:
    return analyse(fps=60.0, duration_s=8.0, **HEALTHY)[0].to_json()


def a_report() -> GaitReport:
    return GaitReport.from_json(report_json())


def test_save_list_load_delete_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    rep = a_report()
    with connect(db) as conn:
        s1 = save_session(
            conn, " Sam ", rep, recorded_on="2026-01-10", notes="baseline", key_frames=(("k", b"\xff\xd8jpeg"),)
        )
        s2 = save_session(conn, "Sam", rep, recorded_on="2026-02-10")
        s3 = save_session(conn, "Alex", rep, recorded_on="2026-01-05")
        assert list_athletes(conn) == ["Alex", "Sam"]
        sam = list_sessions(conn, "Sam")
        assert [s.id for s in sam] == [s1, s2]  # oldest run first, name trimmed
        assert sam[0].notes == "baseline" and sam[0].video_name == "synthetic.mp4"
        assert sam[0].cadence_spm == pytest.approx(rep.metrics["cadence_spm"].value)
        loaded = load_session(conn, s1)
        assert loaded.report == rep  # the full report, exactly
        assert loaded.key_frames == (("k", b"\xff\xd8jpeg"),)
        assert loaded.settings == rep.settings
        delete_session(conn, s3)
        assert list_athletes(conn) == ["Sam"]
        with pytest.raises(HistoryError, match="No saved session"):
            delete_session(conn, s3)
        with pytest.raises(HistoryError, match="No saved session"):
            load_session(conn, 999)
    # Data persists across connections.
    with connect(db) as conn:
        assert len(list_sessions(conn)) == 2


def test_bad_athlete_and_date_are_refused(tmp_path: Path) -> None:
    with connect(tmp_path / "h.sqlite3") as conn:
        with pytest.raises(HistoryError, match="athlete"):
            save_session(conn, "  ", a_report())
        with pytest.raises(HistoryError, match="YYYY-MM-DD"):
            save_session(conn, "Sam", a_report(), recorded_on="10/01/2026")
        assert list_sessions(conn) == []  # nothing half-saved


def test_a_version_1_file_is_migrated_keeping_its_data(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(db)
    raw.executescript(MIGRATIONS[0])
    raw.execute("INSERT INTO athletes(name) VALUES ('Sam')")
    raw.execute(
        "INSERT INTO sessions(athlete_id, recorded_on, notes, settings_json, report_json, created_at) "
        "VALUES (1, '2025-12-01', 'old', '{}', ?, '2025-12-01T10:00:00+00:00')",
        (report_json(),),
    )
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    with connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        (old,) = list_sessions(conn)
        assert old.notes == "old" and old.video_name == "" and old.saved_by == ""
        assert load_session(conn, old.id).key_frames == ()
        save_session(conn, "Sam", a_report(), key_frames=(("k", b"x"),))  # the new table works
        assert len(list_sessions(conn, "Sam")) == 2


def _sqlite_file(path: Path, statement: str) -> Path:
    """A plain SQLite file made with one statement (not through gait)."""
    raw = sqlite3.connect(path)
    raw.execute(statement)
    raw.commit()
    raw.close()
    return path


def test_foreign_or_newer_files_are_refused(tmp_path: Path) -> None:
    other = _sqlite_file(tmp_path / "other.sqlite3", "CREATE TABLE stuff(x)")
    with pytest.raises(HistoryError, match="not a gait history"):
        with connect(other):
            pass
    newer = _sqlite_file(tmp_path / "newer.sqlite3", f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError, match="newer gait"):
        with connect(newer):
            pass
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database at all, just some text that is long enough " * 20)
    with pytest.raises(HistoryError, match="not a usable gait history"):
        with connect(text):
            pass


def _writer(db: str, athlete: str, n: int, text: str) -> None:
    rep = GaitReport.from_json(text)
    for i in range(n):
        with connect(db) as conn:  # a fresh connection per save, like separate app and CLI runs
            save_session(conn, athlete, rep, notes=f"{athlete} {i}", key_frames=(("k", bytes([i % 256]) * 2000),))


def test_two_processes_writing_at_once_do_not_corrupt_the_file(tmp_path: Path) -> None:
    db = str(tmp_path / "shared.sqlite3")
    with connect(db):
        pass  # create the schema first, as the app would have
    n = 40
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db, name, n, report_json())) for name in ("app", "cli")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    with connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for name in ("app", "cli"):
            notes = {s.notes for s in list_sessions(conn, name)}
            assert notes == {f"{name} {i}" for i in range(n)}
        assert conn.execute("SELECT count(*) FROM key_frames").fetchone()[0] == 2 * n


def test_an_athlete_name_with_a_line_break_is_refused(tmp_path) -> None:
    """It would print as two lines in every list of sessions (the app's text box cannot make one; a script can)."""
    import pytest

    from gait.workflows.history import HistoryError, connect, save_session
    from tests.support.runners import HEALTHY, analyse

    report, _ = analyse(**HEALTHY)
    with connect(tmp_path / "h.sqlite3") as conn, pytest.raises(HistoryError, match="one line"):
        save_session(conn, "Sam\nSmith", report)


def test_names_and_dates_are_checked_as_people_write_them() -> None:
    import pytest

    from gait.workflows.history import HistoryError, athlete_name, run_date

    assert athlete_name("  Jean\xa0Dupont ") == "Jean\xa0Dupont"  # a no-break space is part of a name
    for bad in ("Sam\nSmith", "Sam\u2028Smith", "Sam\x00"):
        with pytest.raises(HistoryError, match="one line"):
            athlete_name(bad)
    assert run_date("2026-12-02") == "2026-12-02"
    for bad in ("20261202", "2026-W49-3", "2026-13-45", "tomorrow", "2026-12-02T10:00"):
        with pytest.raises(HistoryError, match="YYYY-MM-DD"):
            run_date(bad)
