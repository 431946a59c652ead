"""The pose of one runner as arrays (:class:`PoseSequence`) and its ``.npz`` file, checked before it is read.

Re-exported by :mod:`gait.core.types`, where the other data objects of the pipeline live.
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gait.core.errors import PoseFileError
from gait.core.landmarks import N_LANDMARKS

POSE_FILE_VERSION = 1

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class PoseSequence:
    """Per-frame body landmarks of one runner.

    Attributes
    ----------
    times_s : (N,) real time of each frame from its presentation timestamp (slow motion rescaled).
    frame_index : (N,) index of the decoded frame.
    image_xy_px : (N, 33, 2) image coordinates in pixels (x right, y down, rotation applied).
    world_xyz_m : (N, 33, 3) MediaPipe world landmarks in metres (origin between the hips).
    visibility, presence : (N, 33) the model's scores in [0, 1]; NaN where no pose was found.
    width, height : frame size in pixels after rotation.
    fps : real-time frame rate used for filtering (capture rate for slow-motion clips).
    n_people_max : the most people seen at once: the runner and anyone else followed for half a second or more
        (:func:`gait.capture.pose.people_in_view`; a ghost reading of the runner is not counted).
    model : name of the pose model that produced the landmarks.
    """

    times_s: FloatArray
    frame_index: NDArray[np.int64]
    image_xy_px: FloatArray
    world_xyz_m: FloatArray
    visibility: FloatArray
    presence: FloatArray
    width: int
    height: int
    fps: float
    n_people_max: int = 1
    model: str = "full"

    def __post_init__(self) -> None:
        n = len(self.times_s)
        shapes = {
            "frame_index": (self.frame_index.shape, (n,)),
            "image_xy_px": (self.image_xy_px.shape, (n, N_LANDMARKS, 2)),
            "world_xyz_m": (self.world_xyz_m.shape, (n, N_LANDMARKS, 3)),
            "visibility": (self.visibility.shape, (n, N_LANDMARKS)),
            "presence": (self.presence.shape, (n, N_LANDMARKS)),
        }
        for name, (got, want) in shapes.items():
            if got != want:
                raise ValueError(f"PoseSequence.{name} has shape {got}, expected {want}")

    @property
    def n_frames(self) -> int:
        """Number of frames in the sequence."""
        return len(self.times_s)

    @property
    def detected(self) -> NDArray[np.bool_]:
        """(N,) True where the model found a pose in the frame."""
        return np.asarray(np.isfinite(self.image_xy_px).all(axis=(1, 2)), dtype=bool)

    def with_(self, **changes: Any) -> PoseSequence:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)

    def save(self, path: str | Path, extra_meta: dict[str, Any] | None = None) -> None:
        """Save to a compressed ``.npz`` (no pickle). Written to a temp file then renamed; the temp file is
        removed on every failure (full disk, read-only folder, interruption).

        Parameters
        ----------
        path : the ``.npz`` to write.
        extra_meta : JSON-compatible entries stored with the metadata (e.g. the pose cache's video key).
        """
        path = Path(path)
        meta = {
            **(extra_meta or {}),
            "version": POSE_FILE_VERSION,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "n_people_max": self.n_people_max,
            "model": self.model,
        }
        tmp = path.with_name(path.name + ".tmp.npz")
        try:
            np.savez_compressed(
                tmp,
                meta=np.array(json.dumps(meta)),
                times_s=self.times_s,
                frame_index=self.frame_index,
                image_xy_px=self.image_xy_px,
                world_xyz_m=self.world_xyz_m,
                visibility=self.visibility,
                presence=self.presence,
            )
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: str | Path) -> PoseSequence:
        """Load a sequence written by :meth:`save`.

        Every array's size, type and shape is checked in the zip directory and the ``.npy`` headers before
        anything is read, so a crafted file (zip bomb, wrong shapes, strings, pickles) is refused cheaply.

        Raises
        ------
        PoseFileError
            If the file is missing, damaged, crafted, or of another version.
        """
        path = Path(path)
        meta = read_pose_meta(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: np.asarray(data[name]) for name in _POSE_ARRAYS}
            seq = cls(
                times_s=arrays["times_s"].astype(float),
                frame_index=arrays["frame_index"].astype(np.int64),
                image_xy_px=arrays["image_xy_px"].astype(float),
                world_xyz_m=arrays["world_xyz_m"].astype(float),
                visibility=arrays["visibility"].astype(float),
                presence=arrays["presence"].astype(float),
                width=meta["width"],
                height=meta["height"],
                fps=meta["fps"],
                n_people_max=meta["n_people_max"],
                model=meta["model"],
            )
        except (OSError, KeyError, ValueError, TypeError, EOFError, zipfile.BadZipFile) as exc:
            raise PoseFileError(f"{path}: cannot read the saved pose ({exc}); delete it and run again.") from None
        times = seq.times_s
        if not np.isfinite(times).all() or (len(times) > 1 and not (np.diff(times) > 0).all()):
            raise PoseFileError(f"{path}: the saved pose's times are not increasing; delete it and run again.")
        return seq


#: the arrays of a pose file: (dtype kinds allowed, shape after the frame axis)
_POSE_ARRAYS: dict[str, tuple[str, tuple[int, ...]]] = {
    "times_s": ("f", ()),
    "frame_index": ("iu", ()),
    "image_xy_px": ("f", (N_LANDMARKS, 2)),
    "world_xyz_m": ("f", (N_LANDMARKS, 3)),
    "visibility": ("f", (N_LANDMARKS,)),
    "presence": ("f", (N_LANDMARKS,)),
}
#: the most frames a pose file may hold: over 13 minutes at 240 frames/s (the input limit is 10 minutes); about
#: 370 MB of arrays, so a crafted file cannot make a load allocate more
MAX_POSE_FRAMES = 200_000
MAX_META_BYTES = 1 << 16


def read_pose_meta(path: str | Path) -> dict[str, Any]:
    """The checked metadata of a pose file, after checking its zip directory and array headers (cheap: no
    array is read).

    Returns
    -------
    dict
        The JSON metadata, with ``width``, ``height`` (int > 0), ``fps`` (float > 0), ``n_people_max`` (int) and
        ``model`` (str) validated.

    Raises
    ------
    PoseFileError
        Missing, not a file, not a zip, damaged, crafted (sizes, types or shapes that do not match), or of another
        version.
    """
    path = Path(path)

    def bad(why: str) -> PoseFileError:
        return PoseFileError(f"{path}: {why}; delete it so the pose is extracted again.")

    if path.is_dir():
        raise bad("is a folder, not a saved pose file")
    try:
        with zipfile.ZipFile(path) as z:
            headers, meta_text = _array_headers(z, bad)
    except PoseFileError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise bad(f"cannot be read as a saved pose ({type(exc).__name__}: {exc})") from None
    _check_shapes(headers, bad)
    try:
        meta = json.loads(meta_text)
    except ValueError:
        raise bad("its metadata is not JSON") from None
    if not isinstance(meta, dict):
        raise bad(f"its metadata is a {type(meta).__name__}, not a mapping")
    if meta.get("version") != POSE_FILE_VERSION:
        raise PoseFileError(
            f"{path}: pose file version {meta.get('version')!r} is not supported; delete it so the pose is extracted "
            "again."
        )
    return _checked_meta(meta, bad)


Headers = dict[str, tuple[tuple[int, ...], np.dtype[Any]]]
Bad = Callable[[str], PoseFileError]


def _array_headers(z: zipfile.ZipFile, bad: Bad) -> tuple[Headers, str]:
    """The shape and dtype of every array of a pose zip, from its ``.npy`` headers (sizes checked), and the
    metadata text."""
    members = {i.filename: i for i in z.infolist()}
    wanted = {f"{name}.npy" for name in (*_POSE_ARRAYS, "meta")}
    missing = sorted(wanted - set(members))
    if missing:
        raise bad(f"not a saved pose (no {', '.join(missing)})")
    headers: Headers = {}
    for name in (*_POSE_ARRAYS, "meta"):
        info = members[f"{name}.npy"]
        limit = MAX_META_BYTES if name == "meta" else MAX_POSE_FRAMES * 8 * N_LANDMARKS * 3 + 4096
        if info.file_size > limit:
            raise bad(f"its {name} array is {info.file_size} bytes, over the {limit} byte limit")
        with z.open(info) as f:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(f)
            elif version == (2, 0):
                shape, _, dtype = np.lib.format.read_array_header_2_0(f)
            else:
                raise bad(f"its {name} array has an unknown format {version}")
            header_bytes = f.tell()
        if dtype.hasobject:
            raise bad(f"its {name} array holds Python objects")
        if info.file_size != header_bytes + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise bad(f"its {name} array's size does not match its header")
        headers[name] = (tuple(shape), dtype)
    meta_shape, meta_dtype = headers["meta"]
    if meta_shape != () or meta_dtype.kind != "U":
        raise bad("its metadata is not a text entry")
    with z.open(members["meta.npy"]) as f:
        meta_text = str(np.lib.format.read_array(f, allow_pickle=False))
    return headers, meta_text


def _check_shapes(headers: Headers, bad: Bad) -> None:
    """Every array holds one entry per frame of the expected type and shape."""
    n = headers["times_s"][0][0] if len(headers["times_s"][0]) == 1 else -1
    if n < 0 or n > MAX_POSE_FRAMES:
        raise bad(f"its times are not a list of at most {MAX_POSE_FRAMES} frames")
    for name, (kinds, tail) in _POSE_ARRAYS.items():
        shape, dtype = headers[name]
        if dtype.kind not in kinds or shape != (n, *tail):
            raise bad(f"its {name} array is {dtype} {shape}, expected {kinds} {(n, *tail)}")


def _checked_meta(meta: dict[str, Any], bad: Bad) -> dict[str, Any]:
    """The metadata with its frame size, rate, people count and model validated."""
    checked: dict[str, Any] = dict(meta)
    for field_name, kind in (("width", int), ("height", int), ("fps", float), ("n_people_max", int)):
        value = meta.get(field_name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise bad(f"its {field_name} is {value!r}, not a number")
        if value < (0 if field_name == "n_people_max" else 1e-9) or value > 1e6:
            raise bad(f"its {field_name} {value!r} is out of range")
        checked[field_name] = kind(value)
    if not isinstance(meta.get("model"), str):
        raise bad(f"its model is {meta.get('model')!r}, not a name")
    return checked
