"""Posture metrics: trunk lean, waist bend and hip extension (side view), pelvic drop and arm crossover (rear or
front view), torso rotation (any view, from the 3-D world landmarks).

Definitions and sign conventions: ``docs/CONVENTIONS.md``. Anterior pelvic tilt is not visible to a
joint-centre model; ``hip_extension_deg`` is reported as its visible *proxy* and named so everywhere.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gait import landmarks as L
from gait.clean import CleanPose, _quiet_nan_warnings
from gait.metrics.spatiotemporal import compute_segment_angle_deg, runner_xy, sample
from gait.types import FloatArray, GaitEvents


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


def _window(t: FloatArray, t0: float, t1: float) -> slice:
    return slice(int(np.searchsorted(t, t0)), int(np.searchsorted(t, t1)) + 1)


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


def add_side_posture(rows: list[dict[str, Any]], clean: CleanPose, events: GaitEvents) -> None:
    """Add side-view posture values to the stride rows (in place)."""
    t = clean.pose.times_s
    rf = runner_xy(clean)
    lean = compute_trunk_lean_deg(rf)
    toe_offs = events.of(kind="toe_off")
    for r in rows:
        t_ic = r["contact_time_s"]
        t_end = t_ic + r["step_time_s"] if np.isfinite(r.get("step_time_s", math.nan)) else t_ic
        with _quiet_nan_warnings():
            r["trunk_lean_deg"] = float(np.nanmean(lean[_window(t, t_ic, t_end)])) if t_end > t_ic else math.nan
        r["trunk_lean_at_contact_deg"] = float(sample(lean, t, t_ic))
        track = _track(r, events)
        s = L.SIDE[track]
        if np.isfinite(r.get("midstance_time_s", math.nan)):
            tm = r["midstance_time_s"]
            r["trunk_lean_midstance_deg"] = float(sample(lean, t, tm))
            at = sample(rf, t, tm)
            sh = 0.5 * (at[L.LEFT_SHOULDER] + at[L.RIGHT_SHOULDER])
            body = compute_segment_angle_deg(sh, at[s["ankle"]])  # ankle behind shoulder → negative; flip sign
            r["body_lean_midstance_deg"] = -body
            r["waist_bend_deg"] = r["trunk_lean_midstance_deg"] - r["body_lean_midstance_deg"]
        else:
            r["trunk_lean_midstance_deg"] = r["waist_bend_deg"] = math.nan
        to = next((e for e in toe_offs if e.foot == r["foot"] and e.time_s > t_ic), None)
        if to is not None and np.isfinite(r.get("toe_off_time_s", math.nan)):
            at = sample(rf, t, to.time_s)
            sh = 0.5 * (at[L.LEFT_SHOULDER] + at[L.RIGHT_SHOULDER])
            hip = 0.5 * (at[L.LEFT_HIP] + at[L.RIGHT_HIP])
            r["hip_extension_deg"] = compute_hip_extension_deg(sh, hip, at[s["knee"]])
        else:
            r["hip_extension_deg"] = math.nan


def _track(row: dict[str, Any], events: GaitEvents) -> str:
    ev = next((e for e in events.of(kind="contact") if e.frame == row["contact_frame"] and e.foot == row["foot"]), None)
    return (ev.track if ev and ev.track else row["foot"]) or row["foot"]


def add_torso_rotation(rows: list[dict[str, Any]], clean: CleanPose) -> None:
    """Per-stride range of the shoulder-line vs hip-line angle (world landmarks), added in place."""
    t = clean.pose.times_s
    rot = compute_torso_rotation_deg(clean.pose.world_xyz_m)
    for r in rows:
        stride = r.get("stride_time_s", math.nan)
        if np.isfinite(stride):
            r["torso_rotation_deg"] = _angle_range_deg(rot[_window(t, r["anchor_time_s"], r["anchor_time_s"] + stride)])
        else:
            r["torso_rotation_deg"] = math.nan


def add_frontal_posture(rows: list[dict[str, Any]], clean: CleanPose) -> None:
    """Pelvic drop at midstance and arm crossover per stride (rear or front view), added in place."""
    t = clean.pose.times_s
    xy = clean.pose.image_xy_px
    for r in rows:
        tm = r.get("midstance_time_s", math.nan)
        if np.isfinite(tm):
            at = sample(xy, t, tm)
            stance, other = (L.LEFT_HIP, L.RIGHT_HIP) if r["foot"] == "left" else (L.RIGHT_HIP, L.LEFT_HIP)
            r["pelvic_drop_deg"] = compute_frontal_tilt_deg(at[stance], at[other])
        else:
            r["pelvic_drop_deg"] = math.nan
        stride = r.get("stride_time_s", math.nan)
        if np.isfinite(stride):
            w = xy[_window(t, r["anchor_time_s"], r["anchor_time_s"] + stride)]
            r["arm_crossover_pct"] = 100.0 * float(arm_crosses_midline(w))
        else:
            r["arm_crossover_pct"] = math.nan


def arm_crosses_midline(xy: FloatArray) -> bool:
    """True when either wrist crosses the body midline (hip-midpoint vertical) towards the other side in any
    frame of ``xy`` (N, 33, 2). Works from behind and in front: sides are taken from the shoulders' order."""
    mid = 0.5 * (xy[:, L.LEFT_HIP, 0] + xy[:, L.RIGHT_HIP, 0])
    side = np.sign(xy[:, L.LEFT_SHOULDER, 0] - xy[:, L.RIGHT_SHOULDER, 0])  # +1 when left is on image right
    left_over = side * (xy[:, L.LEFT_WRIST, 0] - mid) < 0
    right_over = side * (xy[:, L.RIGHT_WRIST, 0] - mid) > 0
    return bool(np.any(left_over | right_over))
