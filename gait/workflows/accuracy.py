"""Check detected gait events (and contact angles) against hand labels or a lab reference: how far the tool is
from the truth. The labels format is :mod:`gait.core.labels`; files are read by :mod:`gait.workflows.labelfile`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gait.core.labels import Labels
from gait.core.types import FloatArray, GaitReport


@dataclass(frozen=True)
class EventAgreement:
    """Detected vs labelled events of one kind, errors in frames (detected minus labelled)."""

    kind: str
    n_labelled: int
    matched: int
    missed: tuple[int, ...]  # labelled frames with no detection near them
    extra: tuple[float, ...]  # detected positions (frames) with no label near them
    errors_frames: tuple[float, ...]
    fps: float
    foot_agreement: float | None = None  # share of matched events whose foot agrees (labels with a foot)
    errors_by_foot: Mapping[str, tuple[float, ...]] = field(default_factory=dict)  # labelled foot → errors
    near_foot: str | None = None  # the foot nearer the phone (side view: the runner's left when facing left)

    @property
    def bias_frames(self) -> float:
        """Median signed error (frames); positive = detected late."""
        return float(np.median(self.errors_frames)) if self.errors_frames else math.nan

    @property
    def median_abs_frames(self) -> float:
        """Median absolute error (frames)."""
        return float(np.median(np.abs(self.errors_frames))) if self.errors_frames else math.nan

    @property
    def p90_abs_frames(self) -> float:
        """90th percentile of the absolute error (frames)."""
        return float(np.percentile(np.abs(self.errors_frames), 90)) if self.errors_frames else math.nan

    def ms(self, frames: float) -> float:
        """Frames → milliseconds at the clip's frame rate."""
        return 1000.0 * frames / self.fps

    def foot_bias_frames(self, foot: str) -> float:
        """Median signed error (frames) of the events labelled on ``foot``; NaN without any."""
        errors = self.errors_by_foot.get(foot, ())
        return float(np.median(errors)) if errors else math.nan


@dataclass(frozen=True)
class AngleAgreement:
    """Measured vs labelled contact angles."""

    name: str
    pairs: tuple[tuple[int, float, float], ...] = field(default_factory=tuple)  # (frame, labelled, measured)

    @property
    def bias_deg(self) -> float:
        """Median of measured minus labelled (deg)."""
        return float(np.median([m - lab for _, lab, m in self.pairs])) if self.pairs else math.nan


def frame_positions(times_s: FloatArray, frame_index: np.ndarray, event_times_s: list[float]) -> FloatArray:
    """Fractional decoded-frame positions of event times (interpolated between the frames' own times)."""
    return np.interp(np.asarray(event_times_s, dtype=float), times_s, frame_index.astype(float))


def match_events(
    detected_frames: FloatArray, labelled_frames: list[int], max_error_frames: float
) -> tuple[list[tuple[int, float]], list[int], list[float]]:
    """Pair detections with labels one to one, nearest first, within ``max_error_frames``.

    Returns (pairs of (labelled frame, detected position), missed labels, extra detections).
    """
    det = sorted(float(x) for x in detected_frames)
    lab = sorted(int(x) for x in labelled_frames)
    cand = sorted(
        (
            (abs(d - lab_f), i, j)
            for i, lab_f in enumerate(lab)
            for j, d in enumerate(det)
            if abs(d - lab_f) <= max_error_frames
        ),
    )
    used_l: set[int] = set()
    used_d: set[int] = set()
    pairs: list[tuple[int, float]] = []
    for _, i, j in cand:
        if i in used_l or j in used_d:
            continue
        used_l.add(i)
        used_d.add(j)
        pairs.append((lab[i], det[j]))
    pairs.sort()
    missed = [lab[i] for i in range(len(lab)) if i not in used_l]
    extra = [det[j] for j in range(len(det)) if j not in used_d]
    return pairs, missed, extra


