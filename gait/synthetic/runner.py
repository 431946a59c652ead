"""A synthetic treadmill runner with known geometry and timing, for tests and benchmarks.

:func:`make_pose` builds a :class:`~gait.core.types.PoseSequence` of a stick-figure runner (segment lengths from
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

from gait.core import landmarks as L
from gait.core.types import FloatArray, PoseSequence
from gait.synthetic.geometry import (
    HEAD,
    SHANK,
    THIGH,
    TRUNK,
    foot_points,
    quintic,
    rear_view,
    smooth,
    stance_heel,
    world_landmarks,
)


@dataclass(frozen=True)
class SyntheticRunner:
    """A synthetic pose with the exact values every metric should recover."""

    pose: PoseSequence
    truth: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)


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
    ankle_ic, _ = foot_points(np.array([overstride_cm, 0.0]), np.array(foot_strike_angle_deg), H)
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
                h_, a_ = stance_heel(
                    (t[m] - ic) / tc[foot], tc[foot], v, overstride_cm, foot_strike_angle_deg, H, u_land, brake_s
                )
                heel[m], ang[m] = h_, a_
            m = (t >= to) & (t < nxt)
            if m.any():
                h_to, a_to = stance_heel(
                    np.array([1.0]), tc[foot], v, overstride_cm, foot_strike_angle_deg, H, u_land, brake_s
                )
                tsw = nxt - to
                s = (t[m] - to) / tsw
                # Leaves the belt slowing down (the knee starts to flex) and reaches forward right up to touchdown.
                heel[m, 0] = quintic(h_to[0, 0], -0.3 * v, overstride_cm, u_land, tsw, t[m] - to)
                heel[m, 1] = h_to[0, 1] * (1 - smooth(s)) + swing_lift_cm * np.sin(np.pi * s)
                ang[m] = a_to[0] + (foot_strike_angle_deg - a_to[0]) * smooth(s)
        ankle, toe = foot_points(heel, ang, H)
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
        xy = rear_view(rf, feet, t, ics, tc, H, px_per_cm, x0, ground_y, pelvic_drop_deg, arm_crossover, n)
    world = world_landmarks(rf, t, t0_s, stride, H, torso_rotation_deg, n)
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
