"""The data objects that flow through the pipeline (see ARCHITECTURE.md).

All are frozen dataclasses. Arrays inside :class:`PoseSequence` are NumPy arrays indexed
``[frame, landmark, coordinate]``; frames without a detected pose hold NaN, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import numpy as np

from gait.core.posedata import (
    MAX_META_BYTES,
    MAX_POSE_FRAMES,
    POSE_FILE_VERSION,
    FloatArray,
    PoseSequence,
    read_pose_meta,
)

SCHEMA_VERSION = 3  # 2: pixel intermediates moved to diagnostics; 3: assessments added (docs/REPORT.md)

Foot = Literal["left", "right"]
EventKind = Literal["contact", "toe_off", "midstance"]
Quality = Literal["good", "fair", "poor", "unavailable"]
Severity = Literal["info", "watch", "flag", "good"]


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


@dataclass(frozen=True)
class GaitEvent:
    """One gait event: a foot's initial contact or toe-off, with a sub-frame time."""

    foot: Foot
    kind: EventKind
    frame: int
    time_s: float
    track: Foot | None = None  # which landmark side held this foot (differs from ``foot`` after a relabel)
    source: str = "detected"  # "detected" by gait, or "edited" (moved or added by a person, gait analyze --events)
    timed_by: str = "pose"  # a detected contact's time: the pose's landmarks, or "sole" (gait.kinematics.sole_touch)


@dataclass(frozen=True)
class GaitEvents:
    """All events of a clip in time order, and what the gait is."""

    events: tuple[GaitEvent, ...]
    activity: Literal["running", "walking", "unknown"]
    activity_confidence: float = 0.0
    swaps_corrected: int = 0
    relabelled_contacts: int = 0
    dropped_contacts: int = 0  # candidates closer than a step to a stronger one, dropped (gait.kinematics.event_sanity)

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
    #: intermediates for debugging, not metrics: ``{"strides": [{foot, contact_frame, midstance_frame, overstride_px,
    #: ...}]}`` (pixel lengths, uncorrected foot angles); never in metrics.csv
    diagnostics: dict[str, Any] = field(default_factory=dict)
    #: one judgement per metric, made once in the analysis (:mod:`gait.metrics.assessment`); every reader shows these
    assessments: dict[str, dict[str, Any]] = field(default_factory=dict)

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
            diagnostics=d.get("diagnostics", {}),
            assessments=d.get("assessments", {}),
        )

    @classmethod
    def from_json(cls, text: str) -> GaitReport:
        """Parse :meth:`to_json` output."""
        return cls.from_dict(json.loads(text))


MAX_REPORT_BYTES = 64 * 1024**2
MAX_MAGNITUDE = 1e9  # no value in a report (ms, px, steps/min, ...) comes near this; NaN and Infinity are refused
#: Units whose values cannot be negative (a cadence, a time, a length along the belt, a ratio of times).
NON_NEGATIVE_UNITS = ("steps/min", "s", "ms", "m", "ratio")


def report_from_text(text: str, where: str = "report.json") -> GaitReport:
    """A report parsed from JSON text after checking its schema version and the type of every value a reader
    computes with (metric values, event times, video fields).

    Raises
    ------
    ReportFileError
        Not JSON, not a report, a value of the wrong type (a list for the metrics, a string for a number), or a
        newer schema; the message says which and what to do.
    """
    from gait.core.errors import ReportFileError

    def bad(why: str) -> ReportFileError:
        return ReportFileError(f"{where}: not a gait report.json ({why}). Give one written by `gait analyze`.")

    try:
        d = json.loads(text.removeprefix("\ufeff"))  # a byte-order mark: the file was saved by Windows Notepad
    except (ValueError, RecursionError) as exc:
        raise bad(f"not JSON ({type(exc).__name__})") from None
    if not isinstance(d, dict):
        raise bad(f"holds a {type(d).__name__}, not a gait report")
    version = d.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise bad(f"has no schema version (got {version!r}); it is not a gait report")
    if version > SCHEMA_VERSION:
        raise ReportFileError(
            f"{where}: written by a newer gait (report schema {version}, this one reads {SCHEMA_VERSION}). Upgrade "
            "gait to read it."
        )
    metrics = d.get("metrics")
    if not isinstance(metrics, dict):
        raise bad(f"its metrics are a {type(metrics).__name__}, not a mapping of metric names")
    if not isinstance(d.get("video"), dict):
        raise bad("has no video section")
    problem = _type_problem(d, GaitReport, "")
    if problem:
        raise bad(problem)
    for name, m in metrics.items():
        v = m.get("value") if isinstance(m, dict) else None
        if isinstance(v, (int, float)) and v < 0 and m.get("unit") in NON_NEGATIVE_UNITS:
            raise bad(f"metrics.{name}.value is {v} {m.get('unit')}: it cannot be negative (damaged or edited)")
    try:
        return GaitReport.from_dict(d)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise bad(f"not a complete gait report ({type(exc).__name__}: {exc})") from None