def agree_events(
    report: GaitReport, labels: Labels, times_s: FloatArray, frame_index: np.ndarray, kind: str
) -> EventAgreement | None:
    """Agreement of the report's events of ``kind`` with the labels of that kind (None without such labels)."""
    labelled = [e for e in labels.events if e.kind == kind]
    if not labelled:
        return None
    detected = [e for e in report.events if e.kind == kind]
    pos = frame_positions(times_s, frame_index, [e.time_s for e in detected])
    step_frames = float(np.median(np.diff(sorted(e.frame for e in labelled)))) if len(labelled) > 1 else 10.0
    pairs, missed, extra = match_events(pos, [e.frame for e in labelled], 0.5 * step_frames)
    by_frame = {e.frame: e for e in labelled}
    foot_of = {float(p): e.foot for p, e in zip(pos, detected, strict=True)}
    feet = [(by_frame[lab].foot, foot_of.get(d)) for lab, d in pairs if by_frame[lab].foot]
    agree = float(np.mean([a == b for a, b in feet])) if feet else None
    by_foot: dict[str, tuple[float, ...]] = {}
    for lab, d in pairs:
        if foot := by_frame[lab].foot:
            by_foot[foot] = (*by_foot.get(foot, ()), d - lab)
    fps = report.video.effective_fps
    return EventAgreement(
        kind=kind,
        n_labelled=len(labelled),
        matched=len(pairs),
        missed=tuple(missed),
        extra=tuple(extra),
        errors_frames=tuple(d - lab for lab, d in pairs),
        fps=fps,
        foot_agreement=agree,
        errors_by_foot=by_foot,
        near_foot=report.facing if report.view == "side" and report.facing in ("left", "right") else None,
    )


def agree_shank_angles(report: GaitReport, labels: Labels) -> AngleAgreement | None:
    """The report's per-stride shin angle at the contact nearest each labelled angle's frame (±2 frames)."""
    return _agree_at_contact(report, labels.shank_angles, "shank_angle_deg", "shank_angle_at_contact_deg")


def agree_knee_angles(report: GaitReport, labels: Labels) -> AngleAgreement | None:
    """The report's per-stride knee flexion at the contact nearest each labelled angle's frame (±2 frames)."""
    return _agree_at_contact(report, labels.knee_angles, "knee_flexion_deg", "knee_flexion_at_contact_deg")


def _agree_at_contact(
    report: GaitReport, labelled: tuple[dict[str, Any], ...], key: str, metric: str
) -> AngleAgreement | None:
    """Pairs (frame, labelled, measured) of a per-stride angle at the contact nearest each labelled frame (±2
    frames, the same foot when the label names one); None without labels."""
    if not labelled:
        return None
    pairs = []
    rows = [r for r in report.strides if r.get(metric) is not None]
    for a in labelled if rows else ():
        same_foot = [r for r in rows if a.get("foot") in (None, r.get("foot"))]
        if not same_foot:
            continue
        r = min(same_foot, key=lambda r: abs(int(r["contact_frame"]) - int(a["frame"])))
        if abs(int(r["contact_frame"]) - int(a["frame"])) <= 2:
            pairs.append((int(a["frame"]), float(a[key]), float(r[metric])))
    return AngleAgreement(metric, tuple(pairs))


def format_agreement(a: EventAgreement) -> str:
    """One line per event kind, as ``gait validate`` prints it."""
    name = {"contact": "initial contacts", "toe_off": "toe-offs"}.get(a.kind, a.kind)
    feet = "" if a.foot_agreement is None else f", foot agrees in {100 * a.foot_agreement:.0f}%"
    per_foot = [
        f"{foot}{'' if a.near_foot is None else (' (near)' if foot == a.near_foot else ' (far)')} "
        f"{a.foot_bias_frames(foot):+.2f} (n {len(a.errors_by_foot[foot])})"
        for foot in ("left", "right")
        if a.errors_by_foot.get(foot)
    ]
    by_foot = f"; bias by foot: {', '.join(per_foot)}" if per_foot else ""
    return (
        f"{name}: {a.matched} of {a.n_labelled} matched, {len(a.missed)} missed, {len(a.extra)} extra; "
        f"bias {a.bias_frames:+.2f} frames ({a.ms(a.bias_frames):+.0f} ms), median |error| "
        f"{a.median_abs_frames:.2f} frames ({a.ms(a.median_abs_frames):.0f} ms), 90th percentile "
        f"{a.p90_abs_frames:.2f} frames{feet}{by_foot}"
    )
