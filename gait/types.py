"""The data objects that flow through the pipeline (see ARCHITECTURE.md).

All are frozen dataclasses. Arrays inside :class:`PoseSequence` are NumPy arrays indexed
``[frame, landmark, coordinate]``; frames without a detected pose hold NaN, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from gait.errors import PoseFileError
from gait.landmarks import N_LANDMARKS

SCHEMA_VERSION = 1
POSE_FILE_VERSION = 1

Foot = Literal["left", "right"]
EventKind = Literal["contact", "toe_off", "midstance"]
Quality = Literal["good", "fair", "poor", "unavailable"]
Severity = Literal["info", "watch", "flag", "good"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video, with the rotation tag applied to ``width``/``height``.

    ``fps`` is the container's average frame rate (exact value in ``fps_fraction``). ``capture_fps`` is the rate
    the frames were *captured* at when it differs (slow-motion clips); times are then real (capture) time.
    """

    path: str
    fps: float
    fps_fraction: str
    n_frames: int
    duration_s: float
    width: int
    height: int
    rotation_deg: int
    codec: str
    capture_fps: float | None = None
    file_size_bytes: int = 0

    @property
    def effective_fps(self) -> float:
        """Frames per second of real time (``capture_fps`` when given, else ``fps``)."""
        return float(self.capture_fps) if self.capture_fps else self.fps

    @property
    def time_scale(self) -> float:
        """Factor turning playback seconds into real seconds (``fps / capture_fps``, 1 without override)."""
        return self.fps / float(self.capture_fps) if self.capture_fps else 1.0


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
    n_people_max : the most people detected in any one frame.
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

    def save(self, path: str | Path) -> None:
        """Save to a compressed ``.npz`` (no pickle). Written to a temp file then renamed."""
        path = Path(path)
        meta = {
            "version": POSE_FILE_VERSION,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "n_people_max": self.n_people_max,
            "model": self.model,
        }
        tmp = path.with_name(path.name + ".tmp.npz")
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

    @classmethod
    def load(cls, path: str | Path) -> PoseSequence:
        """Load a sequence written by :meth:`save`.

        Raises
        ------
        PoseFileError
            If the file is missing, damaged, or of another version.
        """
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("version") != POSE_FILE_VERSION:
                    raise PoseFileError(
                        f"{path}: pose file version {meta.get('version')} is not supported; "
                        "delete it so the pose is extracted again."
                    )
                return cls(
                    times_s=data["times_s"],
                    frame_index=data["frame_index"],
                    image_xy_px=data["image_xy_px"],
                    world_xyz_m=data["world_xyz_m"],
                    visibility=data["visibility"],
                    presence=data["presence"],
                    width=int(meta["width"]),
                    height=int(meta["height"]),
                    fps=float(meta["fps"]),
                    n_people_max=int(meta["n_people_max"]),
                    model=str(meta["model"]),
                )
        except PoseFileError:
            raise
        except (OSError, KeyError, ValueError) as exc:
            raise PoseFileError(f"{path}: cannot read the saved pose ({exc}); delete it and run again.") from exc


@dataclass(frozen=True)
class GaitEvent:
    """One gait event: a foot's initial contact or toe-off, with a sub-frame time."""

    foot: Foot
    kind: EventKind
    frame: int
    time_s: float
    track: Foot | None = None  # which landmark side held this foot (differs from ``foot`` after a relabel)
    source: str = "detected"  # "detected" by gait, or "edited" (moved or added by a person, gait analyze --events)


@dataclass(frozen=True)
class GaitEvents:
    """All events of a clip in time order, and what the gait is."""

    events: tuple[GaitEvent, ...]
    activity: Literal["running", "walking", "unknown"]
    activity_confidence: float = 0.0
    swaps_corrected: int = 0
    relabelled_contacts: int = 0

    def of(self, foot: Foot | None = None, kind: EventKind | None = None) -> tuple[GaitEvent, ...]:
        """Events filtered by foot and/or kind, in time order."""
        return tuple(e for e in self.events if (foot is None or e.foot == foot) and (kind is None or e.kind == kind))


@dataclass(frozen=True)
class MetricSummary:
    """A metric summarised over strides. ``value`` is None (with a ``reason``) when it cannot be measured."""

    name: str
    value: float | None
    unit: str
    sd: float | None = None
    n: int = 0
    left: float | None = None
    right: float | None = None
    asymmetry_pct: float | None = None  # symmetry index of left vs right; None for signed angles
    left_right_diff: float | None = None  # left minus right, in ``unit`` (the asymmetry of a signed angle)
    quality: Quality = "good"
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Cue:
    """One piece of feedback, tied to the numbers and frames behind it."""

    id: str
    title: str
    severity: Severity
    message: str
    evidence: str
    frames: tuple[int, ...] = ()
    drills: tuple[str, ...] = ()
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QualityReport:
    """How far the footage supports the numbers."""

    pose_detected_pct: float
    swaps_corrected: int
    warnings: tuple[str, ...] = ()
    scale: Literal["height", "leg_length"] = "leg_length"
    px_per_cm: float | None = None
    leg_length_px: float | None = None


@dataclass(frozen=True)
class GaitReport:
    """Everything an analysis found; round-trips through JSON (:meth:`to_json` / :meth:`from_json`)."""

    video: VideoInfo
    view: str
    facing: str | None
    activity: str
    events: tuple[GaitEvent, ...]
    metrics: dict[str, MetricSummary]
    strides: tuple[dict[str, Any], ...]
    cues: tuple[Cue, ...]
    quality: QualityReport
    settings: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dictionary (the report.json contract)."""
        d = asdict(self)
        d["video"]["duration_s"] = round(d["video"]["duration_s"], 4)
        return _clean_json(d)

    def to_json(self) -> str:
        """Deterministic JSON text (sorted keys, no NaN)."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, allow_nan=False) + "\n"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GaitReport:
        """Rebuild a report from :meth:`to_dict` output."""
        return cls(
            video=VideoInfo(**d["video"]),
            view=d["view"],
            facing=d["facing"],
            activity=d["activity"],
            events=tuple(GaitEvent(**e) for e in d["events"]),
            metrics={k: MetricSummary(**v) for k, v in d["metrics"].items()},
            strides=tuple(d["strides"]),
            cues=tuple(Cue(**{**c, "frames": tuple(c["frames"]), "drills": tuple(c["drills"])}) for c in d["cues"]),
            quality=QualityReport(**{**d["quality"], "warnings": tuple(d["quality"]["warnings"])}),
            settings=d.get("settings", {}),
            notes=tuple(d.get("notes", ())),
            advice=tuple(d.get("advice", ())),
            schema_version=d["schema_version"],
        )

    @classmethod
    def from_json(cls, text: str) -> GaitReport:
        """Parse :meth:`to_json` output."""
        return cls.from_dict(json.loads(text))


def _clean_json(obj: Any) -> Any:
    """Turn tuples into lists, NumPy scalars into Python numbers, NaN/inf into None; round floats."""
    if isinstance(obj, dict):
        return {str(k): _clean_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean_json(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return round(f, 6) if np.isfinite(f) else None
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


__all__ = [
    "SCHEMA_VERSION",
    "Cue",
    "GaitEvent",
    "GaitEvents",
    "GaitReport",
    "MetricSummary",
    "PoseSequence",
    "QualityReport",
    "VideoInfo",
    "fields",
]
