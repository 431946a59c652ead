"""Athlete history: analyses saved under an athlete, in a local SQLite file.

One file, standard-library :mod:`sqlite3`. The schema is versioned (``PRAGMA user_version``) and upgraded by
the ordered :data:`MIGRATIONS` when a file is opened. WAL journaling, a busy timeout and one transaction per
write let the app and the CLI write to the same file at once without corrupting it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gait.core.errors import GaitError
from gait.core.types import GaitReport, report_from_text

BUSY_TIMEOUT_MS = 30_000

#: Schema upgrades, applied in order; ``PRAGMA user_version`` counts how many have run. Never edit one that
#: has shipped: append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: athletes and their sessions, the full report as JSON
    """
    CREATE TABLE athletes (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
        recorded_on TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        settings_json TEXT NOT NULL,
        report_json TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    # 2: where the video came from, and key frames (JPEG) for side-by-side comparison without the video
    """
    ALTER TABLE sessions ADD COLUMN video_name TEXT NOT NULL DEFAULT '';
    ALTER TABLE sessions ADD COLUMN video_sha256 TEXT NOT NULL DEFAULT '';
    CREATE INDEX sessions_by_athlete ON sessions(athlete_id, recorded_on);
    CREATE TABLE key_frames (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        label TEXT NOT NULL,
        jpeg BLOB NOT NULL,
        PRIMARY KEY (session_id, position)
    );
    """,
    # 3: who saved each session, and the audit trail (saves, reviews, deletions, erasures, exports): who, when,
    # which athlete *number* and session; never a name or notes, so an erased athlete leaves nothing readable
    """
    ALTER TABLE sessions ADD COLUMN saved_by TEXT NOT NULL DEFAULT '';
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        athlete_id INTEGER,
        session_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(GaitError):
    """The history file cannot be used, or a session does not exist."""


def athlete_name(text: str) -> str:
    """An athlete's name or ID as stored: trimmed, not empty, on one line.

    Raises
    ------
    HistoryError
        Empty, or holding a line break or another control character (a no-break space is fine).
    """
    import unicodedata

    name = text.strip()
    if not name:
        raise HistoryError("Give an athlete name or ID to save the session under.")
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in name):
        raise HistoryError(
            f"The athlete name {name[:40]!r} holds a line break or another control character; type it on one line."
        )
    return name


def run_date(text: str) -> str:
    """The date of a run as stored and sorted: exactly YYYY-MM-DD, a real day.

    Raises
    ------
    HistoryError
        Any other form ("20261202", "2026-W49-3", "tomorrow") or a day that does not exist ("2026-13-45").
    """
    import re

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise HistoryError(f"{text[:40]!r} is not a date; give it as YYYY-MM-DD, e.g. 2026-12-02.") from None


@dataclass(frozen=True)
class SessionInfo:
    """One saved analysis, without its report (for listings)."""

    id: int
    athlete: str
    recorded_on: str
    notes: str
    video_name: str
    created_at: str
    cadence_spm: float | None = None
    n_cues: int = 0
    saved_by: str = ""


@dataclass(frozen=True)
class Session:
    """One saved analysis with its report, settings and key frames."""

    info: SessionInfo
    report: GaitReport
    settings: dict[str, object]
    key_frames: tuple[tuple[str, bytes], ...] = field(default=())


def default_path() -> Path:
    """``$GAIT_HISTORY`` if set, else ``$XDG_DATA_HOME/gait/history.sqlite3`` (``~/.local/share`` by default)."""
    env = os.environ.get("GAIT_HISTORY")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "gait" / "history.sqlite3"


@contextmanager
def connect(path: str | Path | None = None) -> Iterator[sqlite3.Connection]:
    """Open (creating and upgrading as needed) the history file.

    Parameters
    ----------
    path : the SQLite file; :func:`default_path` when None.

    Raises
    ------
    HistoryError
        The file is not a gait history, is from a newer version of gait, or cannot be opened.
    """
    from gait.workflows.history_audit import make_private

    p = Path(path) if path is not None else default_path()
    try:
        make_private(p, own_folder=path is None)
        conn = sqlite3.connect(p, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise HistoryError(f"{p}: cannot open the history file ({exc}). Check the path and its permissions.") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten with zeros, not left in free pages
        _migrate(conn, p)
        yield conn
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"{p}: not a usable gait history file ({exc}). Give another --db path.") from None
    finally:
        conn.close()


def _migrate(conn: sqlite3.Connection, p: Path) -> None:
    with _write(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"{p}: written by a newer gait (schema {version}, this one knows {SCHEMA_VERSION}). Upgrade gait."
            )
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise HistoryError(f"{p}: this SQLite file is not a gait history. Give another --db path.")
        for v in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[v].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {v + 1}")


@contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taking the write lock up front (no lock upgrades, so no deadlocks)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def save_session(
    conn: sqlite3.Connection,
    athlete: str,
    report: GaitReport,
    *,
    recorded_on: str | None = None,
    notes: str = "",
    video_sha256: str = "",
    key_frames: tuple[tuple[str, bytes], ...] = (),
    video_name: str | None = None,
    saved_by: str = "",
) -> int:
    """Save an analysis under an athlete (created when new). Returns the session id.

    Parameters
    ----------
    athlete : the athlete's name or ID (whitespace trimmed; must not be empty).
    recorded_on : ISO date of the run (today when None).
    key_frames : (label, JPEG bytes) pairs shown when comparing sessions.
    video_name : the name to show for the video (default: the report's file name; the app passes the name the
        user uploaded, as its stored copy has a hash name).
    saved_by : who saved it (the signed-in person, or the local user): kept on the session and in the audit trail,
        with a "review" row when its events were reviewed by hand.
    """
    from gait.workflows.history_audit import record, review_detail

    name = athlete_name(athlete)
    day = run_date(recorded_on) if recorded_on else dt.date.today().isoformat()
    created = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with _write(conn):
        conn.execute("INSERT OR IGNORE INTO athletes(name) VALUES (?)", (name,))
        (athlete_id,) = conn.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
        cur = conn.execute(
            "INSERT INTO sessions(athlete_id, recorded_on, notes, settings_json, report_json, created_at, "
            "video_name, video_sha256, saved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                athlete_id,
                day,
                notes,
                json.dumps(report.settings, sort_keys=True),
                report.to_json(),
                created,
                video_name if video_name is not None else Path(report.video.path).name,
                video_sha256,
                saved_by,
            ),
        )
        sid = int(cur.lastrowid or 0)
        record(conn, saved_by, "save", athlete_id, sid)
        reviewed = review_detail(report)
        if reviewed:
            record(conn, saved_by, "review", athlete_id, sid, reviewed)
        conn.executemany(
            "INSERT INTO key_frames(session_id, position, label, jpeg) VALUES (?, ?, ?, ?)",
            [(sid, i, label, jpeg) for i, (label, jpeg) in enumerate(key_frames)],
        )
    return sid


_INFO_COLUMNS = """s.id, a.name, s.recorded_on, s.notes, s.video_name, s.created_at,
       json_extract(s.report_json, '$.metrics.cadence_spm.value'), json_array_length(s.report_json, '$.cues'),
       s.saved_by"""
_FROM = "FROM sessions s JOIN athletes a ON a.id = s.athlete_id"
_LIST_SQL = f"SELECT {_INFO_COLUMNS} {_FROM}"


def list_sessions(conn: sqlite3.Connection, athlete: str | None = None) -> list[SessionInfo]:
    """Saved sessions, oldest run first; only one athlete's when ``athlete`` is given."""
    if athlete is None:
        rows = conn.execute(_LIST_SQL + " ORDER BY a.name, s.recorded_on, s.id").fetchall()
    else:
        q = _LIST_SQL + " WHERE a.name = ? ORDER BY s.recorded_on, s.id"
        rows = conn.execute(q, (athlete.strip(),)).fetchall()
    return [SessionInfo(*r) for r in rows]


def list_athletes(conn: sqlite3.Connection) -> list[str]:
    """Athlete names with at least one session, sorted."""
    q = "SELECT DISTINCT a.name FROM athletes a JOIN sessions s ON s.athlete_id = a.id ORDER BY a.name"
    return [r[0] for r in conn.execute(q)]


def load_session(conn: sqlite3.Connection, session_id: int) -> Session:
    """One session with its report and key frames. Raises HistoryError when it does not exist."""
    q = f"SELECT {_INFO_COLUMNS}, s.report_json, s.settings_json {_FROM} WHERE s.id = ?"
    row = conn.execute(q, (session_id,)).fetchone() if _valid_id(session_id) else None
    if row is None:
        raise HistoryError(f"No saved session {session_id}; `gait history list` shows the saved ones.")
    *info, report_json, settings_json = row
    frames = conn.execute(
        "SELECT label, jpeg FROM key_frames WHERE session_id = ? ORDER BY position", (session_id,)
    ).fetchall()
    try:
        report = report_from_text(report_json, f"saved session {session_id}")
        settings = json.loads(settings_json)
    except (GaitError, TypeError, ValueError) as exc:
        raise HistoryError(str(exc)) from None
    return Session(
        info=SessionInfo(*info),
        report=report,
        settings=settings,
        key_frames=tuple((label, bytes(jpeg)) for label, jpeg in frames),
    )


def delete_session(conn: sqlite3.Connection, session_id: int, actor: str = "") -> None:
    """Delete a session (and its key frames), recording ``actor`` in the audit trail. Raises HistoryError when it
    does not exist."""
    from gait.workflows.history_audit import record

    with _write(conn):
        q = "SELECT athlete_id FROM sessions WHERE id = ?"
        row = conn.execute(q, (session_id,)).fetchone() if _valid_id(session_id) else None
        if row is None:
            raise HistoryError(f"No saved session {session_id}; nothing was deleted.")
        conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        record(conn, actor, "delete", int(row[0]), session_id)
        conn.execute("DELETE FROM athletes WHERE id NOT IN (SELECT athlete_id FROM sessions)")


def session_video_sha256(conn: sqlite3.Connection, session_id: int) -> str:
    """The content hash of a session's video ("" when it was not recorded or the session does not exist)."""
    row = conn.execute("SELECT video_sha256 FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return str(row[0] or "") if row else ""


def athlete_trend(conn: sqlite3.Connection, athlete: str, metrics: tuple[str, ...]) -> list[dict[str, object]]:
    """One athlete's metric values over the saved sessions, oldest first (read-only; for trend charts).

    Returns
    -------
    list of dict
        ``{"id", "recorded_on", "metric", "value"}``, one per session and metric that has a value.
    """
    q = (
        "SELECT s.id, s.recorded_on, s.report_json FROM sessions s JOIN athletes a ON a.id = s.athlete_id "
        "WHERE a.name = ? ORDER BY s.recorded_on, s.id"
    )
    out: list[dict[str, object]] = []
    for sid, day, report_json in conn.execute(q, (athlete.strip(),)).fetchall():
        try:
            values = json.loads(report_json).get("metrics", {})
        except ValueError:
            continue
        for name in metrics:
            v = (values.get(name) or {}).get("value")
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append({"id": int(sid), "recorded_on": str(day), "metric": name, "value": float(v)})
    return out


def _valid_id(session_id: object) -> bool:
    """True for an id SQLite can hold (a huge number would raise OverflowError)."""
    return isinstance(session_id, int) and not isinstance(session_id, bool) and 0 < session_id < 2**63
