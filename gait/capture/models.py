"""Which pose model to use, where its file lives, and its integrity check.

``full`` is vendored as package data (Apache-2.0, see ``gait/assets/LICENSE-pose-models-Apache-2.0.txt``).
``lite`` and ``heavy`` are looked up in ``$GAIT_MODEL_DIR`` and then in the user cache directory
(``~/.cache/gait/models`` on Linux). Any other value is taken as the path of a ``.task`` bundle.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import zipfile
from importlib import resources
from pathlib import Path

from gait.core.errors import ModelError

DEFAULT_MODEL = "full"
MODEL_FILES: dict[str, str] = {
    "lite": "pose_landmarker_lite.task",
    "full": "pose_landmarker_full.task",
    "heavy": "pose_landmarker_heavy.task",
}
#: sha256 of the known bundles (see ../shared/models/README.md for their provenance).
MODEL_SHA256: dict[str, str] = {
    "lite": "3a67a2fce10c50bf2d478b1ae85ef9ef25e8790effdb95a1a979c374aa769402",
    "full": "a2bc5927442914051db1b3831612fcb8494c4654654b0a9e8c323fe9a618985c",
    "heavy": "ec53be8fdabaa22da813d593042c2ae0bd51143c1a07fa4f14230e7b317e9719",
}


def user_model_dir() -> Path:
    """The per-user cache directory where ``lite``/``heavy`` bundles may be placed."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "gait" / "models"


def search_dirs() -> list[Path]:
    """Directories searched for named models, in order."""
    dirs = []
    if os.environ.get("GAIT_MODEL_DIR"):
        dirs.append(Path(os.environ["GAIT_MODEL_DIR"]))
    dirs.append(user_model_dir())
    return dirs


@functools.lru_cache(maxsize=8)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of a file (cached per path, size and modification time)."""
    st = path.stat()
    return _sha256(str(path), st.st_size, st.st_mtime_ns)


POSE_BUNDLE_MEMBERS = frozenset({"pose_detector.tflite", "pose_landmarks_detector.tflite"})


def resolve_model(model: str | os.PathLike[str] = DEFAULT_MODEL) -> Path:
    """Return the verified path of a pose model bundle.

    Parameters
    ----------
    model : ``"lite"``, ``"full"``, ``"heavy"``, or the path of a ``.task`` file.

    Raises
    ------
    ModelError
        If the file cannot be found (the message says where to put it), or its checksum does not match.
    """
    name = str(model)
    if name in MODEL_FILES:
        fname = MODEL_FILES[name]
        if name == DEFAULT_MODEL:
            path = Path(str(resources.files("gait") / "assets" / fname))
            candidates = [path]
        else:
            candidates = [d / fname for d in search_dirs()]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            where = " or ".join(str(c.parent) for c in candidates)
            raise ModelError(
                f"the '{name}' pose model ({fname}) is not installed: put {fname} in {where} "
                "(or set GAIT_MODEL_DIR to its folder), or use --model full, which ships with gait."
            )
        digest = file_sha256(found)
        if digest != MODEL_SHA256[name]:
            raise ModelError(
                f"{found}: checksum mismatch for the '{name}' model (sha256 {digest[:12]}…, expected "
                f"{MODEL_SHA256[name][:12]}…); the file is damaged or a different model. Replace it."
            )
        return found
    path = Path(name).expanduser()
    if not path.is_file():
        raise ModelError(f"{path}: no such model file. Use --model lite|full|heavy or the path of a .task bundle.")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not a MediaPipe .task bundle (it is not a zip archive).")
    try:
        with zipfile.ZipFile(path) as z:
            members = set(z.namelist())
    except (OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{path}: not a MediaPipe .task bundle ({exc}).") from None
    if not POSE_BUNDLE_MEMBERS <= members:
        raise ModelError(
            f"{path}: not a MediaPipe pose landmarker bundle (it lacks {', '.join(sorted(POSE_BUNDLE_MEMBERS))}). "
            "Use --model lite|full|heavy or a pose_landmarker_*.task file."
        )
    return path


def model_label(model: str | os.PathLike[str]) -> str:
    """Short name of a model for reports: the preset name or the file name."""
    name = str(model)
    return name if name in MODEL_FILES else Path(name).name
