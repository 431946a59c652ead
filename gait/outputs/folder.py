"""The output folder: checked before any work, never replacing an input, locked while a run writes to it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from gait.core.errors import OutputError, os_error_message


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are the same file (resolved path, or device and inode: hard links too)."""
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links (Python < 3.13)
        return False


def check_output_dir(out: str | Path, outputs: Iterable[str], inputs: Iterable[str | Path] = ()) -> Path:
    """Create ``out`` if needed and check, before any work, that every output in it can be written.

    Parameters
    ----------
    out : the output folder.
    outputs : file names that the run will write in ``out``.
    inputs : files the run reads (the video): none of them may be an output.

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    OutputError
        ``out`` is a file or under one, cannot be created or written (read-only, full, name too long), an output
        name is a folder, or an output would replace an input.
    """
    out = Path(out)
    for name in outputs:
        target = out / name
        for src in inputs:
            if same_file(target, Path(src)):
                raise OutputError(
                    f"{target}: is the input video; writing the results there would replace it. Give another --out "
                    "folder (or rename the video)."
                )
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; give --out a folder path.")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".gait-write-check.", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"--out {os_error_message(exc)}") from None
    for name in outputs:
        target = out / name
        if target.is_dir():
            raise OutputError(f"{target}: is a folder, where the results file goes; remove or rename it.")
    return out


@contextlib.contextmanager
def locked_output_dir(out: str | Path) -> Iterator[Path]:
    """Hold an exclusive lock on the folder ``out`` while a run writes into it (released on every exit).

    Raises
    ------
    OutputError
        Another run holds the lock.
    """
    out = Path(out)
    fd = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"{out}: another gait run is writing to this folder. Wait for it to finish, or give another --out."
            ) from None
        yield out
    finally:
        os.close(fd)  # closing releases the lock
