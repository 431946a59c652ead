"""Posture metrics: trunk lean, waist bend and hip extension (side view), pelvic drop and arm crossover (rear or
front view), torso rotation (any view, from the 3-D world landmarks).

Definitions and sign conventions: ``docs/CONVENTIONS.md``. Anterior pelvic tilt is not visible to a
joint-centre model; ``hip_extension_deg`` is reported as its visible *proxy* and named so everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from gait.core import landmarks as L
from gait.core.numeric import quiet_nan_warnings
from gait.core.types import FloatArray
from gait.kinematics.cleaned import CleanPose
from gait.metrics.geometry import compute_segment_angle_deg, runner_xy, sample, window
from gait.metrics.table import Columns, Stance


def angle_difference_deg(a: float, b: float) -> float:
    """``a − b`` for two angles in degrees, wrapped to [−180°, 180°) (NaN stays NaN): two directions a few
    degrees apart either side of ±180° differ by those few degrees, not by nearly 360°."""
    return (a - b + 180.0) % 360.0 - 180.0


def compute_trunk_lean_deg(rf: FloatArray) -> FloatArray:
    """(N,) forward lean of hip midpoint → shoulder midpoint from vertical, runner frame (forward > 0)."""
    hip = 0.5 * (rf[:, L.LEFT_HIP] + rf[:, L.RIGHT_HIP])
    sh = 0.5 * (rf[:, L.LEFT_SHOULDER] + rf[:, L.RIGHT_SHOULDER])
    return np.degrees(np.arctan2(sh[:, 0] - hip[:, 0], sh[:, 1] - hip[:, 1]))


def compute_hip_extension_deg(shoulder: FloatArray, hip: FloatArray, knee: FloatArray) -> float:
    """Angle of the thigh (hip→knee) behind the trunk line extended downward (shoulder→hip), runner frame.

    Positive when the knee is behind the trunk line (hip extension); the visible proxy for hip-flexor
    tightness / anterior pelvic tilt.
    """
    u = hip - shoulder
    v = knee - hip
    cross = u[0] * v[1] - u[1] * v[0]
    return -math.degrees(math.atan2(cross, float(np.dot(u, v))))


def compute_frontal_tilt_deg(stance_hip: FloatArray, other_hip: FloatArray) -> float:
    """Frontal-plane pelvic tilt in image coordinates (y down): positive when the hip of the swing side (other)
    is lower than the stance side's hip."""
    dx = abs(float(other_hip[0] - stance_hip[0]))
    return math.degrees(math.atan2(float(other_hip[1] - stance_hip[1]), dx))


def compute_torso_rotation_deg(world: FloatArray) -> FloatArray:
    """(N,) transverse-plane angle (deg) between the shoulder line and the hip line from world landmarks.

    Both lines (left→right) are projected on the horizontal plane (MediaPipe world: x right, y down, z depth);
    the signed angle from the hip line to the shoulder line is returned.
    """
    sh = world[:, L.RIGHT_SHOULDER] - world[:, L.LEFT_SHOULDER]
    hp = world[:, L.RIGHT_HIP] - world[:, L.LEFT_HIP]
    a_sh = np.arctan2(sh[:, 2], sh[:, 0])
    a_hp = np.arctan2(hp[:, 2], hp[:, 0])
    d = np.degrees(a_sh - a_hp)
    return (d + 180.0) % 360.0 - 180.0


def _range(x: FloatArray) -> float:
    x = x[np.isfinite(x)]
    return float(x.max() - x.min()) if x.size >= 2 else math.nan


def _angle_range_deg(x: FloatArray) -> float:
    """Range of an angle series across the ±180° wrap; NaN when it exceeds 180° (not a plausible rotation)."""
    x = x[np.isfinite(x)]
    if x.size < 2:
        return math.nan
    r = _range(np.degrees(np.unwrap(np.radians(x))))
    return r if r <= 180.0 else math.nan


