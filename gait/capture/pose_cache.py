"""The pose cache (``OUT/pose.npz``): reused only for the exact video and pose settings it was made from.

A cached pose is tied to its video by a key: the sha256 of the file's content, its size and frame count, the
capture rate used for times, and every setting that changes the pose (model, people tracked). It is reused only
when the key matches *and* the saved frames cover the whole clip; a foreign, partial or unreadable cache is
ignored (with a note saying why) and the pose is extracted again.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

from gait.core.config import AnalysisConfig
from gait.core.errors import PoseFileError
from gait.core.types import PoseSequence, VideoInfo, read_pose_meta

CACHE_KEY_VERSION = 1
#: our loop's own revision, in the key of every pose it caches: raise it whenever a change to ``engine_litert`` or
#: ``tracking`` moves its landmarks, so a pose cached by an earlier version is made again instead of read (before
#: this, a cache from before the look-back of round 4 was still read: the walking clip's 6 of 8 contacts); 2: crops
#: snapped to a grid
LITERT_REVISION = 2
#: How a note about a saved pose that was not used begins (a processing detail: the PDF handout leaves it out).
CACHE_NOTE_START = "The saved pose"
#: the saved frames must reach this close (seconds) to the start and the end of the clip
COVERAGE_TOLERANCE_S = 1.0


def file_sha256(path: str | Path, chunk_bytes: int = 1 << 20) -> str:
    """Hex sha256 of a file's content, read in chunks (memory does not grow with the file)."""
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        while chunk := f.read(chunk_bytes):
            h.update(chunk)
    return h.hexdigest()


def cache_key(info: VideoInfo, config: AnalysisConfig, content_sha256: str | None = None) -> dict[str, Any]:
    """Everything a cached pose depends on, as a JSON-compatible dictionary.

    Parameters
    ----------
    info : the probed video.
    config : the analysis settings (only those that change the pose are used).
    content_sha256 : the file's sha256 when already known (computed from ``info.path`` otherwise).

    Returns
    -------
    dict
        Two keys are equal exactly when the same bytes were (or would be) analysed with the same pose settings.
    """
    return {
        "key_version": CACHE_KEY_VERSION,
        "sha256": content_sha256 or file_sha256(info.path),
        "size_bytes": int(info.file_size_bytes or Path(info.path).stat().st_size),
        "n_frames": int(info.n_frames),
        "fps_fraction": str(info.fps_fraction),
        "effective_fps": round(float(info.effective_fps), 6),
        "rotation_deg": int(info.rotation_deg),
        "width": int(info.width),
        "height": int(info.height),
        "model": str(config.model),
        "max_people": int(config.max_people),
        "engine": str(config.engine),
        **(
            {"detect_every_frames": int(config.detect_every_frames), "litert_revision": LITERT_REVISION}
            if config.engine == "litert"
            else {}
        ),
    }


def covers_clip(pose: PoseSequence, info: VideoInfo, tolerance_s: float = COVERAGE_TOLERANCE_S) -> bool:
    """True when the pose's frames run from the clip's start to its end (within ``tolerance_s``)."""
    if pose.n_frames == 0:
        return False
    t0, t1 = float(pose.times_s[0]), float(pose.times_s[-1])
    if not (math.isfinite(t0) and math.isfinite(t1)):
        return False
    return t0 <= tolerance_s and t1 >= info.duration_s - max(tolerance_s, 2.0 / max(info.effective_fps, 1e-9))


def load_cached_pose(path: str | Path | None, key: dict[str, Any], info: VideoInfo) -> tuple[PoseSequence | None, str]:
    """The cached pose at ``path`` when it belongs to this video and settings and covers the clip.

    Parameters
    ----------
    path : the cache file (None: no cache).
    key : :func:`cache_key` of the video being analysed.
    info : the probed video.

    Returns
    -------
    (PoseSequence or None, str)
        The pose, or None with a note saying why a cache that exists was not used ("" when there was none).
    """
    if path is None or not Path(path).exists():
        return None, ""
    try:
        meta = read_pose_meta(path)
        saved = meta.get("cache_key")
        if saved != key:
            why = "it was made from another video or other pose settings" if saved else "it has no video key"
            return None, f"{CACHE_NOTE_START} was not used: {why}; the pose was extracted again."
        pose = PoseSequence.load(path)
    except PoseFileError as exc:
        why = _first_line(exc)  # without the file's path
        return None, f"{CACHE_NOTE_START} was not used: it cannot be read ({why}); the pose was extracted again."
    if not covers_clip(pose, info):
        return None, f"{CACHE_NOTE_START} was not used: it covers only part of the clip; the pose was extracted again."
    return pose, ""


def save_cached_pose(pose: PoseSequence, path: str | Path, key: dict[str, Any]) -> None:
    """Save ``pose`` with its key (atomic: a temp file renamed into place, removed on any failure)."""
    pose.save(path, extra_meta={"cache_key": key})


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.split(": ", 1)[-1].splitlines()[0] if text else type(exc).__name__
