"""An athlete's data on request: erased completely, or exported.

:func:`erase_athlete` deletes the athlete, their sessions and key frames, then rewrites the database file so
nothing of them can be recovered from it (``secure_delete`` zeroes the freed pages, ``VACUUM`` rebuilds the file,
a ``TRUNCATE`` checkpoint empties the write-ahead log); :func:`forget_pose_caches` removes the poses the app kept
of their videos. :func:`export_athlete` writes every session's report.json and PDF, the key frames, and one JSON
of everything the history holds about them (the audit rows included).
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from gait.workflows.history import HistoryError, athlete_name, load_session, session_video_sha256
from gait.workflows.history_audit import audit_rows, record


@dataclass(frozen=True)
class Erased:
    """What an erasure removed."""

    athlete_id: int
    n_sessions: int
    video_sha256: tuple[str, ...]


def athlete_id(conn: sqlite3.Connection, athlete: str) -> int:
    """The number of a stored athlete. Raises HistoryError naming the command that lists them."""
    name = athlete_name(athlete)
    row = conn.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise HistoryError(f"No athlete {name!r} in the history; `gait history list` shows the saved ones.")
    return int(row[0])


def _session_ids(conn: sqlite3.Connection, aid: int) -> list[int]:
    q = "SELECT id FROM sessions WHERE athlete_id = ? ORDER BY recorded_on, id"
    return [int(r[0]) for r in conn.execute(q, (aid,))]


def erase_athlete(conn: sqlite3.Connection, athlete: str, actor: str) -> Erased:
    """Delete an athlete and everything stored about them, and leave nothing recoverable in the database file.

    The audit trail keeps one "erase" row (the athlete's number, how many sessions, who): never the name.

    Raises
    ------
    HistoryError
        No such athlete, or another program kept the write-ahead log open so it could not be emptied (close the
        other gait windows and run the erasure again: it finishes the clean-up).
    """
    aid = athlete_id(conn, athlete)
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("BEGIN IMMEDIATE")
    try:
        hashes = conn.execute(
            "SELECT DISTINCT video_sha256 FROM sessions WHERE athlete_id = ? AND video_sha256 != ''", (aid,)
        ).fetchall()
        sids = _session_ids(conn, aid)
        conn.execute(
            "DELETE FROM key_frames WHERE session_id IN (SELECT id FROM sessions WHERE athlete_id = ?)", (aid,)
        )
        conn.execute("DELETE FROM sessions WHERE athlete_id = ?", (aid,))
        conn.execute("DELETE FROM athletes WHERE id = ?", (aid,))
        record(conn, actor, "erase", aid, None, f"{len(sids)} sessions erased")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    scrub(conn)
    return Erased(aid, len(sids), tuple(str(h[0]) for h in hashes))


def scrub(conn: sqlite3.Connection) -> None:
    """Rewrite the database file without free pages and empty its write-ahead log.

    Raises
    ------
    HistoryError
        Another connection holds the log, so old pages may still be in it.
    """
    conn.execute("VACUUM")
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise HistoryError(
            "The data was deleted, but another gait window or command still has the history open, so the old "
            "copy in its log file could not be wiped yet. Close the others and run the erasure again."
        )


def forget_pose_caches(video_sha256: Iterable[str], folders: Iterable[Path]) -> list[Path]:
    """Delete the files the app kept of these videos (poses, stored uploads, annotated renders) in ``folders``.

    The app names them after the video's content hash (``pose-<hash>-*.npz``, ``<hash>*``); returns those removed.
    """
    removed: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for sha in video_sha256:
            if not re.fullmatch(r"[0-9a-f]{16,64}", sha):
                continue
            for f in [*folder.glob(f"pose-{sha[:32]}-*.npz"), *folder.glob(f"{sha[:16]}*")]:
                if f.is_file():
                    f.unlink()
                    removed.append(f)
    return removed


def _safe(text: str) -> str:
    """A file-name-safe form of a name or label."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:60] or "x"


def export_athlete(conn: sqlite3.Connection, athlete: str, out: Path, actor: str) -> list[Path]:
    """Write everything stored about an athlete into the folder ``out``.

    Per session, ``session-<id>-<date>/`` holds report.json, report.pdf and the key frames (JPEG); ``athlete.json``
    holds the athlete, every session (notes, settings, report, who saved it, key frame files) and the audit rows.
    The export is recorded in the audit trail. Returns the files written.

    Raises
    ------
    HistoryError
        No such athlete, or ``out`` is a file.
    """
    from gait.outputs.files import write_atomic
    from gait.workflows.analysis import handout_pdf

    aid = athlete_id(conn, athlete)
    if out.exists() and not out.is_dir():
        raise HistoryError(f"--out {out}: is a file; give a folder to write the export into.")
    out.mkdir(parents=True, exist_ok=True)
    name = athlete_name(athlete)
    written: list[Path] = []
    sessions = []
    for sid in _session_ids(conn, aid):
        s = load_session(conn, sid)
        folder = out / f"session-{sid}-{s.info.recorded_on}"
        folder.mkdir(exist_ok=True)
        written.append(write_atomic(folder / "report.json", s.report.to_json()))
        pdf = handout_pdf(
            s.report,
            list(s.key_frames),
            athlete=name,
            recorded_on=s.info.recorded_on,
            notes=s.info.notes,
            video_name=s.info.video_name or None,
        )
        written.append(write_atomic(folder / "report.pdf", pdf))
        frames = []
        for i, (label, jpeg) in enumerate(s.key_frames):
            written.append(write_atomic(folder / f"key-frame-{i + 1}-{_safe(label)}.jpg", jpeg))
            frames.append(
                {
                    "label": label,
                    "file": written[-1].relative_to(out).as_posix(),
                    "jpeg_base64": base64.b64encode(jpeg).decode(),
                }
            )
        sessions.append(
            {
                **asdict(s.info),
                "settings": s.settings,
                "report": json.loads(s.report.to_json()),
                "key_frames": frames,
                "video_sha256": session_video_sha256(conn, sid),
            }
        )
    conn.execute("BEGIN IMMEDIATE")
    record(conn, actor, "export", aid, None, f"{len(sessions)} sessions exported")
    conn.execute("COMMIT")
    everything = {
        "athlete": {"name": name, "number": aid},
        "sessions": sessions,
        "audit": [asdict(r) for r in audit_rows(conn, aid)],
    }
    written.append(write_atomic(out / "athlete.json", json.dumps(everything, indent=2, ensure_ascii=False)))
    return written
