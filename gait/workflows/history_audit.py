"""The history's audit trail and the privacy of its file.

Every save, review, deletion, erasure and export is recorded in the ``audit`` table of the history: when, who (the
signed-in person, or the local user), what, and the athlete's *number* and session id. An audit row never holds an
athlete's name or notes, so erasing an athlete (:mod:`gait.workflows.athlete_data`) leaves nothing readable behind
while the
trail of who did what stays. The history file and its folder are readable by their owner only.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gait.core.types import GaitReport

ACTIONS = ("save", "review", "delete", "erase", "export")
FILE_MODE = 0o600
FOLDER_MODE = 0o700


@dataclass(frozen=True)
class AuditRow:
    """One recorded action."""

    at: str
    actor: str
    action: str
    athlete_id: int | None
    session_id: int | None
    detail: str


def local_actor(where: str = "command line") -> str:
    """The identity recorded when nobody signed in: this computer's user name and where the action came from."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown user"
    return f"{user} ({where})"


def record(
    conn: sqlite3.Connection,
    actor: str,
    action: str,
    athlete_id: int | None,
    session_id: int | None = None,
    detail: str = "",
) -> None:
    """Append one row to the audit trail (inside the caller's transaction).

    Parameters
    ----------
    actor : who did it; "" is recorded as the local user.
    action : one of :data:`ACTIONS`.
    detail : a short note that never names the athlete (e.g. who reviewed the events, how many sessions).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    conn.execute(
        "INSERT INTO audit(at, actor, action, athlete_id, session_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (at, actor.strip() or local_actor(), action, athlete_id, session_id, detail),
    )


def audit_rows(conn: sqlite3.Connection, athlete_id: int | None = None) -> list[AuditRow]:
    """The audit trail, oldest first; only one athlete's rows when ``athlete_id`` is given."""
    q = "SELECT at, actor, action, athlete_id, session_id, detail FROM audit"
    rows = conn.execute(
        q + " ORDER BY id" if athlete_id is None else q + " WHERE athlete_id = ? ORDER BY id",
        () if athlete_id is None else (athlete_id,),
    ).fetchall()
    return [AuditRow(*r) for r in rows]


def review_detail(report: GaitReport) -> str:
    """ "events reviewed by NAME" (or "events reviewed by hand") for a report whose events a person reviewed; ""
    for one as detected."""
    from gait.workflows.review import review_of

    review = review_of(report)
    if review is None:
        return ""
    who = review.get("reviewed_by")
    return f"events reviewed by {who}" if who else "events reviewed by hand (reviewer not named)"


def make_private(path: Path, own_folder: bool) -> None:
    """Create the history's folder (mode 0700) and file (mode 0600) as needed, and make an existing file of this
    user owner-only (SQLite gives its -wal and -shm files the same mode).

    Parameters
    ----------
    path : the history file.
    own_folder : the folder is gait's own (the default location): made owner-only even when it exists. A folder
        someone chose is made owner-only only when gait creates it.
    """
    folder = path.parent
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if created or own_folder:
        _chmod_if_mine(folder, FOLDER_MODE, stat.S_ISDIR)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        _chmod_if_mine(p, FILE_MODE, stat.S_ISREG)


def _chmod_if_mine(p: Path, mode: int, is_kind: Callable[[int], bool]) -> None:
    """Set ``mode`` on ``p`` when this user owns it and it is of the expected kind (a regular file for the
    history, a folder for its folder; never a device, a folder given as the file, or another user's)."""
    try:
        st = p.stat()
    except FileNotFoundError:
        return
    if st.st_uid == os.getuid() and is_kind(st.st_mode) and stat.S_IMODE(st.st_mode) != mode:
        os.chmod(p, mode)
