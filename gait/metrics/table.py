"""The stride table: one row per stance, its events, and one column per per-stride metric.

Each stage (timing, landing, posture, torso rotation) is a pure function that returns its own
:class:`Columns` from the table's :class:`Stance` rows; :meth:`StrideTable.join` joins them once. A stance carries
everything a stage needs to find its instants: the foot and the landmark side that held it (``track``), its
contact, toe-off and midstance, and the step and stride that follow it. Pixel intermediates are kept apart as
``diagnostics``, never mixed with the metrics.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from gait.core import landmarks as L
from gait.core.types import FloatArray, Foot, GaitEvent, GaitEvents
from gait.kinematics.cleaned import CleanPose

#: Longest gap between consecutive anchors still counted as one step, × the median step.
MAX_STEP_GAP = 1.6


@dataclass(frozen=True)
class Stance:
    """One stance of one foot: the events every column of its row is measured from.

    Side view: anchored on the initial contact (toe-off and midstance found within the stance). Rear/front view:
    anchored on the midstance (no contact or toe-off). Missing instants are NaN, missing frames None.
    """

    foot: Foot
    track: Foot  # the landmark side that held this foot (differs from ``foot`` after a relabel)
    anchor_time_s: float  # the contact (side view) or the midstance (rear/front)
    step_time_s: float  # to the other foot's next anchor (NaN across a gap)
    stride_time_s: float  # to this foot's next anchor (NaN across a gap)
    next_anchor_time_s: float = math.nan  # the other foot's next anchor, when it ends this step
    contact_frame: int | None = None
    contact_time_s: float = math.nan
    toe_off_frame: int | None = None
    toe_off_time_s: float = math.nan
    midstance_frame: int | None = None
    midstance_time_s: float = math.nan


@dataclass(frozen=True)
class Columns:
    """What one stage adds to the table: per-stance values of metrics, labels and diagnostics."""

    values: Mapping[str, FloatArray] = field(default_factory=dict)  # metric name → (n,) values, NaN: not measured
    labels: Mapping[str, tuple[str | None, ...]] = field(default_factory=dict)  # e.g. the foot-strike pattern
    diagnostics: Mapping[str, FloatArray] = field(default_factory=dict)  # intermediates (px, raw angles)


@dataclass(frozen=True)
class StrideTable:
    """The stride table: stances and the columns of every stage, joined once."""

    stances: tuple[Stance, ...]
    values: Mapping[str, FloatArray]
    labels: Mapping[str, tuple[str | None, ...]] = field(default_factory=dict)
    diagnostics: Mapping[str, FloatArray] = field(default_factory=dict)

    @classmethod
    def join(cls, stances: Sequence[Stance], parts: Iterable[Columns]) -> StrideTable:
        """Join the stages' columns; each name must come from one stage and have one value per stance."""
        n = len(stances)
        values: dict[str, FloatArray] = {}
        labels: dict[str, tuple[str | None, ...]] = {}
        diagnostics: dict[str, FloatArray] = {}
        for part in parts:
            for target, source in ((values, part.values), (labels, part.labels), (diagnostics, part.diagnostics)):
                for name, col in source.items():
                    if name in values or name in labels or name in diagnostics:
                        raise ValueError(f"stride column {name!r} comes from two stages")
                    if len(col) != n:
                        raise ValueError(f"stride column {name!r} has {len(col)} values for {n} stances")
                    target[name] = col  # type: ignore[assignment]
        return cls(tuple(stances), values, labels, diagnostics)

    def __len__(self) -> int:
        return len(self.stances)

    def column(self, name: str) -> FloatArray:
        """Per-stance values of ``name`` (all NaN for a metric no stage measured)."""
        col = self.values.get(name)
        return np.full(len(self), np.nan) if col is None else np.asarray(col, dtype=float)

    @property
    def feet(self) -> NDArrayStr:
        """(n,) the foot of each stance."""
        return np.array([s.foot for s in self.stances])

    def count(self, foot: str) -> int:
        """Number of stances of ``foot``."""
        return sum(1 for s in self.stances if s.foot == foot)

    def rows(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per stance (``report.strides``): the stance's events (those any stance has: a rear
        view has no contacts), then every metric and label (NaN as None)."""
        events = [n for n in _ROW_EVENTS if any(_json(getattr(s, n)) is not None for s in self.stances)]
        out = []
        for k, s in enumerate(self.stances):
            row: dict[str, Any] = {name: _json(getattr(s, name)) for name in events}
            row.update({name: _json(col[k]) for name, col in self.values.items()})
            row.update({name: col[k] for name, col in self.labels.items()})
            out.append(row)
        return out

    def diagnostic_rows(self) -> list[dict[str, Any]]:
        """One dict per stance of the intermediates (pixels, uncorrected angles), keyed by foot and contact frame."""
        if not self.diagnostics:
            return []
        return [
            {
                "foot": s.foot,
                "contact_frame": s.contact_frame,
                "midstance_frame": s.midstance_frame,
                **{name: _json(col[k]) for name, col in self.diagnostics.items()},
            }
            for k, s in enumerate(self.stances)
        ]


NDArrayStr = Any  # a NumPy array of str
_ROW_EVENTS = (
    "foot",
    "track",
    "contact_frame",
    "contact_time_s",
    "toe_off_frame",
    "toe_off_time_s",
    "midstance_frame",
    "midstance_time_s",
    "anchor_time_s",
    "stride_time_s",
)


def _json(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        return float(v) if math.isfinite(v) else None
    return v


def max_step_s(anchors: Sequence[GaitEvent]) -> float:
    """Longest gap between consecutive anchors still counted as one step (:data:`MAX_STEP_GAP` × the median)."""
    gaps = np.diff([e.time_s for e in anchors])
    return MAX_STEP_GAP * float(np.median(gaps)) if gaps.size else math.inf


def _steps(anchors: Sequence[GaitEvent]) -> list[tuple[GaitEvent, Stance, GaitEvent | None]]:
    """(anchor, its stance with the step and stride that follow, this foot's next anchor) for each anchor."""
    longest = max_step_s(anchors)
    out = []
    for k, a in enumerate(anchors):
        nxt = anchors[k + 1] if k + 1 < len(anchors) else None
        same = next((e for e in anchors[k + 1 :] if e.foot == a.foot), None)
        step_s = nxt.time_s - a.time_s if nxt and nxt.foot != a.foot and nxt.time_s - a.time_s <= longest else np.nan
        stride_s = same.time_s - a.time_s if same and same.time_s - a.time_s <= 2 * longest else np.nan
        stance = Stance(
            foot=a.foot,
            track=a.track or a.foot,
            anchor_time_s=a.time_s,
            step_time_s=step_s,
            stride_time_s=stride_s,
            next_anchor_time_s=nxt.time_s if nxt is not None and np.isfinite(step_s) else math.nan,
        )
        out.append((a, stance, same))
    return out


def side_stances(clean: CleanPose, events: GaitEvents, rf: FloatArray) -> tuple[Stance, ...]:
    """The stances of a side view, one per initial contact, with their toe-off and midstance.

    ``rf``: the filtered landmarks in the runner frame (:func:`gait.metrics.spatiotemporal.runner_xy`).
    """
    t = clean.pose.times_s
    toe_offs = list(events.of(kind="toe_off"))
    out = []
    for ic, stance, same in _steps(list(events.of(kind="contact"))):
        end = same.time_s if same else math.inf
        to = next((e for e in toe_offs if e.foot == ic.foot and ic.time_s < e.time_s < end), None)
        stance = replace(stance, contact_frame=ic.frame, contact_time_s=ic.time_s)
        if to:
            t_mid = midstance_time(rf, t, stance.track, ic.time_s, to.time_s)
            frame = int(clean.pose.frame_index[int(np.argmin(np.abs(t - t_mid)))])
            stance = replace(
                stance,
                toe_off_frame=to.frame,
                toe_off_time_s=to.time_s,
                midstance_frame=frame,
                midstance_time_s=t_mid,
            )
        out.append(stance)
    return tuple(out)


def frontal_stances(events: GaitEvents) -> tuple[Stance, ...]:
    """The stances of a rear/front view, one per midstance (no contact or toe-off is seen)."""
    return tuple(
        replace(stance, midstance_frame=m.frame, midstance_time_s=m.time_s)
        for m, stance, _same in _steps(list(events.of(kind="midstance")))
    )


def midstance_time(rf: FloatArray, t: FloatArray, track: str, t_ic: float, t_to: float) -> float:
    """Instant in stance when the stance ankle passes under the hip midpoint; the stance midpoint otherwise."""
    s = L.SIDE[track]
    i0, i1 = int(np.searchsorted(t, t_ic)), int(np.searchsorted(t, t_to))
    if i1 - i0 >= 2:
        d = rf[i0:i1, s["ankle"], 0] - 0.5 * (rf[i0:i1, L.LEFT_HIP, 0] + rf[i0:i1, L.RIGHT_HIP, 0])
        for k in range(len(d) - 1):
            if np.isfinite(d[k]) and np.isfinite(d[k + 1]) and d[k] >= 0 > d[k + 1]:
                return float(t[i0 + k] + (t[i0 + k + 1] - t[i0 + k]) * d[k] / (d[k] - d[k + 1]))
    return 0.5 * (t_ic + t_to)


def step_columns(stances: Sequence[Stance]) -> Columns:
    """Step time and cadence of every stance (both views)."""
    step = np.array([s.step_time_s for s in stances], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cadence = np.where(np.isfinite(step) & (step > 0), 60.0 / step, np.nan)
    return Columns(values={"step_time_s": step, "cadence_spm": cadence})
