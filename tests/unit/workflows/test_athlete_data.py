"""An athlete's data at rest: owner-only files, the audit trail, erasure that leaves no bytes behind (searched in
the database file and its -wal/-shm), and the export; the erase/export commands end to end."""

from __future__ import annotations

import json
import stat
from functools import lru_cache
from pathlib import Path

import pytest

from gait.core.types import GaitReport
from gait.workflows.analysis import with_review
from gait.workflows.athlete_data import erase_athlete, export_athlete, forget_pose_caches
from gait.workflows.history import HistoryError, connect, delete_session, list_athletes, list_sessions, save_session
from gait.workflows.history_audit import audit_rows
from tests.support.cli import run_cli_in_process
from tests.support.runners import HEALTHY, analyse

NAME = "Zelda Quintero-Marsh"
NOTES = "left knee arthroscopy 2025, physio Dr Okonkwo-Brandt"
OTHER = "Olaf Vinterberg"
SHA = "ab" * 32
OTHER_SHA = "cd" * 32


def _jpeg_with_marker() -> bytes:
    """A real JPEG carrying a unique text (a comment segment), so its bytes can be searched for."""
    import numpy as np

    from gait.outputs.keyframes import to_jpeg

    jpeg = to_jpeg(np.full((16, 16, 3), 128, np.uint8))
    text = b"ZQM-KEYFRAME-PIXELS"
    return jpeg[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + jpeg[2:]


FRAME = _jpeg_with_marker()


@lru_cache(maxsize=1)
def report_json() -> str:
    return analyse(fps=60.0, duration_s=8.0, **HEALTHY)[0].to_json()


def a_report() -> GaitReport:
    return GaitReport.from_json(report_json())


def _file_bytes(db: Path) -> bytes:
    """The database file and its -wal and -shm files, as they are on disk."""
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def _fill(db: Path) -> None:
    rep = a_report()
    with connect(db) as conn:
        for day in ("2026-10-01", "2026-11-01"):
            save_session(
                conn, NAME, rep, recorded_on=day, notes=NOTES, key_frames=(("contact", FRAME),), video_sha256=SHA,
                saved_by="pt@clinic.example",
            )  # fmt: skip
        save_session(conn, OTHER, rep, recorded_on="2026-10-02", notes="other notes", video_sha256=OTHER_SHA)


def test_history_file_and_folder_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "new-folder" / "h.sqlite3"
    _fill(db)
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if p.exists():
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    db.chmod(0o644)  # an older gait's file is made private when opened
    with connect(db):
        pass
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_saves_reviews_and_deletions_record_who(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    rep = a_report()
    reviewed = with_review(rep, rep.events, "Pat Reviewer")
    with connect(db) as conn:
        sid = save_session(conn, NAME, reviewed, notes=NOTES, saved_by="pt@clinic.example")
        assert list_sessions(conn, NAME)[0].saved_by == "pt@clinic.example"
        delete_session(conn, sid, "boss@clinic.example")
        rows = audit_rows(conn)
    assert [(r.action, r.actor, r.session_id) for r in rows] == [
        ("save", "pt@clinic.example", sid),
        ("review", "pt@clinic.example", sid),
        ("delete", "boss@clinic.example", sid),
    ]
    assert rows[1].detail == "events reviewed by Pat Reviewer"
    assert all(NAME not in r.detail and NOTES not in r.detail for r in rows)


def test_erasure_leaves_no_bytes_of_the_athlete_in_the_file(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    _fill(db)
    before = _file_bytes(db)
    assert NAME.encode() in before and NOTES.encode() in before and FRAME in before  # the search can find them
    with connect(db) as reader, connect(db) as conn:
        list_athletes(reader)  # another connection open on the file (the app's) does not stop the erasure
        erased = erase_athlete(conn, NAME, "pt@clinic.example")
        assert list_athletes(conn) == [OTHER]
        rows = audit_rows(conn, erased.athlete_id)
    after = _file_bytes(db)
    for needle in (NAME.encode(), NOTES.encode(), FRAME, NAME.encode("utf-16-le")):
        assert needle not in after
    assert OTHER.encode() in after  # the other athlete is untouched
    assert erased.n_sessions == 2 and erased.video_sha256 == (SHA,)
    assert (
        rows[-1].action == "erase" and rows[-1].actor == "pt@clinic.example" and rows[-1].detail == "2 sessions erased"
    )
    with connect(db) as conn, pytest.raises(HistoryError, match="No athlete"):
        erase_athlete(conn, NAME, "x")


def test_erasure_forgets_the_kept_poses_of_their_videos_only(tmp_path: Path) -> None:
    mine = [tmp_path / f"pose-{SHA[:32]}-0a1b2c3d.npz", tmp_path / f"{SHA[:16]}-key-1.mp4"]
    theirs = tmp_path / f"pose-{OTHER_SHA[:32]}-0a1b2c3d.npz"
    for p in (*mine, theirs):
        p.write_bytes(b"x")
    assert sorted(forget_pose_caches([SHA, "../etc"], [tmp_path, tmp_path / "missing"])) == sorted(mine)
    assert theirs.exists() and not any(p.exists() for p in mine)


def test_export_holds_everything_stored(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    _fill(db)
    with connect(db) as conn:
        written = export_athlete(conn, NAME, tmp_path / "out", "pt@clinic.example")
    everything = json.loads((tmp_path / "out" / "athlete.json").read_text())
    assert everything["athlete"]["name"] == NAME
    assert [s["recorded_on"] for s in everything["sessions"]] == ["2026-10-01", "2026-11-01"]
    assert {s["notes"] for s in everything["sessions"]} == {NOTES}
    assert all(s["saved_by"] == "pt@clinic.example" for s in everything["sessions"])
    assert everything["sessions"][0]["report"]["metrics"] == json.loads(report_json())["metrics"]
    assert [a["action"] for a in everything["audit"]] == ["save", "save", "export"]
    pdfs = [p for p in written if p.suffix == ".pdf"]
    jpegs = [p for p in written if p.suffix == ".jpg"]
    assert len(pdfs) == 2 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert len(jpegs) == 2 and all(p.read_bytes() == FRAME for p in jpegs)
    assert OTHER not in (tmp_path / "out" / "athlete.json").read_text()


def test_erase_and_export_commands_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.sqlite3"
    poses = tmp_path / "poses"
    poses.mkdir()
    kept = poses / f"pose-{SHA[:32]}-0a1b2c3d.npz"
    kept.write_bytes(b"x")
    _fill(db)
    out = tmp_path / "export"
    proc = run_cli_in_process("history", "export", NAME, "--out", str(out), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert (out / "athlete.json").is_file() and len(list(out.glob("session-*/report.pdf"))) == 2
    monkeypatch.setenv("GAIT_POSE_CACHE_DIR", str(poses))
    proc = run_cli_in_process("history", "erase", NAME, "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "2 sessions" in proc.stdout and not kept.exists()
    data = _file_bytes(db)
    assert NAME.encode() not in data and NOTES.encode() not in data and FRAME not in data
    proc = run_cli_in_process("history", "erase", NAME, "--db", str(db))
    assert proc.returncode != 0 and "No athlete" in proc.stderr and "Traceback" not in proc.stderr
    listing = run_cli_in_process("history", "list", "--db", str(db))
    assert NAME not in listing.stdout and OTHER in listing.stdout


def test_a_folder_given_as_the_history_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    with pytest.raises(HistoryError, match="cannot open"), connect(folder):
        pass
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_an_existing_chosen_folder_is_left_as_it_is(tmp_path: Path) -> None:
    chosen = tmp_path / "shared-drive"
    chosen.mkdir()
    chosen.chmod(0o755)
    with connect(chosen / "h.sqlite3"):
        pass
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755
    assert stat.S_IMODE((chosen / "h.sqlite3").stat().st_mode) == 0o600


def test_gaits_own_folder_is_made_owner_only_even_when_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GAIT_HISTORY", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    own = tmp_path / "gait"
    own.mkdir()
    own.chmod(0o755)
    with connect():
        pass
    assert stat.S_IMODE(own.stat().st_mode) == 0o700
    assert stat.S_IMODE((own / "history.sqlite3").stat().st_mode) == 0o600
