"""Each foot's signals over the clip, in the runner frame: forward position of heel, toe and foot, height of the
lowest point above the belt, and the braking edge of a landing (the foot losing its forward speed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.core.numeric import quiet_nan_warnings
from gait.core.types import FloatArray, Foot
from gait.kinematics.cleaned import CleanPose
from gait.kinematics.subframe import SIDES


@dataclass(frozen=True)
class FootSignals:
    """Per-foot signals in the runner frame (px), each (N,)."""

    heel_fwd: dict[Foot, FloatArray]  # heel ahead of the pelvis
    toe_fwd: dict[Foot, FloatArray]  # toe ahead of the pelvis
    low_height: dict[Foot, FloatArray]  # lowest point of the foot above that foot's belt level
    toe_height: dict[Foot, FloatArray]  # toe above the belt level
    hip_up: FloatArray  # pelvis height
    foot_fwd: dict[Foot, FloatArray]  # foot centre (mean of heel, ankle and toe) ahead of the pelvis


def foot_signals(clean: CleanPose) -> FootSignals:
    """Compute the event-detection signals from a cleaned pose."""
    hip_fwd = clean.forward([L.LEFT_HIP, L.RIGHT_HIP])
    heel_fwd, toe_fwd, low_h, toe_h, foot_fwd = {}, {}, {}, {}, {}
    for side in SIDES:
        s = L.SIDE[side]
        heel_fwd[side] = clean.forward(s["heel"]) - hip_fwd
        toe_fwd[side] = clean.forward(s["toe"]) - hip_fwd
        foot_fwd[side] = clean.forward([s["heel"], s["ankle"], s["toe"]]) - hip_fwd
        # Each landmark's own belt level (15th percentile of its height): heel and toe markers sit at different
        # heights on the shoe and the far foot stands higher in the image than the near one.
        heel_h = _above_belt(clean.up(s["heel"]))
        toe_h[side] = _above_belt(clean.up(s["toe"]))
        low_h[side] = np.fmin(heel_h, toe_h[side])
    return FootSignals(heel_fwd, toe_fwd, low_h, toe_h, clean.up([L.LEFT_HIP, L.RIGHT_HIP]), foot_fwd)


def ground_tolerance_px(clean: CleanPose, leg_px: float, config: AnalysisConfig) -> float:
    """How close to its belt level a foot landmark must come to count as on the belt (px).

    Three times the landmarks' own jitter (robust SD of raw minus filtered foot heights), kept between 1 % of
    leg length and ``config.ground_tolerance_leg_frac``: as tight as the footage allows, so a foot descending onto
    the belt is not called down early, and wide enough that jitter does not make it bounce.
    """
    feet = [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_TOE, L.RIGHT_TOE]
    resid = clean.raw.image_xy_px[:, feet, 1] - clean.pose.image_xy_px[:, feet, 1]
    resid = resid[np.isfinite(resid)]
    lo, hi = 0.01 * leg_px, config.ground_tolerance_leg_frac * leg_px
    if resid.size < 10:
        return hi
    sigma = 1.4826 * float(np.median(np.abs(resid - np.median(resid))))
    return float(np.clip(3.0 * sigma, lo, hi))


def _above_belt(up: FloatArray) -> FloatArray:
    """Height above the landmark's belt level (its 15th percentile: feet are on the belt ~30-60 % of the time)."""
    if not np.isfinite(up).any():
        return up
    with quiet_nan_warnings():
        return up - np.nanpercentile(up, 15)


def speed_collapse(fwd: FloatArray, anchor: int, lookback: int, drop_frac: float) -> float | None:
    """Sub-frame position of initial contact: where the landing foot's forward speed relative to the pelvis
    has fallen to ``drop_frac`` of its late-swing peak.

    A swinging foot moves forward fast right up to touchdown, and the belt stops it within a frame; its
    forward-most point comes a little later, after the foot has rolled over the heel (about 35-40 ms on phone
    footage at 30 and 60 fps, measured against hand-labelled landings). The instant the speed has dropped by
    half is the middle of that braking edge, which a zero-phase low-pass blurs symmetrically and so leaves in
    place. ``fwd`` is the foot centre ahead of the pelvis (px, runner frame); the peak speed is searched in
    the ``lookback`` frames before the forward-most point near ``anchor``. None without a clear swing.
    """
    n = len(fwd)
    lo, hi = max(0, anchor - 3), min(n - 1, anchor + 3)
    seg = fwd[lo : hi + 1]
    if not np.isfinite(seg).any():
        return None
    top = lo + int(np.nanargmax(seg))
    speed = np.diff(fwd)  # speed[k] between frames k and k + 1 (px/frame)
    start = max(0, top - lookback)
    swing = speed[start:top]
    if swing.size < 2 or not np.isfinite(swing).all():
        return None
    k_peak = start + int(np.argmax(swing))
    peak = float(speed[k_peak])
    if peak <= 0:
        return None
    level = drop_frac * peak
    for k in range(k_peak + 1, min(len(speed), top + 2)):
        if not np.isfinite(speed[k]):
            return None
        if speed[k] <= level:
            a, b = float(speed[k - 1]), float(speed[k])
            return k - 0.5 + (a - level) / (a - b)  # speeds sit at half frames
    return None
