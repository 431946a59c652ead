"""A synthetic treadmill runner with known geometry and timing, for tests and benchmarks.

:func:`make_pose` builds a :class:`~gait.types.PoseSequence` of a stick-figure runner (segment lengths from
Winter's anthropometric ratios) whose cadence, contact time, overstride, foot strike, trunk lean, vertical
oscillation, pelvic drop and torso rotation are chosen, and returns the truth of every metric with it.

Runner frame: forward ``f`` and up ``u`` in centimetres, the hip midpoint at ``f = 0``. Each foot is a rigid
heel-ankle-toe triangle: on the belt during stance (moving back at belt speed, rolling heel → flat → toe), in the
air during swing (quintic horizontal path, a sine lift, landing with a downward speed). Knees come from two-link
inverse kinematics (knee forward). Image coordinates: ``x = x0 + s · f · px_per_cm`` with ``s = −1`` when
facing left, ``y = y0 − u · px_per_cm``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from gait import landmarks as L
from gait.types import FloatArray, PoseSequence

THIGH, SHANK, TRUNK = 0.245, 0.246, 0.288  # × height (Winter 2009)
HEAD = 0.10  # shoulder → nose, × height
FOOT = 0.13  # heel → toe landmark distance, × height
ANKLE_UP, ANKLE_FWD = 0.05, 0.2  # ankle above the heel (× height) and ahead of it (× foot)
HIP_W, SHOULDER_W = 0.18, 0.259  # × height (depth in side view, image width in rear view)
TOE_OFF_FOOT_DEG = -35.0  # heel up at toe-off


@dataclass(frozen=True)
class SyntheticRunner:
    """A synthetic pose with the exact values every metric should recover."""

    pose: PoseSequence
    truth: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)


def _smooth(s: FloatArray | float) -> FloatArray:
    """Quintic smoothstep 0→1 with zero first and second derivatives at both ends."""
    s = np.clip(s, 0.0, 1.0)
    return s * s * s * (10 - 15 * s + 6 * s * s)


def _rot(v: FloatArray, deg: FloatArray | float) -> FloatArray:
    """Rotate 2-vectors (…, 2) counter-clockwise (toes up for a forward-pointing foot) by ``deg``."""
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.stack([c * v[..., 0] - s * v[..., 1], s * v[..., 0] + c * v[..., 1]], axis=-1)


def _foot_points(heel: FloatArray, angle_deg: FloatArray, height_cm: float) -> tuple[FloatArray, FloatArray]:
    """Ankle and toe positions (…, 2) from the heel position and the foot angle."""
    lf = FOOT * height_cm
    ang = np.asarray(angle_deg, dtype=float)
    toe = heel + _rot(np.broadcast_to(np.array([lf, 0.0]), heel.shape), ang)
    ankle = heel + _rot(np.broadcast_to(np.array([ANKLE_FWD * lf, ANKLE_UP * height_cm]), heel.shape), ang)
    return ankle, toe


def _quintic(p0: float, v0: float, p1: float, v1: float, T: float, t: FloatArray) -> FloatArray:
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


def _belt_travel(t: FloatArray, v: float, u: float, brake_s: float) -> FloatArray:
    """How far (cm) the foot's contact point has moved back since touchdown ``t`` s ago: it lands still moving
    forward at ``u`` and the belt brings it to the belt speed ``v`` (backward) over ``brake_s``."""
    t = np.asarray(t, dtype=float)
    if brake_s <= 0:
        return v * t
    early = -u * t + (u + v) * t * t / (2 * brake_s)
    late = -u * brake_s + (u + v) * brake_s / 2 + v * (t - brake_s)
    return np.where(t < brake_s, early, late)


def _stance_heel(
    tau: FloatArray, tc: float, v: float, f_ic: float, strike_deg: float, h: float, u: float = 0.0, brake_s: float = 0.0
) -> tuple:
    """Heel position and foot angle during stance at fraction ``tau`` (0 = IC, 1 = TO); the contact point lands
    moving forward at ``u`` and is braked to the belt speed ``v`` over ``brake_s`` (:func:`_belt_travel`)."""
    lf = FOOT * h
    t = tau * tc
    back = _belt_travel(t, v, u, brake_s)
    roll_end, flat_end = 0.15, 0.7
    ang = np.where(
        tau < roll_end,
        strike_deg * (1 - _smooth(tau / roll_end)),
        np.where(tau < flat_end, 0.0, TOE_OFF_FOOT_DEG * _smooth((tau - flat_end) / (1 - flat_end))),
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


def make_pose(
    *,
    cadence_spm: float = 170.0,
    duration_s: float = 12.0,
    fps: float = 60.0,
    contact_time_ms: float = 250.0,
    belt_speed_kmh: float = 9.0,
    height_cm: float = 175.0,
    px_per_cm: float = 2.5,
    facing: Literal["left", "right"] = "left",
    view: Literal["side", "rear"] = "side",
    overstride_cm: float = 25.0,
    knee_flexion_at_contact_deg: float = 20.0,
    foot_strike_angle_deg: float = 10.0,
    trunk_lean_deg: float = 8.0,
    vertical_oscillation_cm: float = 8.0,
    pelvic_drop_deg: float = 0.0,
    torso_rotation_deg: float = 10.0,
    arm_crossover: bool = False,
    right_contact_time_scale: float = 1.0,
    swing_lift_cm: float = 18.0,
    landing_speed_belt_ratio: float = 1.0,
    brake_ms: float = 20.0,
    noise_px: float = 0.0,
    swap_intervals_s: tuple[tuple[float, float], ...] = (),
    missing_intervals_s: tuple[tuple[float, float], ...] = (),
    t0_s: float = 0.2,
    seed: int = 0,
    image_size: tuple[int, int] = (1280, 720),
) -> SyntheticRunner:
    """Build a synthetic runner and the truth of its metrics.

    Parameters
    ----------
    cadence_spm : steps per minute. contact_time_ms : left stance time (right × ``right_contact_time_scale``).
    belt_speed_kmh : treadmill speed: the stance foot moves back at this speed.
    height_cm, px_per_cm : body size and image scale.
    facing : image direction the runner faces (side view). view : ``side`` or ``rear`` camera.
    overstride_cm : heel ahead of the hip midpoint at initial contact.
    knee_flexion_at_contact_deg : knee bend at contact; with the overstride it fixes the hip height (the shank
        angle at contact follows from both and is reported in ``truth``).
    foot_strike_angle_deg : foot vs belt at contact (> 0 toes up: rearfoot; < 0: forefoot).
    trunk_lean_deg : hip → shoulder midpoint forward of vertical.
    vertical_oscillation_cm : peak-to-trough of the hip per step (lowest at midstance).
    pelvic_drop_deg : frontal tilt at midstance, swing side lower (rear view).
    torso_rotation_deg : per-stride range of the shoulder-line vs hip-line angle (world landmarks).
    arm_crossover : wrists cross the midline at the front of the arm swing (rear view).
    landing_speed_belt_ratio : forward speed of the landing foot relative to the hips at touchdown, × belt speed.
    brake_ms : time the belt takes to bring the landed foot to belt speed (0: at once).
    noise_px : Gaussian noise added to image landmarks. swap_intervals_s : leg labels exchanged there.
    missing_intervals_s : no pose detected there (NaN). t0_s : time of the first left contact.

    Returns
    -------
    SyntheticRunner
    """
    params = {k: v for k, v in locals().items() if k != "params"}
    H = height_cm
    n_frames = int(round(duration_s * fps))
    # The geometry is built on a fine time grid (≥ 600 Hz) and sampled at the frame rate, so that the truth at an
    # event instant between two frames is exact rather than interpolated across the landing.
    fine = max(1, math.ceil(600.0 / fps))
    n = n_frames * fine
    t = np.arange(n) / (fps * fine)
    step = 60.0 / cadence_spm
    stride = 2 * step
    v = belt_speed_kmh / 3.6 * 100.0  # cm/s
    # Phone footage of treadmill runners shows the landing foot still moving forward (relative to the hips) at
    # about 80 % of its peak swing speed in the frame before contact; the belt then brakes it to belt speed.
    u_land = landing_speed_belt_ratio * v
    brake_s = brake_ms / 1000.0
    tc = {"left": contact_time_ms / 1000.0, "right": contact_time_ms * right_contact_time_scale / 1000.0}
    thigh, shank = THIGH * H, SHANK * H
    leg = thigh + shank
    # Contact times per foot (left first), covering the clip with margin.
    first = {"left": t0_s, "right": t0_s + step}
    ics = {f: np.arange(first[f] - 2 * stride, duration_s + 2 * stride, stride) for f in ("left", "right")}

    # Hip height: lowest at midstance (between IC and TO of the stance foot), highest in flight.
    mids = np.sort(np.concatenate([ics[f] + tc[f] / 2 for f in ics]))
    phase = np.interp(t, mids, np.arange(len(mids)))  # steps since first midstance
    ankle_ic, _ = _foot_points(np.array([overstride_cm, 0.0]), np.array(foot_strike_angle_deg), H)
    # Hip height at contact: the hip-ankle distance of a knee bent by knee_flexion_at_contact_deg.
    reach = math.sqrt(thigh**2 + shank**2 + 2 * thigh * shank * math.cos(math.radians(knee_flexion_at_contact_deg)))
    if reach <= abs(ankle_ic[0]):
        raise ValueError(f"overstride {overstride_cm} cm cannot be reached with this knee flexion and height")
    hip_u_ic = ankle_ic[1] + math.sqrt(reach**2 - ankle_ic[0] ** 2)
    osc = -0.5 * vertical_oscillation_cm * np.cos(2 * np.pi * phase)  # −VO/2 at midstance, +VO/2 between
    ic_phase = -tc["left"] / 2 / step  # where IC sits in that cycle (≈ −0.36 steps before midstance)
    hip_u = hip_u_ic + osc - (-0.5 * vertical_oscillation_cm * math.cos(2 * np.pi * ic_phase))

    feet: dict[str, dict[str, FloatArray]] = {}
    for foot in ("left", "right"):
        heel = np.full((n, 2), np.nan)
        ang = np.full(n, np.nan)
        for k, ic in enumerate(ics[foot][:-1]):
            to = ic + tc[foot]
            nxt = ics[foot][k + 1]
            m = (t >= ic) & (t < to)
            if m.any():
                h_, a_ = _stance_heel(
                    (t[m] - ic) / tc[foot], tc[foot], v, overstride_cm, foot_strike_angle_deg, H, u_land, brake_s
                )
                heel[m], ang[m] = h_, a_
            m = (t >= to) & (t < nxt)
            if m.any():
                h_to, a_to = _stance_heel(
                    np.array([1.0]), tc[foot], v, overstride_cm, foot_strike_angle_deg, H, u_land, brake_s
                )
                tsw = nxt - to
                s = (t[m] - to) / tsw
                # Leaves the belt slowing down (the knee starts to flex) and reaches forward right up to touchdown.
                heel[m, 0] = _quintic(h_to[0, 0], -0.3 * v, overstride_cm, u_land, tsw, t[m] - to)
                heel[m, 1] = h_to[0, 1] * (1 - _smooth(s)) + swing_lift_cm * np.sin(np.pi * s)
                ang[m] = a_to[0] + (foot_strike_angle_deg - a_to[0]) * _smooth(s)
        ankle, toe = _foot_points(heel, ang, H)
        hip = np.stack([np.zeros(n), hip_u], axis=1)
        d = ankle - hip
        dist = np.linalg.norm(d, axis=1)
        # The landed foot settles a few millimetres forward while the belt brakes it: a straight knee takes that.
        if np.nanmax(dist) > thigh + shank + 1.0:
            raise ValueError(
                "synthetic geometry out of reach (the foot is further than the leg is long): lower the "
                "belt speed or contact time, or bend the knee more at contact"
            )
        dist = np.clip(dist, 1e-6, thigh + shank)
        # Knee: two-link IK, knee pointing forward.
        cos_a = (thigh**2 + dist**2 - shank**2) / (2 * thigh * dist)
        a = np.arccos(np.clip(cos_a, -1, 1))
        base = np.arctan2(d[:, 1], d[:, 0])
        knee = hip + thigh * np.stack([np.cos(base + a), np.sin(base + a)], axis=1)
        feet[foot] = {"heel": heel, "toe": toe, "ankle": ankle, "knee": knee, "hip": hip}

    lean = math.radians(trunk_lean_deg)
    hip_mid = np.stack([np.zeros(n), hip_u], axis=1)
    sh_mid = hip_mid + TRUNK * H * np.array([math.sin(lean), math.cos(lean)])
    head = sh_mid + HEAD * H * np.array([math.sin(lean) + 0.25, math.cos(lean)])
    arm_phase = 2 * np.pi * (t - t0_s) / stride
    rf = np.full((n, 33, 2), np.nan)  # runner frame (f, u), cm
    for foot, sign in (("left", 1.0), ("right", -1.0)):
        s = L.SIDE[foot]
        for j in ("heel", "toe", "ankle", "knee"):
            rf[:, s[j]] = feet[foot][j]
        rf[:, s["hip"]] = hip_mid
        rf[:, s["shoulder"]] = sh_mid
        swing = sign * 0.35 * np.cos(arm_phase)  # arms opposite to the legs
        elbow = sh_mid + 0.186 * H * np.stack([np.sin(swing), -np.cos(swing)], axis=1)
        wrist = elbow + 0.146 * H * np.stack([np.sin(swing + 1.4), -np.cos(swing + 1.4)], axis=1)
        rf[:, s["elbow"]], rf[:, s["wrist"]] = elbow, wrist
        for extra in ("pinky", "index", "thumb"):
            rf[:, L.INDEX[f"{foot}_{extra}"]] = wrist
    for i in range(11):
        rf[:, i] = head
    rf[:, L.NOSE] = head + np.array([0.06 * H, -0.01 * H])
    for ear in (L.LEFT_EAR, L.RIGHT_EAR):
        rf[:, ear] = head - np.array([0.02 * H, 0.0])

    # --- to image coordinates -----------------------------------------------------------------------------
    w, h = image_size
    x0, ground_y = w / 2, h * 0.9
    if view == "side":
        sgn = -1.0 if facing == "left" else 1.0
        xy = np.stack([x0 + sgn * rf[..., 0] * px_per_cm, ground_y - rf[..., 1] * px_per_cm], axis=-1)
        # The far side sits a few pixels off the near one.
        far = [b for _, b in L.LR_PAIRS] if facing == "left" else [a for a, _ in L.LR_PAIRS]
        xy[:, far, 0] += 3.0
    else:
        xy = _rear_view(rf, feet, t, ics, tc, H, px_per_cm, x0, ground_y, pelvic_drop_deg, arm_crossover, n)
    world = _world(rf, t, t0_s, stride, H, torso_rotation_deg, n)
    t_fine, t = t, t[::fine]
    xy, world, n = xy[::fine], world[::fine], n_frames
    vis = np.full((n, 33), 0.99)
    far_legs = [b for _, b in L.LEG_PAIRS] if facing == "left" else [a for a, _ in L.LEG_PAIRS]
    if view == "side":
        vis[:, far_legs] = 0.6
    rng = np.random.default_rng(seed)
    if noise_px:
        xy = xy + rng.normal(0.0, noise_px, xy.shape)
    for a_s, b_s in swap_intervals_s:
        m = (t >= a_s) & (t < b_s)
        for a, b in L.LEG_PAIRS:
            xy[m, a], xy[m, b] = xy[m, b].copy(), xy[m, a].copy()
    for a_s, b_s in missing_intervals_s:
        m = (t >= a_s) & (t < b_s)
        xy[m] = np.nan
        world[m] = np.nan
        vis[m] = np.nan
    pose = PoseSequence(
        times_s=t,
        frame_index=np.arange(n),
        image_xy_px=xy,
        world_xyz_m=world,
        visibility=vis,
        presence=vis.copy(),
        width=w,
        height=h,
        fps=fps,
        model="synthetic",
    )
    truth = _truth(
        feet,
        ics,
        tc,
        t_fine,
        duration_s,
        step,
        stride,
        v,
        H,
        overstride_cm,
        foot_strike_angle_deg,
        trunk_lean_deg,
        vertical_oscillation_cm,
        hip_u,
        hip_mid,
        sh_mid,
        leg,
        facing,
        view,
        pelvic_drop_deg,
        torso_rotation_deg,
        px_per_cm,
        cadence_spm,
    )
    return SyntheticRunner(pose=pose, truth=truth, params=params)


def _rear_view(
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


def _world(rf: FloatArray, t: FloatArray, t0: float, stride: float, H: float, rot_deg: float, n: int) -> FloatArray:
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


def _truth(
    feet: dict,
    ics: dict,
    tc: dict,
    t: FloatArray,
    duration_s: float,
    step: float,
    stride: float,
    v: float,
    H: float,
    overstride_cm: float,
    strike_deg: float,
    lean_deg: float,
    vo_cm: float,
    hip_u: FloatArray,
    hip_mid: FloatArray,
    sh_mid: FloatArray,
    leg: float,
    facing: str,
    view: str,
    drop_deg: float,
    rot_deg: float,
    px_per_cm: float,
    cadence: float,
) -> dict[str, Any]:
    """Exact values, computed from the noiseless geometry at the exact event instants."""
    contacts = {f: [float(x) for x in ics[f] if 0.0 <= x < duration_s] for f in ics}
    toe_offs = {f: [float(x + tc[f]) for x in ics[f] if 0.0 <= x + tc[f] < duration_s] for f in ics}
    _thigh, _shank = THIGH * H, SHANK * H

    def at(arr: FloatArray, time: float) -> FloatArray:
        return np.array([np.interp(time, t, arr[:, k]) for k in range(arr.shape[1])])

    def knee_flex(foot: str, time: float) -> float:
        hp, kn, an = at(feet[foot]["hip"], time), at(feet[foot]["knee"], time), at(feet[foot]["ankle"], time)
        u, w = hp - kn, an - kn
        return 180.0 - math.degrees(math.acos(np.clip(np.dot(u, w) / np.linalg.norm(u) / np.linalg.norm(w), -1, 1)))

    ic_l = [x for x in contacts["left"] if x > 0.5 and x < duration_s - 0.5]
    kf_ic = float(np.mean([knee_flex("left", x) for x in ic_l]))
    shank_ic = []
    mid_flex = []
    hip_ext = []
    for x in ic_l:
        kn, an = at(feet["left"]["knee"], x), at(feet["left"]["ankle"], x)
        shank_ic.append(math.degrees(math.atan2(an[0] - kn[0], kn[1] - an[1])))
        # Peak knee flexion in stance (around midstance).
        ts = np.linspace(x, x + tc["left"], 200)
        mid_flex.append(max(knee_flex("left", float(tt)) for tt in ts))
        to = x + tc["left"]
        hp, kn2, sh = at(hip_mid, to), at(feet["left"]["knee"], to), at(sh_mid, to)
        u, w = hp - sh, kn2 - hp
        hip_ext.append(-math.degrees(math.atan2(u[0] * w[1] - u[1] * w[0], float(np.dot(u, w)))))
    return {
        "contacts": contacts,
        "toe_offs": toe_offs,
        "cadence_spm": cadence,
        "step_time_s": step,
        "stride_time_s": stride,
        "ground_contact_time_ms": 1000 * (tc["left"] + tc["right"]) / 2,
        "ground_contact_time_ms_left": 1000 * tc["left"],
        "ground_contact_time_ms_right": 1000 * tc["right"],
        "flight_time_ms": 1000 * (step - (tc["left"] + tc["right"]) / 2),
        "duty_factor": (tc["left"] + tc["right"]) / 2 / stride,
        "overstride_cm": overstride_cm,
        "overstride_leg_pct": 100 * overstride_cm / leg,
        "leg_length_cm": leg,
        "shank_angle_at_contact_deg": float(np.mean(shank_ic)),
        "foot_strike_angle_deg": strike_deg,
        "knee_flexion_at_contact_deg": kf_ic,
        "knee_flexion_midstance_deg": float(np.mean(mid_flex)),
        "vertical_oscillation_cm": vo_cm,
        "vertical_oscillation_leg_pct": 100 * vo_cm / leg,
        "trunk_lean_deg": lean_deg,
        "hip_extension_deg": float(np.mean(hip_ext)),
        "step_length_m": v / 100 * step,
        "pelvic_drop_deg": drop_deg,
        "torso_rotation_deg": rot_deg,
        "activity": "running" if (tc["left"] + tc["right"]) / 2 < step else "walking",
        "facing": facing,
        "view": view,
        "px_per_cm": px_per_cm,
        "height_cm": H,
        "landing_values_at": lambda foot, time: _landing_values(feet, t, foot, time),
    }


def _landing_values(feet: dict, t: FloatArray, foot: str, time: float) -> dict[str, float]:
    """Exact shank angle, knee flexion and overstride of ``foot`` at ``time`` (s), from the fine-grid geometry:
    what a contact detected at that instant should report."""

    def at(arr: FloatArray) -> FloatArray:
        return np.array([np.interp(time, t, arr[:, k]) for k in range(arr.shape[1])])

    hp, kn, an, he = (at(feet[foot][j]) for j in ("hip", "knee", "ankle", "heel"))
    u, w = hp - kn, an - kn
    cos = float(np.clip(np.dot(u, w) / np.linalg.norm(u) / np.linalg.norm(w), -1, 1))
    return {
        "shank_angle_at_contact_deg": math.degrees(math.atan2(an[0] - kn[0], kn[1] - an[1])),
        "knee_flexion_at_contact_deg": 180.0 - math.degrees(math.acos(cos)),
        "overstride_cm": float(he[0] - hp[0]),
    }
