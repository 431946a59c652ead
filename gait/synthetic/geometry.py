"""Geometry of the synthetic runner (:mod:`gait.synthetic.runner`): body proportions, the foot on the belt and in the
air, the rear-view projection and the world landmarks. Runner frame: forward ``f`` and up ``u`` in cm."""

from __future__ import annotations

import math

import numpy as np

from gait.core import landmarks as L
from gait.core.posedata import FloatArray

THIGH, SHANK, TRUNK = 0.245, 0.246, 0.288  # × height (Winter 2009)
HEAD = 0.10  # shoulder → nose, × height
FOOT = 0.13  # heel → toe landmark distance, × height
ANKLE_UP, ANKLE_FWD = 0.05, 0.2  # ankle above the heel (× height) and ahead of it (× foot)
HIP_W, SHOULDER_W = 0.18, 0.259  # × height (depth in side view, image width in rear view)
TOE_OFF_FOOT_DEG = -35.0  # heel up at toe-off


def smooth(s: FloatArray | float) -> FloatArray:
    """Quintic smoothstep 0→1 with zero first and second derivatives at both ends."""
    s = np.clip(s, 0.0, 1.0)
    return s * s * s * (10 - 15 * s + 6 * s * s)


def rot(v: FloatArray, deg: FloatArray | float) -> FloatArray:
    """Rotate 2-vectors (…, 2) counter-clockwise (toes up for a forward-pointing foot) by ``deg``."""
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.stack([c * v[..., 0] - s * v[..., 1], s * v[..., 0] + c * v[..., 1]], axis=-1)


def foot_points(heel: FloatArray, angle_deg: FloatArray, height_cm: float) -> tuple[FloatArray, FloatArray]:
    """Ankle and toe positions (…, 2) from the heel position and the foot angle."""
    lf = FOOT * height_cm
    ang = np.asarray(angle_deg, dtype=float)
    toe = heel + rot(np.broadcast_to(np.array([lf, 0.0]), heel.shape), ang)
    ankle = heel + rot(np.broadcast_to(np.array([ANKLE_FWD * lf, ANKLE_UP * height_cm]), heel.shape), ang)
    return ankle, toe


def quintic(p0: float, v0: float, p1: float, v1: float, T: float, t: FloatArray) -> FloatArray:
    """Quintic path from (p0, v0) to (p1, v1) over T with zero end accelerations."""
    # Solve for coefficients of p(t) = sum a_k t^k with p, p', p'' fixed at both ends.
    A = np.array(
        [
            [1, 0, 0, 0, 0, 0],
            [0, 1, 0, 0, 0, 0],
            [0, 0, 2, 0, 0, 0],
            [1, T, T**2, T**3, T**4, T**5],
            [0, 1, 2 * T, 3 * T**2, 4 * T**3, 5 * T**4],
            [0, 0, 2, 6 * T, 12 * T**2, 20 * T**3],
        ],
        dtype=float,
    )
    a = np.linalg.solve(A, np.array([p0, v0, 0.0, p1, v1, 0.0]))
    return sum(a[k] * t**k for k in range(6))


def belt_travel(t: FloatArray, v: float, u: float, brake_s: float) -> FloatArray:
    """How far (cm) the foot's contact point has moved back since touchdown ``t`` s ago: it lands still moving
    forward at ``u`` and the belt brings it to the belt speed ``v`` (backward) over ``brake_s``."""
    t = np.asarray(t, dtype=float)
    if brake_s <= 0:
        return v * t
    early = -u * t + (u + v) * t * t / (2 * brake_s)
    late = -u * brake_s + (u + v) * brake_s / 2 + v * (t - brake_s)
    return np.where(t < brake_s, early, late)


def stance_heel(
    tau: FloatArray, tc: float, v: float, f_ic: float, strike_deg: float, h: float, u: float = 0.0, brake_s: float = 0.0
) -> tuple:
    """Heel position and foot angle during stance at fraction ``tau`` (0 = IC, 1 = TO); the contact point lands
    moving forward at ``u`` and is braked to the belt speed ``v`` over ``brake_s`` (:func:`_belt_travel`)."""
    lf = FOOT * h
    t = tau * tc
    back = belt_travel(t, v, u, brake_s)
    roll_end, flat_end = 0.15, 0.7
    ang = np.where(
        tau < roll_end,
        strike_deg * (1 - smooth(tau / roll_end)),
        np.where(tau < flat_end, 0.0, TOE_OFF_FOOT_DEG * smooth((tau - flat_end) / (1 - flat_end))),
    )
    # The point on the belt moves back at v. Early: heel (rearfoot) or toe (forefoot) is that point; late: the toe.
    heel = np.zeros((*tau.shape, 2))
    if strike_deg >= 0:
        early_heel_f = f_ic - back
    else:  # forefoot: the toe lands first; heel position follows from the toe and the angle
        toe_ic_f = f_ic + lf * math.cos(math.radians(strike_deg))
        toe_f = toe_ic_f - back
        early_heel_f = toe_f - lf * np.cos(np.radians(ang))
    early_heel_u = np.where(strike_deg >= 0, 0.0, -lf * np.sin(np.radians(ang)))
    # Late stance (heel rising about the toe): the toe is on the belt.
    toe_f_late = (f_ic + (lf if strike_deg >= 0 else lf * math.cos(math.radians(strike_deg)))) - back
    late = tau >= flat_end
    heel[..., 0] = np.where(late, toe_f_late - lf * np.cos(np.radians(ang)), early_heel_f)
    heel[..., 1] = np.where(late, -lf * np.sin(np.radians(ang)), early_heel_u)
    return heel, ang