def side_posture_columns(clean: CleanPose, stances: Sequence[Stance]) -> Columns:
    """Trunk lean (over the step, at contact, at midstance), waist bend and hip extension at toe-off of every
    side-view stance; the whole-body lean at midstance as a diagnostic."""
    t = clean.pose.times_s
    rf = runner_xy(clean)
    lean = compute_trunk_lean_deg(rf)
    names = ("trunk_lean_deg", "trunk_lean_at_contact_deg", "trunk_lean_midstance_deg", "waist_bend_deg")
    cols: dict[str, list[float]] = {n: [] for n in (*names, "hip_extension_deg", "body_lean_midstance_deg")}
    for st in stances:
        s = L.SIDE[st.track]
        t_ic = st.contact_time_s
        t_end = t_ic + st.step_time_s if np.isfinite(st.step_time_s) else t_ic
        with quiet_nan_warnings():
            cols["trunk_lean_deg"].append(float(np.nanmean(lean[window(t, t_ic, t_end)])) if t_end > t_ic else math.nan)
        cols["trunk_lean_at_contact_deg"].append(float(sample(lean, t, t_ic)))
        mid, body = math.nan, math.nan
        if np.isfinite(st.midstance_time_s):
            mid = float(sample(lean, t, st.midstance_time_s))
            at = sample(rf, t, st.midstance_time_s)
            sh = 0.5 * (at[L.LEFT_SHOULDER] + at[L.RIGHT_SHOULDER])
            body = -compute_segment_angle_deg(sh, at[s["ankle"]])  # ankle behind shoulder → negative; flip sign
        cols["trunk_lean_midstance_deg"].append(mid)
        cols["body_lean_midstance_deg"].append(body)
        cols["waist_bend_deg"].append(angle_difference_deg(mid, body))
        ext = math.nan
        if np.isfinite(st.toe_off_time_s):
            at = sample(rf, t, st.toe_off_time_s)
            sh = 0.5 * (at[L.LEFT_SHOULDER] + at[L.RIGHT_SHOULDER])
            hip = 0.5 * (at[L.LEFT_HIP] + at[L.RIGHT_HIP])
            ext = compute_hip_extension_deg(sh, hip, at[s["knee"]])
        cols["hip_extension_deg"].append(ext)
    arrays = {n: np.asarray(v, dtype=float) for n, v in cols.items()}
    diagnostics = {"body_lean_midstance_deg": arrays.pop("body_lean_midstance_deg")}
    return Columns(values=arrays, diagnostics=diagnostics)


def torso_rotation_columns(clean: CleanPose, stances: Sequence[Stance]) -> Columns:
    """Per-stride range of the shoulder-line vs hip-line angle (world landmarks), any view."""
    t = clean.pose.times_s
    rot = compute_torso_rotation_deg(clean.pose.world_xyz_m)
    values = [
        _angle_range_deg(rot[window(t, st.anchor_time_s, st.anchor_time_s + st.stride_time_s)])
        if np.isfinite(st.stride_time_s)
        else math.nan
        for st in stances
    ]
    return Columns(values={"torso_rotation_deg": np.asarray(values, dtype=float)})


def frontal_posture_columns(clean: CleanPose, stances: Sequence[Stance]) -> Columns:
    """Pelvic drop at midstance and arm crossover per stride (rear or front view)."""
    t = clean.pose.times_s
    xy = clean.pose.image_xy_px
    drop, cross = [], []
    for st in stances:
        d = math.nan
        if np.isfinite(st.midstance_time_s):
            at = sample(xy, t, st.midstance_time_s)
            stance, other = (L.LEFT_HIP, L.RIGHT_HIP) if st.foot == "left" else (L.RIGHT_HIP, L.LEFT_HIP)
            d = compute_frontal_tilt_deg(at[stance], at[other])
        drop.append(d)
        c = math.nan
        if np.isfinite(st.stride_time_s):
            c = 100.0 * float(arm_crosses_midline(xy[window(t, st.anchor_time_s, st.anchor_time_s + st.stride_time_s)]))
        cross.append(c)
    return Columns(values={"pelvic_drop_deg": np.asarray(drop, dtype=float), "arm_crossover_pct": np.asarray(cross)})


def arm_crosses_midline(xy: FloatArray) -> bool:
    """True when either wrist crosses the body midline (hip-midpoint vertical) towards the other side in any
    frame of ``xy`` (N, 33, 2). Works from behind and in front: sides are taken from the shoulders' order."""
    mid = 0.5 * (xy[:, L.LEFT_HIP, 0] + xy[:, L.RIGHT_HIP, 0])
    side = np.sign(xy[:, L.LEFT_SHOULDER, 0] - xy[:, L.RIGHT_SHOULDER, 0])  # +1 when left is on image right
    left_over = side * (xy[:, L.LEFT_WRIST, 0] - mid) < 0
    right_over = side * (xy[:, L.RIGHT_WRIST, 0] - mid) > 0
    return bool(np.any(left_over | right_over))