def _type_problem(value: Any, hint: Any, where: str) -> str | None:
    """Why the JSON ``value`` does not fit the type ``hint`` (a report dataclass or a field type); None if it fits.

    Missing fields with defaults and extra keys are left to the dataclass constructor."""
    import dataclasses
    import types
    import typing

    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    label = where or "the report"
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            return f"{label} is a {type(value).__name__}, not an entry"
        hints = typing.get_type_hints(hint)
        for f in dataclasses.fields(hint):
            if f.name in value:
                why = _type_problem(value[f.name], hints[f.name], f"{where}.{f.name}".lstrip("."))
                if why:
                    return why
        return None
    if hint is Any:
        return None
    if origin in (typing.Union, types.UnionType):
        reasons = [_type_problem(value, a, where) for a in args]
        return None if any(r is None for r in reasons) else next(r for r in reasons if r)
    if origin is typing.Literal:
        return None if value in args else f"{label} is {_short(value)}, not one of {', '.join(map(repr, args))}"
    if hint in _SCALARS:
        return _scalar_problem(value, hint, label)
    if origin in (tuple, list):
        if not isinstance(value, list):
            return f"{label} is a {type(value).__name__}, not a list"
        item = args[0] if args else Any
        for i, v in enumerate(value):
            why = _type_problem(v, item, f"{where}[{i}]")
            if why:
                return why
        return None
    if origin is dict:
        if not isinstance(value, dict):
            return f"{label} is a {type(value).__name__}, not a mapping"
        item = args[1] if len(args) == 2 else Any
        for k, v in value.items():
            why = _type_problem(v, item, f"{where}[{k!r}]")
            if why:
                return why
        return None
    return None


_SCALARS = (type(None), bool, int, float, str)


def _scalar_problem(value: Any, hint: Any, label: str) -> str | None:
    """Why ``value`` is not of the scalar type ``hint`` (None, bool, int, float, str); None if it is."""
    if hint is type(None):
        return None if value is None else f"{label} is {_short(value)}, not empty"
    if hint is bool:
        return None if isinstance(value, bool) else f"{label} is {_short(value)}, not true/false"
    if hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"{label} is {_short(value)}, not a whole number"
    if hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and not -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:  # NaN fails this too
            return f"{label} is {_short(value)}: not a number any measurement of a run can have (damaged or edited)"
        return None if ok else f"{label} is {_short(value)}, not a number"
    if hint is str:
        return None if isinstance(value, str) else f"{label} is {_short(value)}, not text"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def load_report(path: str | Path) -> GaitReport:
    """A ``report.json`` read from disk, checked as in :func:`report_from_text` (and at most 64 MB).

    Raises
    ------
    ReportFileError
        Missing, a folder, unreadable, too large, or not a valid report.
    """
    from gait.core.errors import ReportFileError

    p = Path(path)
    try:
        if p.is_dir():
            raise ReportFileError(f"{p}: is a folder, not a report.json file.")
        size = p.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise ReportFileError(f"{p}: {size} bytes is too large for a report.json; give the report gait wrote.")
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReportFileError(f"{p}: cannot be read ({exc.strerror or exc}). Check the path.") from None
    except UnicodeDecodeError:
        raise ReportFileError(f"{p}: is not text; give a report.json written by `gait analyze`.") from None
    return report_from_text(text, str(p))


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
    "MAX_META_BYTES",
    "MAX_POSE_FRAMES",
    "POSE_FILE_VERSION",
    "SCHEMA_VERSION",
    "Cue",
    "FloatArray",
    "GaitEvent",
    "GaitEvents",
    "GaitReport",
    "MetricSummary",
    "PoseSequence",
    "QualityReport",
    "VideoInfo",
    "fields",
    "load_report",
    "read_pose_meta",
    "report_from_text",
]