def rear_view(
    rf: FloatArray,
    feet: dict,
    t: FloatArray,
    ics: dict,
    tc: dict,
    H: float,
    px_per_cm: float,
    x0: float,
    ground_y: float,
    drop_deg: float,
    crossover: bool,
    n: int,
) -> FloatArray:
    """Image coordinates from behind: x is the runner's left-right (left on image left), y the height."""
    xy = np.full((n, 33, 2), np.nan)
    half_hip, half_sh = HIP_W * H / 2, SHOULDER_W * H / 2
    # Stance side per frame and midstance fraction, for the pelvic tilt (largest at midstance).
    tilt = np.zeros(n)
    for foot, sgn in (("left", 1.0), ("right", -1.0)):
        for ic in ics[foot]:
            m = (t >= ic) & (t < ic + tc[foot])
            tilt[m] = sgn * np.sin(np.pi * (t[m] - ic) / tc[foot])  # +1 left stance midstance
    drop = np.radians(drop_deg) * tilt  # left stance → right hip lower
    hip_u = rf[:, L.LEFT_HIP, 1]
    lx, rx = -half_hip, half_hip
    xy[:, L.LEFT_HIP, 0], xy[:, L.RIGHT_HIP, 0] = x0 + lx * px_per_cm, x0 + rx * px_per_cm
    xy[:, L.LEFT_HIP, 1] = ground_y - (hip_u + half_hip * np.sin(drop)) * px_per_cm
    xy[:, L.RIGHT_HIP, 1] = ground_y - (hip_u - half_hip * np.sin(drop)) * px_per_cm
    sh_u = rf[:, L.LEFT_SHOULDER, 1]
    for foot, sx in (("left", -1.0), ("right", 1.0)):
        s = L.SIDE[foot]
        hip_xy = xy[:, s["hip"]]
        xy[:, s["shoulder"]] = np.stack([np.full(n, x0 + sx * half_sh * px_per_cm), ground_y - sh_u * px_per_cm], 1)
        for j in ("knee", "ankle", "heel", "toe"):
            up = feet[foot][j][:, 1]
            xy[:, s[j]] = np.stack([hip_xy[:, 0], ground_y - up * px_per_cm], 1)
        # The arm swings forward while its own leg is behind; then the hand moves towards the midline: past it
        # (by 30 % of the half shoulder width) with crossover, halfway to it without.
        fwd = (feet[foot]["heel"][:, 0] < 0).astype(float)
        wx = x0 + sx * half_sh * px_per_cm * (1 - fwd * (1.3 if crossover else 0.5))
        xy[:, s["elbow"]] = np.stack(
            [np.full(n, x0 + sx * half_sh * 1.1 * px_per_cm), ground_y - (sh_u - 0.186 * H) * px_per_cm], 1
        )
        xy[:, s["wrist"]] = np.stack([wx, ground_y - (sh_u - 0.25 * H) * px_per_cm], 1)
        for extra in ("pinky", "index", "thumb"):
            xy[:, L.INDEX[f"{foot}_{extra}"]] = xy[:, s["wrist"]]
    head = np.stack([np.full(n, x0), ground_y - (sh_u + HEAD * H) * px_per_cm], 1)
    for i in range(11):
        xy[:, i] = head
    xy[:, L.LEFT_EAR, 0] -= 0.04 * H * px_per_cm
    xy[:, L.RIGHT_EAR, 0] += 0.04 * H * px_per_cm
    return xy


def world_landmarks(
    rf: FloatArray, t: FloatArray, t0: float, stride: float, H: float, rot_deg: float, n: int
) -> FloatArray:
    """MediaPipe-style world landmarks (m; x = forward in side view, y down, z depth), origin at the hips.

    The shoulder and hip lines counter-rotate in the transverse plane so the per-stride range of the angle
    between them equals ``rot_deg``.
    """
    world = np.zeros((n, 33, 3))
    hip_mid = rf[:, L.LEFT_HIP]
    world[..., 0] = (rf[..., 0] - hip_mid[:, None, 0]) / 100.0
    world[..., 1] = -(rf[..., 1] - hip_mid[:, None, 1]) / 100.0
    a = np.radians(rot_deg / 2) * np.sin(2 * np.pi * (t - t0) / stride)  # ± rot/4 each line → range rot
    for (li, ri), half, sgn in (
        ((L.LEFT_SHOULDER, L.RIGHT_SHOULDER), SHOULDER_W * H / 200, 0.5),
        ((L.LEFT_HIP, L.RIGHT_HIP), HIP_W * H / 200, -0.5),
    ):
        ang = sgn * a
        # Line left→right along +z (depth) rotated by ang towards +x.
        for idx, side in ((li, -1.0), (ri, 1.0)):
            world[:, idx, 0] += side * half * np.sin(ang)
            world[:, idx, 2] = side * half * np.cos(ang)
    return world
