"""Errors raised by ``gait``.

Every error carries a message that says what went wrong, with which file, and what the user can do about it.
The CLI prints ``str(error)`` on one line and exits with status 2; the app shows it as a friendly message.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


class GaitError(Exception):
    """Base class for every expected failure of an analysis (bad input, unusable footage)."""


class InputFileError(GaitError):
    """The input path is missing, a directory, empty, or otherwise not a readable file."""


class NotAVideoError(GaitError):
    """The file is not a video container PyAV can open, or has no video stream."""


class CorruptVideoError(GaitError):
    """The video opens but its frames cannot be decoded (truncated or damaged file)."""


class InputLimitError(GaitError):
    """The video exceeds a configured limit (duration, resolution, file size)."""


class ModelError(GaitError):
    """The pose model file is missing or fails its integrity check."""


class NoPersonError(GaitError):
    """No person was found in (enough of) the video."""


class InsufficientDataError(GaitError):
    """The footage does not hold enough usable strides for an analysis."""


class PoseFileError(GaitError):
    """A saved PoseSequence (``.npz``) is missing, damaged or of an unknown version."""


class OutputError(GaitError):
    """The output location cannot be used (read-only, not a folder, would replace an input, in use)."""


class ReportFileError(GaitError):
    """A ``report.json`` is missing, damaged, crafted or written by a newer gait."""


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM); raised by the CLI's signal handler so every cleanup runs."""


def stop_request(exc: BaseException) -> KeyboardInterrupt | Terminated | None:
    """The Ctrl-C or SIGTERM behind ``exc``, if there is one in its chain of causes.

    A stop can arrive anywhere, and Python wraps some exceptions on the way out: a signal raised while a class
    body is being set up (e.g. mid ``import matplotlib``) surfaces as a ``RuntimeError`` whose cause is the
    ``Terminated``. Such an error is a stop, not a bug.

    Parameters
    ----------
    exc : the exception that reached a last-resort handler.

    Returns
    -------
    KeyboardInterrupt, Terminated or None
        The stop found by following ``__cause__`` and ``__context__`` (cycles are cut), or None.
    """
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, (KeyboardInterrupt, Terminated)):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


def one_line(message: str) -> str:
    """``message`` on one line: newlines and other control characters (e.g. in a file name) escaped."""
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in message)


def os_error_message(exc: OSError) -> str:
    """One line for an operating-system error: which file, what is wrong, what to do."""
    import errno

    where = exc.filename if exc.filename is not None else "a file"
    what = exc.strerror or str(exc) or type(exc).__name__
    advice = {
        errno.ENOSPC: "Free some disk space or give --out on another disk.",
        errno.EDQUOT: "Free some disk space or give --out on another disk.",
        errno.EACCES: "Check the permissions, or give a folder you can write to.",
        errno.EPERM: "Check the permissions, or give a folder you can write to.",
        errno.EROFS: "The disk is read-only; give a folder on a writable disk.",
        errno.ENAMETOOLONG: "Use a shorter file or folder name.",
        errno.ENOTDIR: "A part of the path is a file, not a folder; check the path.",
        errno.EISDIR: "A folder is in the way of a file to write; remove or rename it.",
    }.get(exc.errno or 0, "Check the path, the permissions and the free disk space.")
    return f"{where}: {what}. {advice}"


def crash_log_dir() -> Path:
    """Where the last-resort handler writes tracebacks: ``$GAIT_LOG_DIR`` or ``$XDG_CACHE_HOME/gait``."""
    env = os.environ.get("GAIT_LOG_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gait"


def write_crash_log(exc: BaseException, argv: Sequence[str] = ()) -> Path | None:
    """Write ``exc``'s traceback (and the command line) to a new log file; its path, or None if that failed."""
    import datetime
    import traceback

    try:
        d = crash_log_dir()
        d.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        path = d / f"gait-error-{stamp}-{os.getpid()}.log"
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        path.write_text(f"gait {' '.join(argv)}\n\n{text}", encoding="utf-8")
        return path
    except OSError:
        return None
