"""Inputs that cannot hang a run: a video must be a regular, finite, readable file before anything reads it all,
and one video's analysis can be given a time limit.

A folder of videos may hold anything: a link to ``/dev/zero`` (endless), a FIFO (a read blocks until someone
writes), a link loop, a folder named like a video. Hashing such a file would never end, so each input is checked
with ``stat`` (which never blocks) and one short non-blocking read before it is hashed or decoded.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from gait.core.errors import GaitError, InputFileError

#: Bytes read once to prove a file can be read (open and read can fail where ``stat`` succeeds).
PROBE_BYTES = 4096
#: Default time limit for one video of a batch (seconds): far above a long clip's analysis on one core.
DEFAULT_TIME_LIMIT_S = 1800.0

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe): a stream with no end, not a video file"),
    (stat.S_ISCHR, "a device (such as /dev/zero): an endless stream, not a video file"),
    (stat.S_ISBLK, "a disk device, not a video file"),
    (stat.S_ISSOCK, "a socket, not a video file"),
    (stat.S_ISDIR, "a folder, not a video file"),
)


class VideoTimeLimitError(GaitError):
    """One video's analysis ran past its time limit."""


def check_input_file(path: str | Path) -> int:
    """Check that ``path`` is a regular, non-empty file that can be opened and read; never blocks.

    Parameters
    ----------
    path : the input (a link is followed; what it points to is checked).

    Returns
    -------
    int
        The file's size in bytes (a regular file's size is finite: hashing it ends).

    Raises
    ------
    InputFileError
        A missing file or a broken link, a link loop, a FIFO, a device, a socket, a folder, an empty file, or a
        file whose open or first read fails (no permission, an I/O error); the message says which.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        why = "a link to nothing or a loop of links" if p.is_symlink() else (exc.strerror or str(exc))
        raise InputFileError(f"{p}: cannot be read ({why}). Give the video file itself.") from None
    for is_kind, what in _KINDS:
        if is_kind(st.st_mode):
            raise InputFileError(f"{p}: is {what}. Give the video file itself.")
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError(f"{p}: is not a regular file. Give the video file itself.")
    if st.st_size == 0:
        raise InputFileError(f"{p}: the file is empty (0 bytes). The copy or upload did not finish; copy it again.")
    _probe_read(p)
    return int(st.st_size)


def _probe_read(p: Path) -> None:
    """Open without blocking and read a few bytes (a swap between ``stat`` and ``open`` cannot block either)."""
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputFileError(f"{p}: cannot be opened ({exc.strerror or exc}). Check its permissions.") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputFileError(f"{p}: changed into something that is not a regular file while being checked.")
        os.read(fd, PROBE_BYTES)
    except OSError as exc:
        raise InputFileError(f"{p}: cannot be read ({exc.strerror or exc}). Copy it again.") from None
    finally:
        os.close(fd)


def can_time_limit() -> bool:
    """True where :func:`time_limit` can interrupt work: the main thread of a process on a POSIX system."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


#: When a time limit runs out during an import, it is tried again this much later (seconds).
IMPORT_GRACE_S = 0.05


def importing(frame: FrameType | None) -> bool:
    """True when ``frame`` (where a signal interrupted the work) or one of its callers is the import machinery:
    a module is being imported there.

    An exception raised in a module's body leaves its package half set up in ``sys.modules`` (MediaPipe's then
    fails every later import in that process with a ``NameError``), so a time limit waits for the import to end.
    """
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def time_limit(seconds: float | None, what: str) -> Iterator[None]:
    """Raise :class:`VideoTimeLimitError` inside the block when it runs longer than ``seconds``.

    Uses ``SIGALRM``, so it works only where :func:`can_time_limit` is true (a local batch worker, the CLI); it
    does nothing elsewhere (a thread of a Dask worker) and for ``seconds`` None. A call into C that never returns
    to Python is not interrupted: inputs that could block forever are refused by :func:`check_input_file` first.

    Parameters
    ----------
    seconds : the limit (None: none).
    what : the name of the work, for the message (e.g. the video's path).
    """
    if seconds is None or not can_time_limit():
        yield
        return
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"time limit must be a positive number of seconds, got {seconds!r}")

    def _expired(signum: int, frame: FrameType | None) -> None:
        if importing(frame):  # never stop a module half-imported: the process could not import it again
            signal.setitimer(signal.ITIMER_REAL, IMPORT_GRACE_S)
            return
        raise VideoTimeLimitError(
            f"{what}: the analysis took longer than its time limit of {seconds:g} s and was stopped "
            "(a very long clip, or a file that decodes endlessly); cut the clip, or raise --time-limit."
        )

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
