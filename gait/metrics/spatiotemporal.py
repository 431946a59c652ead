"""Spatiotemporal side-view metrics per stance ("stride row") and their summaries.

Definitions and sign conventions: ``docs/CONVENTIONS.md``; labels and units: ``gait/metrics/registry.py``.
Every row belongs to one initial contact; lengths are in pixels internally and reported in centimetres when a
scale is known (runner height), otherwise as a percentage of leg length (hip→knee→ankle).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.core.types import FloatArray, MetricSummary
from gait.kinematics.cleaned import CleanPose
from gait.metrics.geometry import (
    compute_angle_deg,
    compute_incline_deg,
    compute_segment_angle_deg,
    runner_xy,
    sample,
    window,
)
from gait.metrics.table import Columns, Stance


def spatiotemporal_columns(clean: CleanPose, stances: Sequence[Stance], config: AnalysisConfig) -> Columns:
    """Contact timing, landing and bounce of every side-view stance (NaN where not measurable).

    Parameters
    ----------
    clean : cleaned pose (side view).
    stances : the table's stances (:func:`gait.metrics.table.side_stances`).
    config : user inputs (belt speed) and the foot-strike cut-offs.

    Returns
    -------
    Columns
        The registry's spatiotemporal metrics except step time and cadence (:func:`~gait.metrics.table.step_columns`),
        the foot-strike pattern as a label, and the pixel intermediates as diagnostics.
    """
    t = clean.pose.times_s
    rf = runner_xy(clean)
    rf_raw = runner_xy(clean, filtered=False)
    hip_up = 0.5 * (rf[:, L.LEFT_HIP, 1] + rf[:, L.RIGHT_HIP, 1])
    cols: dict[str, list[float]] = {name: [] for name in _LANDING}
    for st in stances:
        for name, value in _stance_values(st, t, rf, rf_raw, hip_up).items():
            cols[name].append(value)
    v = {name: np.asarray(col, dtype=float) for name, col in cols.items()}
    contact_s = np.array([st.toe_off_time_s - st.contact_time_s for st in stances], dtype=float)
    flight_s = np.array([st.next_anchor_time_s - st.toe_off_time_s for st in stances], dtype=float)
    stride_s = np.array([st.stride_time_s for st in stances], dtype=float)
    step_s = np.array([st.step_time_s for st in stances], dtype=float)
    feet = [st.foot for st in stances]
    strike = _foot_strike_relative_to_flat(feet, v["foot_strike_raw_deg"], v["foot_flat_raw_deg"])
    leg, px_per_cm, belt = clean.leg_length_px, clean.px_per_cm, config.belt_speed_kmh
    none = np.full(len(stances), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        duty = np.where(np.isfinite(stride_s) & (stride_s > 0), contact_s / stride_s, np.nan)
    values = {
        "ground_contact_time_ms": 1000.0 * contact_s,
        "flight_time_ms": 1000.0 * flight_s,
        "duty_factor": duty,
        "overstride_leg_pct": 100.0 * v["overstride_px"] / leg,
        "shank_angle_at_contact_deg": v["shank_angle_at_contact_deg"],
        "knee_flexion_at_contact_deg": v["knee_flexion_at_contact_deg"],
        "knee_flexion_midstance_deg": v["knee_flexion_midstance_deg"],
        "vertical_oscillation_leg_pct": 100.0 * v["vertical_oscillation_px"] / leg,
        "foot_strike_angle_deg": strike,
        "overstride_cm": v["overstride_px"] / px_per_cm if px_per_cm else none,
        "vertical_oscillation_cm": v["vertical_oscillation_px"] / px_per_cm if px_per_cm else none,
        "step_length_m": belt / 3.6 * step_s if belt else none,
    }
    diagnostics = {name: v[name] for name in _DIAGNOSTICS}
    labels = {"foot_strike_pattern": tuple(classify_foot_strike(float(a), config) for a in strike)}
    return Columns(values=values, labels=labels, diagnostics=diagnostics)


#: per-stance values :func:`_stance_values` measures from the landmarks
_LANDING = (
    "overstride_px",
    "shank_angle_at_contact_deg",
    "foot_strike_raw_deg",
    "knee_flexion_at_contact_deg",
    "knee_flexion_midstance_deg",
    "foot_flat_raw_deg",
    "vertical_oscillation_px",
)
_DIAGNOSTICS = ("overstride_px", "foot_strike_raw_deg", "foot_flat_raw_deg", "vertical_oscillation_px")


def _stance_values(
    st: Stance, t: FloatArray, rf: FloatArray, rf_raw: FloatArray, hip_up: FloatArray
) -> dict[str, float]:
    """The landmark measurements of one stance (:data:`_LANDING`), lengths in pixels."""
    s = L.SIDE[st.track]
    # Values at the landing are read from the landmarks before the low-pass, at the sub-frame contact time: the
    # belt stops the foot within a frame or two, and a low-pass centred on that instant mixes in the pose around
    # it. Their per-stride noise averages out in the summary; a filter's bias would not. (Measured on the
    # labelled treadmill clip: shin angle 0.7° from 9 hand-measured contacts; filtered: 1.1°.)
    at = sample(rf_raw, t, st.contact_time_s)
    hip = 0.5 * (at[L.LEFT_HIP] + at[L.RIGHT_HIP])
    out = {
        "overstride_px": at[s["heel"], 0] - hip[0],
        "shank_angle_at_contact_deg": compute_segment_angle_deg(at[s["knee"]], at[s["ankle"]]),
        # The foot rolls flat within ~30-50 ms of contact, faster than the low-pass keeps: its angle is read from
        # the landmarks before filtering.
        "foot_strike_raw_deg": compute_incline_deg(at[s["heel"]], at[s["toe"]]),
        "knee_flexion_at_contact_deg": 180.0 - compute_angle_deg(at[s["hip"]], at[s["knee"]], at[s["ankle"]]),
        "knee_flexion_midstance_deg": math.nan,
        "foot_flat_raw_deg": math.nan,
        "vertical_oscillation_px": math.nan,
    }
    if math.isfinite(st.toe_off_time_s):
        # Peak knee flexion in stance: it occurs around midstance, and a peak is steadier than the value at an
        # instant that jitter in the ankle's position moves.
        out["knee_flexion_midstance_deg"] = _peak_stance_knee_flexion(rf, t, s, st.contact_time_s, st.toe_off_time_s)
        mid_raw = sample(rf_raw, t, st.midstance_time_s)
        out["foot_flat_raw_deg"] = compute_incline_deg(mid_raw[s["heel"]], mid_raw[s["toe"]])
    if np.isfinite(st.step_time_s):
        seg = hip_up[window(t, st.contact_time_s, st.contact_time_s + st.step_time_s)]
        out["vertical_oscillation_px"] = (
            float(np.nanmax(seg) - np.nanmin(seg)) if np.isfinite(seg).sum() >= 2 else np.nan
        )
    return out


def _peak_stance_knee_flexion(rf: FloatArray, t: FloatArray, s: dict[str, int], t_ic: float, t_to: float) -> float:
    """Largest knee flexion between contact and toe-off (it peaks around midstance)."""
    seg = rf[window(t, t_ic, t_to)]
    if len(seg) == 0:
        return math.nan
    u = seg[:, s["hip"]] - seg[:, s["knee"]]
    v = seg[:, s["ankle"]] - seg[:, s["knee"]]
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(u * v, axis=1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
        flex = 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return float(np.nanmax(flex)) if np.isfinite(flex).any() else math.nan


def _foot_strike_relative_to_flat(feet: Sequence[str], raw_deg: FloatArray, flat_deg: FloatArray) -> FloatArray:
    """Foot angle at contact minus the same foot's median angle at midstance (foot flat on the belt).

    This is the video analogue of Altman & Davis (2012) subtracting a standing trial: it cancels the shoe
    landmarks' offset and any roll of the phone.
    """
    out = np.full(len(feet), np.nan)
    for foot in ("left", "right"):
        flat = [float(f) for f, ft in zip(flat_deg, feet, strict=True) if ft == foot and np.isfinite(f)]
        ref = float(np.median(flat)) if flat else np.nan
        for k, ft in enumerate(feet):
            if ft == foot:
                out[k] = (float(raw_deg[k]) - ref + 180.0) % 360.0 - 180.0
    return out


def classify_foot_strike(angle_deg: float, config: AnalysisConfig) -> str | None:
    """Rearfoot / midfoot / forefoot from the foot strike angle, with the cut-offs of ``config``
    (``foot_strike_rearfoot_above_deg``, ``foot_strike_forefoot_below_deg``; Altman & Davis 2012, approx.)."""
    if not math.isfinite(angle_deg):
        return None
    c = config
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
