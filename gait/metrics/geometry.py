"""Geometry every metric stage shares: angles between points, the runner frame, sampling at an instant.

Pure functions of NumPy arrays; the runner frame is (forward px, up px), see ``docs/CONVENTIONS.md``.
"""

from __future__ import annotations

import math

import numpy as np

from gait.core.types import FloatArray
from gait.kinematics.cleaned import CleanPose


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


def window(t: FloatArray, t0: float, t1: float) -> slice:
    """The frames from ``t0`` to ``t1``, both ends included (the frame at or after each instant)."""
    return slice(int(np.searchsorted(t, t0)), int(np.searchsorted(t, t1)) + 1)
