"""Spatiotemporal side-view metrics per stance ("stride row") and their summaries.

Definitions and sign conventions: ``docs/CONVENTIONS.md``; labels and units: ``gait/metrics/registry.py``.
Every row belongs to one initial contact; lengths are in pixels internally and reported in centimetres when a
scale is known (runner height), otherwise as a percentage of leg length (hip→knee→ankle).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from gait import landmarks as L
from gait.clean import CleanPose
from gait.config import AnalysisConfig
from gait.metrics.registry import REGISTRY
from gait.types import FloatArray, GaitEvent, GaitEvents, MetricSummary, Quality


def sample(values: FloatArray, times_s: FloatArray, t: float) -> FloatArray:
    """Linearly interpolate ``values`` (indexed by frame along axis 0) at time ``t`` (sub-frame)."""
    i = int(np.searchsorted(times_s, t)) - 1
    i = min(max(i, 0), len(times_s) - 2)
    dt = times_s[i + 1] - times_s[i]
    frac = 0.0 if dt <= 0 else float(np.clip((t - times_s[i]) / dt, 0.0, 1.0))
    return values[i] * (1 - frac) + values[i + 1] * frac


def compute_angle_deg(a: FloatArray, b: FloatArray, c: FloatArray) -> float:
    """Angle ABC in degrees (0–180) between the vectors B→A and B→C."""
    u, v = a - b, c - b
    den = float(np.linalg.norm(u) * np.linalg.norm(v))
    if not den or not math.isfinite(den):
        return math.nan
    return math.degrees(math.acos(float(np.clip(np.dot(u, v) / den, -1.0, 1.0))))


def compute_segment_angle_deg(top: FloatArray, bottom: FloatArray) -> float:
    """Angle of the segment top→bottom from the downward vertical, in the runner frame (forward, up):
    positive when the bottom point is ahead of the top point."""
    d_fwd = bottom[0] - top[0]
    d_down = top[1] - bottom[1]
    return math.degrees(math.atan2(d_fwd, d_down))


def compute_incline_deg(rear: FloatArray, front: FloatArray) -> float:
    """Angle of rear→front above the horizontal (runner frame): positive when the front point is higher."""
    return math.degrees(math.atan2(front[1] - rear[1], front[0] - rear[0]))


def runner_xy(clean: CleanPose, filtered: bool = True) -> FloatArray:
    """(N, 33, 2) landmarks in the runner frame: (forward px, up px); ``filtered=False`` before the low-pass."""
    xy = clean.pose.image_xy_px if filtered else clean.unfiltered_xy_px
    return np.stack([clean.sign * xy[..., 0], -xy[..., 1]], axis=-1)


def _midstance_time(rf: FloatArray, t: FloatArray, track: str, t_ic: float, t_to: float) -> float:
    """Instant in stance when the stance ankle passes under the hip midpoint; the stance midpoint otherwise."""
    s = L.SIDE[track]
    i0, i1 = int(np.searchsorted(t, t_ic)), int(np.searchsorted(t, t_to))
    if i1 - i0 >= 2:
        d = rf[i0:i1, s["ankle"], 0] - 0.5 * (rf[i0:i1, L.LEFT_HIP, 0] + rf[i0:i1, L.RIGHT_HIP, 0])
        for k in range(len(d) - 1):
            if np.isfinite(d[k]) and np.isfinite(d[k + 1]) and d[k] >= 0 > d[k + 1]:
                return float(t[i0 + k] + (t[i0 + k + 1] - t[i0 + k]) * d[k] / (d[k] - d[k + 1]))
    return 0.5 * (t_ic + t_to)


def compute_stride_rows(clean: CleanPose, events: GaitEvents, config: AnalysisConfig) -> list[dict[str, Any]]:
    """One row per initial contact with every spatiotemporal value of that stance (NaN where not measurable).

    Parameters
    ----------
    clean : cleaned pose (side view).
    events : detected events.
    config : user inputs (belt speed) and parameters.

    Returns
    -------
    list of dict
        Keys: ``foot``, ``contact_frame``, ``contact_time_s`` and the names of the registry's spatiotemporal
        metrics (``computed_in == "spatiotemporal"``), lengths both in px and in their reported units.
    """
    t = clean.pose.times_s
    rf = runner_xy(clean)
    rf_raw = runner_xy(clean, filtered=False)
    leg = clean.leg_length_px
    contacts = list(events.of(kind="contact"))
    toe_offs = list(events.of(kind="toe_off"))
    hip_up = 0.5 * (rf[:, L.LEFT_HIP, 1] + rf[:, L.RIGHT_HIP, 1])
    rows: list[dict[str, Any]] = []
    max_step_s = _max_step_s(contacts)
    for k, ic in enumerate(contacts):
        track = ic.track or ic.foot
        s = L.SIDE[track]
        # Values at the landing are read from the landmarks before the low-pass, at the sub-frame contact time:
        # the belt stops the foot within a frame or two, and a low-pass centred on that instant mixes in the pose
        # around it. Their per-stride noise averages out in the summary; a filter's bias would not. (Measured on
        # the labelled treadmill clip: shin angle 0.7° from 9 hand-measured contacts; filtered: 1.1°.)
        at = sample(rf_raw, t, ic.time_s)
        at_raw = at
        hip = 0.5 * (at[L.LEFT_HIP] + at[L.RIGHT_HIP])
        nxt = contacts[k + 1] if k + 1 < len(contacts) else None
        same = next((e for e in contacts[k + 1 :] if e.foot == ic.foot), None)
        to = _toe_off_of(ic, toe_offs, same)
        step_s = (
            nxt.time_s - ic.time_s if nxt and nxt.foot != ic.foot and nxt.time_s - ic.time_s <= max_step_s else np.nan
        )
        stride_s = same.time_s - ic.time_s if same and same.time_s - ic.time_s <= 2 * max_step_s else np.nan
        contact_s = to.time_s - ic.time_s if to else np.nan
        flight_s = nxt.time_s - to.time_s if to and nxt and np.isfinite(step_s) else np.nan
        overstride_px = at[s["heel"], 0] - hip[0]
        row: dict[str, Any] = {
            "foot": ic.foot,
            "contact_frame": ic.frame,
            "contact_time_s": ic.time_s,
            "anchor_time_s": ic.time_s,
            "toe_off_time_s": to.time_s if to else np.nan,
            "toe_off_frame": to.frame if to else None,
            "step_time_s": step_s,
            "cadence_spm": 60.0 / step_s if np.isfinite(step_s) and step_s > 0 else np.nan,
            "stride_time_s": stride_s,
            "ground_contact_time_ms": 1000.0 * contact_s,
            "flight_time_ms": 1000.0 * flight_s,
            "duty_factor": contact_s / stride_s if np.isfinite(stride_s) and stride_s > 0 else np.nan,
            "overstride_px": overstride_px,
            "overstride_leg_pct": 100.0 * overstride_px / leg,
            "shank_angle_at_contact_deg": compute_segment_angle_deg(at[s["knee"]], at[s["ankle"]]),
            # The foot rolls flat within ~30-50 ms of contact, faster than the low-pass keeps: its angle is read
            # from the landmarks before filtering.
            "foot_strike_raw_deg": compute_incline_deg(at_raw[s["heel"]], at_raw[s["toe"]]),
            "knee_flexion_at_contact_deg": 180.0 - compute_angle_deg(at[s["hip"]], at[s["knee"]], at[s["ankle"]]),
        }
        if to:
            t_mid = _midstance_time(rf, t, track, ic.time_s, to.time_s)
            row["midstance_time_s"] = t_mid
            row["midstance_frame"] = int(clean.pose.frame_index[int(np.argmin(np.abs(t - t_mid)))])
            # Peak knee flexion in stance: it occurs around midstance, and a peak is steadier than the value at an
            # instant that jitter in the ankle's position moves.
            row["knee_flexion_midstance_deg"] = _peak_stance_knee_flexion(rf, t, s, ic.time_s, to.time_s)
            mid_raw = sample(rf_raw, t, t_mid)
            row["foot_flat_raw_deg"] = compute_incline_deg(mid_raw[s["heel"]], mid_raw[s["toe"]])
        else:
            row["knee_flexion_midstance_deg"] = np.nan
            row["foot_flat_raw_deg"] = np.nan
        if np.isfinite(step_s):
            i0, i1 = int(np.searchsorted(t, ic.time_s)), int(np.searchsorted(t, ic.time_s + step_s)) + 1
            seg = hip_up[i0:i1]
            vo = float(np.nanmax(seg) - np.nanmin(seg)) if np.isfinite(seg).sum() >= 2 else np.nan
        else:
            vo = np.nan
        row["vertical_oscillation_px"] = vo
        row["vertical_oscillation_leg_pct"] = 100.0 * vo / leg
        rows.append(row)
    _foot_strike_relative_to_flat(rows)
    _add_scaled_lengths(rows, clean.px_per_cm, config.belt_speed_kmh)
    return rows


def _peak_stance_knee_flexion(rf: FloatArray, t: FloatArray, s: dict[str, int], t_ic: float, t_to: float) -> float:
    """Largest knee flexion between contact and toe-off (it peaks around midstance)."""
    i0, i1 = int(np.searchsorted(t, t_ic)), int(np.searchsorted(t, t_to)) + 1
    seg = rf[i0:i1]
    if len(seg) == 0:
        return math.nan
    u = seg[:, s["hip"]] - seg[:, s["knee"]]
    v = seg[:, s["ankle"]] - seg[:, s["knee"]]
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(u * v, axis=1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
        flex = 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return float(np.nanmax(flex)) if np.isfinite(flex).any() else math.nan


def _max_step_s(contacts: list[GaitEvent]) -> float:
    """Longest gap between consecutive contacts still counted as one step (1.6 × the median step)."""
    gaps = np.diff([e.time_s for e in contacts])
    return 1.6 * float(np.median(gaps)) if gaps.size else math.inf


def _toe_off_of(ic: GaitEvent, toe_offs: list[GaitEvent], next_same: GaitEvent | None) -> GaitEvent | None:
    end = next_same.time_s if next_same else math.inf
    return next((e for e in toe_offs if e.foot == ic.foot and ic.time_s < e.time_s < end), None)


def _foot_strike_relative_to_flat(rows: list[dict[str, Any]]) -> None:
    """Foot angle at contact minus the same foot's median angle at midstance (foot flat on the belt).

    This is the video analogue of Altman & Davis (2012) subtracting a standing trial: it cancels the shoe
    landmarks' offset and any roll of the phone.
    """
    for foot in ("left", "right"):
        flat = [r["foot_flat_raw_deg"] for r in rows if r["foot"] == foot and np.isfinite(r["foot_flat_raw_deg"])]
        ref = float(np.median(flat)) if flat else np.nan
        for r in rows:
            if r["foot"] == foot:
                r["foot_strike_angle_deg"] = (r["foot_strike_raw_deg"] - ref + 180.0) % 360.0 - 180.0


def _add_scaled_lengths(rows: list[dict[str, Any]], px_per_cm: float | None, belt_speed_kmh: float | None) -> None:
    for r in rows:
        r["overstride_cm"] = r["overstride_px"] / px_per_cm if px_per_cm else np.nan
        r["vertical_oscillation_cm"] = r["vertical_oscillation_px"] / px_per_cm if px_per_cm else np.nan
        r["step_length_m"] = belt_speed_kmh / 3.6 * r["step_time_s"] if belt_speed_kmh else np.nan


def classify_foot_strike(angle_deg: float, config: AnalysisConfig | None = None) -> str | None:
    """Rearfoot / midfoot / forefoot from the foot strike angle, with the cut-offs of ``config``
    (``foot_strike_rearfoot_above_deg``, ``foot_strike_forefoot_below_deg``; Altman & Davis 2012, approx.)."""
    if not math.isfinite(angle_deg):
        return None
    c = config or AnalysisConfig()
    if angle_deg > c.foot_strike_rearfoot_above_deg:
        return "rearfoot"
    if angle_deg < c.foot_strike_forefoot_below_deg:
        return "forefoot"
    return "midfoot"


def with_foot_strike_pattern(metrics: dict[str, MetricSummary], config: AnalysisConfig) -> dict[str, MetricSummary]:
    """The summaries with the foot-strike pattern of the mean (and of each foot) in the foot-strike angle's
    ``extra`` (``pattern``, ``pattern_left``, ``pattern_right``)."""
    fs = metrics.get("foot_strike_angle_deg")
    if fs is None or fs.value is None:
        return metrics
    extra = {"pattern": classify_foot_strike(fs.value, config)}
    for foot, v in (("left", fs.left), ("right", fs.right)):
        if v is not None:
            extra[f"pattern_{foot}"] = classify_foot_strike(v, config)
    return {**metrics, "foot_strike_angle_deg": replace(fs, extra=extra)}


def mean_cadence_spm(step_times_s: Sequence[float] | FloatArray) -> float:
    """Steps per minute from the mean step time (not the mean of per-step rates); NaN without a timed step."""
    steps = np.asarray(step_times_s, dtype=float)
    return 60.0 / float(np.nanmean(steps)) if np.isfinite(steps).any() else math.nan


def robust_mean(x: FloatArray, trim: float = 0.1) -> float:
    """Mean after dropping the ``trim`` share of values at each end (none for fewer than 10 values): one stride
    the model got wrong (an occluded far foot) must not move the summary."""
    x = np.sort(np.asarray(x, dtype=float))
    k = int(trim * x.size) if x.size >= 10 else 0
    return float(np.mean(x[k : x.size - k]))


def _asymmetry_pct(left: float, right: float) -> float | None:
    den = 0.5 * (abs(left) + abs(right))
    if not (math.isfinite(left) and math.isfinite(right)) or den < 1e-9:
        return None
    return 100.0 * abs(left - right) / den


def _f(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def summarise(
    rows: list[dict[str, Any]], quality_of: dict[str, tuple[Quality, str | None]]
) -> dict[str, MetricSummary]:
    """Summarise per-stride rows into one :class:`MetricSummary` per registry metric, in registry order.

    ``value``, ``left`` and ``right`` are 10 %-trimmed means (:func:`robust_mean`); ``sd`` is over all strides;
    cadence is from the mean step time (:func:`mean_cadence_spm`).

    Parameters
    ----------
    rows : stride rows (see :func:`compute_stride_rows`).
    quality_of : metric name → (quality, reason or None) decided by :func:`gait.quality.assess`; a quality of
        ``"unavailable"`` makes the value None with that reason.
    """
    out: dict[str, MetricSummary] = {}
    for name, spec in REGISTRY.items():
        unit = spec.unit
        quality, reason = quality_of.get(name, ("good", None))
        vals = np.array([r.get(name, np.nan) for r in rows], dtype=float)
        feet = np.array([r["foot"] for r in rows])
        ok = np.isfinite(vals)
        if quality == "unavailable" or not ok.any():
            out[name] = MetricSummary(
                name=name,
                value=None,
                unit=unit,
                n=int(ok.sum()),
                quality="unavailable",
                reason=reason or "not measurable in this clip",
            )
            continue
        left = vals[ok & (feet == "left")]
        right = vals[ok & (feet == "right")]
        if name == "cadence_spm":
            value = mean_cadence_spm([r["step_time_s"] for r in rows])
        else:
            value = robust_mean(vals[ok])
        lm = robust_mean(left) if left.size else math.nan
        rm = robust_mean(right) if right.size else math.nan
        signed = spec.signed  # a percentage of a value near zero means nothing
        out[name] = MetricSummary(
            name=name,
            value=value,
            unit=unit,
            sd=float(np.std(vals[ok], ddof=1)) if ok.sum() > 1 else None,
            n=int(ok.sum()),
            left=_f(lm),
            right=_f(rm),
            asymmetry_pct=None if signed else _asymmetry_pct(lm, rm),
            left_right_diff=_f(lm - rm),
            quality=quality,
            reason=reason,
        )
    return out


def compute_frontal_rows(clean: CleanPose, events: GaitEvents) -> list[dict[str, Any]]:
    """Stride rows from a rear/front view, anchored on midstance events: step and stride times only."""
    mids = list(events.of(kind="midstance"))
    max_step_s = _max_step_s(mids)
    rows: list[dict[str, Any]] = []
    for k, m in enumerate(mids):
        nxt = mids[k + 1] if k + 1 < len(mids) else None
        same = next((e for e in mids[k + 1 :] if e.foot == m.foot), None)
        step_s = nxt.time_s - m.time_s if nxt and nxt.foot != m.foot and nxt.time_s - m.time_s <= max_step_s else np.nan
        stride_s = same.time_s - m.time_s if same and same.time_s - m.time_s <= 2 * max_step_s else np.nan
        rows.append(
            {
                "foot": m.foot,
                "anchor_time_s": m.time_s,
                "midstance_time_s": m.time_s,
                "midstance_frame": m.frame,
                "step_time_s": step_s,
                "stride_time_s": stride_s,
                "cadence_spm": 60.0 / step_s if np.isfinite(step_s) and step_s > 0 else np.nan,
            }
        )
    return rows
