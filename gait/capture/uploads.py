"""Storing uploaded videos safely: a private temp folder, content-hash names, an allow-list of extensions.

A user's file name never becomes a path: only its extension is kept, and only when it is a known video type.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from gait.core.errors import InputFileError

VIDEO_EXTENSIONS = (".mp4", ".mov", ".m4v", ".avi", ".webm")


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def private_dir(prefix: str = "gait-") -> Path:
    """A new temp folder readable only by this user (mode 0700)."""
    d = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(d, 0o700)
    return d


def store_upload(data: bytes, original_name: str, root: Path) -> Path:
    """Write an upload into ``root`` under a name made from its content hash.

    Parameters
    ----------
    data : the file's bytes.
    original_name : the name the user gave it (only its extension is used, if allowed).
    root : the private folder (from :func:`private_dir`).

    Raises
    ------
    InputFileError
        For an empty upload or an extension that is not a video type.
    """
    suffix = Path(original_name).suffix.lower()
    if suffix not in VIDEO_EXTENSIONS:
        raise InputFileError(
            f"{Path(original_name).name}: not a supported video type; upload {', '.join(VIDEO_EXTENSIONS)}."
        )
    if not data:
        raise InputFileError(f"{Path(original_name).name}: the upload is empty (0 bytes); try again.")
    path = root / f"{sha256_bytes(data)[:24]}{suffix}"
    if not path.exists():
        tmp = root / f".{path.name}.part"
        tmp.write_bytes(data)
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    if path.resolve().parent != root.resolve():  # cannot happen with a hash name; kept as a guard
        raise InputFileError(f"{original_name}: refused an unsafe file name.")
    return path


def remove_dir(root: Path) -> None:
    """Delete a private folder and everything in it (ignores a folder already gone)."""
    shutil.rmtree(root, ignore_errors=True)
