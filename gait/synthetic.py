"""A synthetic treadmill runner (or walker) with known geometry and timing, for tests and benchmarks.

:func:`make_pose` builds a :class:`~gait.types.PoseSequence` of a 3-D stick figure whose cadence, contact time,
overstride, shank and foot angles at contact, trunk lean, vertical oscillation, pelvic drop and torso rotation are
chosen, and returns the exact value of every metric with it (``truth``), computed from the noiseless geometry at
the exact event instants.

Body frame, centimetres: ``f`` forward, ``u`` up from the belt, ``l`` to the runner's left; the hip midpoint stays
at ``f = l = 0``. Segment lengths are Winter's (2009) ratios × height. Each foot is a rigid heel-ankle-toe triangle:
in stance it is on the belt moving back at belt speed (rolling heel → flat, then heel rise about the toe); in swing
it follows a smooth path (quintic forward, lifted, landing moving back at belt speed). Each leg lies in the
vertical plane of its hip joint; the knee comes from two-link inverse kinematics (knee forward). The pelvis yaws
and tilts, the shoulders counter-yaw. An orthographic camera looks from the side (``facing`` left or right) or
from behind; world landmarks follow MediaPipe (metres, origin at the hip midpoint, x image-right, y down, z depth).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from gait import landmarks as L
from gait.types import FloatArray, PoseSequence

THIGH, SHANK, TRUNK = 0.245, 0.246, 0.288  # × height (Winter 2009)
UPPER_ARM, FOREARM, HAND = 0.186, 0.146, 0.108  # × height (Winter 2009)
FOOT = 0.152  # heel → toe landmark, × height
ANKLE_UP, ANKLE_FWD = 0.045, 0.2  # ankle above the sole (× height) and ahead of the heel (× foot)
HIP_W, SHOULDER_W = 0.18, 0.259  # hip-joint and shoulder widths, × height
EAR_UP = 0.10  # shoulder midpoint → ears, × height
FLAT_FRAC, HEEL_RISE_FRAC = 0.15, 0.6  # foot flat from / heel rise from, fraction of stance
TOE_OFF_FOOT_MIN_DEG = 35.0  # heel lift at toe-off (more when needed to keep the knee flexed ≥ KNEE_MIN_TO_DEG)
KNEE_MIN_TO_DEG = 10.0
PELVIS_SHARE = 0.4  # share of the shoulder-hip rotation taken by the pelvis
ARM_SWING_DEG, ELBOW_DEG = 30.0, 80.0
TOE_OFF_SPEED = 0.3  # the foot leaves the belt at this fraction of belt speed (the knee starts to flex)
SIDES = ("left", "right")
#: Head landmarks from the ears' midpoint: (name, forward, up, lateral) × height.
FACE = (
    ("{}_ear", 0.0, 0.0, 0.043),
    ("{}_eye_inner", 0.05, 0.012, 0.011),
    ("{}_eye", 0.048, 0.012, 0.018),
    ("{}_eye_outer", 0.044, 0.012, 0.026),
    ("mouth_{}", 0.052, -0.035, 0.014),
)
SIGN = {"left": 1.0, "right": -1.0}  # lateral side sign (+l is the runner's left)

#: Inputs for a typical treadmill walker (double support; hip highest at midstance): ``make_pose(**WALKING)``.
WALKING: dict[str, Any] = dict(
    activity="walking",
    cadence_spm=110.0,
    contact_time_ms=640.0,
    belt_speed_kmh=4.5,
    overstride_cm=25.0,
    shank_angle_at_contact_deg=12.0,
    foot_strike_angle_deg=20.0,
    trunk_lean_deg=2.0,
    vertical_oscillation_cm=4.0,
    torso_rotation_deg=8.0,
    swing_lift_cm=8.0,
)


@dataclass(frozen=True)
class SyntheticRunner:
    """A synthetic pose, the exact values every metric should recover, and the inputs that built it."""

    pose: PoseSequence
    truth: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)


def _smooth(s: FloatArray) -> FloatArray:
    """Quintic smoothstep 0→1 with zero first and second derivatives at both ends."""
    s = np.clip(s, 0.0, 1.0)
    return s * s * s * (10 - 15 * s + 6 * s * s)


@dataclass(frozen=True)
class _Model:
    """The runner as functions of time (any array of instants, not only frames)."""

    H: float
    v: float  # belt speed, cm/s
    step: float
    tc: dict[str, float]
    t_ic0: dict[str, float]  # a left / right initial contact instant
    os: float
    strike: float  # deg
    alpha: float  # heel lift at toe-off, deg
    lift: float
    vo: float
    walking: bool
    lean: float
    rot: float
    drop: float
    crossover: bool
    u0: float = 0.0  # hip-midpoint height offset (solved so the contact geometry holds)
    tau_mid: tuple[tuple[str, float], ...] = ()  # IC → midstance, s
    tilt: tuple[tuple[str, float], ...] = ()  # frontal tilt amplitude per stance side, rad

    @property
    def stride(self) -> float:
        return 2.0 * self.step

    @property
    def lf(self) -> float:
        return FOOT * self.H

    def stance(self, tau: FloatArray, tc: float) -> tuple[FloatArray, FloatArray]:
        """Heel (…, 2) (f, u) and foot angle (deg) at ``tau`` s after contact."""
        t1, t2 = FLAT_FRAC * tc, HEEL_RISE_FRAC * tc
        strike, lf = self.strike, self.lf
        phi = np.where(tau < t1, strike * (1 - _smooth(tau / t1)), -self.alpha * _smooth((tau - t2) / (tc - t2)))
        toe_pivot = (tau >= t2) | ((tau < t1) & (strike < 0))
        base = self.os + (lf * (math.cos(math.radians(strike)) - 1.0) if strike < 0 else 0.0)
        r = np.radians(phi)
        heel_f = base - self.v * tau + np.where(toe_pivot, lf * (1 - np.cos(r)), 0.0)
        heel_u = np.where(toe_pivot, -lf * np.sin(r), 0.0)
        return np.stack([heel_f, heel_u], axis=-1), phi

    def ankle_toe(self, heel: FloatArray, phi: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Ankle and toe (…, 2) from the heel and the foot angle (deg, toes up > 0)."""
        r = np.radians(phi)
        c, s = np.cos(r), np.sin(r)
        af, au = ANKLE_FWD * self.lf, ANKLE_UP * self.H
        ankle = heel + np.stack([c * af - s * au, s * af + c * au], axis=-1)
        return ankle, heel + self.lf * np.stack([c, s], axis=-1)

    def foot(self, side: str, t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Heel (n, 2), foot angle (n,) and time since this foot's contact (n,)."""
        tc, stride = self.tc[side], self.stride
        tau = np.mod(t - self.t_ic0[side], stride)
        heel, phi = self.stance(np.minimum(tau, tc), tc)  # at tau ≥ tc: the toe-off pose
        to_heel, to_phi = heel.copy(), phi.copy()
        sw = tau >= tc
        tsw = stride - tc
        s = (tau - tc) / tsw
        s3, s4, s5 = s**3, s**4, s**5
        ic_u = -self.lf * math.sin(math.radians(min(self.strike, 0.0)))
        f = (
            to_heel[:, 0] * (1 - 10 * s3 + 15 * s4 - 6 * s5)
            - TOE_OFF_SPEED * self.v * tsw * (s - 6 * s3 + 8 * s4 - 3 * s5)
            + self.os * (10 * s3 - 15 * s4 + 6 * s5)
            - self.v * tsw * (-4 * s3 + 7 * s4 - 3 * s5)
        )
        u = to_heel[:, 1] + (ic_u - to_heel[:, 1]) * _smooth(s) + self.lift * np.sin(np.pi * np.clip(s, 0, 1))
        heel = np.where(sw[:, None], np.stack([f, u], axis=1), heel)
        phi = np.where(sw, to_phi + (self.strike - to_phi) * _smooth(s), phi)
        return heel, phi, tau

    def midstances(self, t_lo: float, t_hi: float) -> tuple[FloatArray, FloatArray]:
        """Midstance instants covering [t_lo, t_hi] and their side (+1 left, −1 right)."""
        tm = dict(self.tau_mid)
        out, sides = [], []
        for side in SIDES:
            k0 = math.floor((t_lo - self.t_ic0[side]) / self.stride) - 2
            k1 = math.ceil((t_hi - self.t_ic0[side]) / self.stride) + 2
            m = self.t_ic0[side] + tm[side] + self.stride * np.arange(k0, k1 + 1)
            out.append(m)
            sides.append(np.full(m.size, SIGN[side]))
        order = np.argsort(np.concatenate(out))
        return np.concatenate(out)[order], np.concatenate(sides)[order]

    def hip_u(self, t: FloatArray) -> FloatArray:
        """Hip-midpoint height: lowest at midstance when running (highest when walking), peak-to-trough ``vo``."""
        mids, _ = self.midstances(float(np.min(t)), float(np.max(t)))
        phase = np.interp(t, mids, np.arange(mids.size))
        return self.u0 + (0.5 if self.walking else -0.5) * self.vo * np.cos(2 * np.pi * phase)

    def pelvis(self, t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Pelvis yaw (left hip forward > 0), pelvis tilt (left hip up > 0) and shoulder yaw, radians."""
        ph = 2 * np.pi * (t - self.t_ic0["left"]) / self.stride
        a = math.radians(self.rot) / 2 * np.cos(ph)
        tilt = np.zeros_like(t)
        tm, amp = dict(self.tau_mid), dict(self.tilt)
        for side in SIDES:
            tau = np.mod(t - self.t_ic0[side], self.stride)
            tc, m = self.tc[side], tm[side]
            bump = np.where(tau < m, _smooth(tau / m), 1 - _smooth((tau - m) / (tc - m)))
            tilt += SIGN[side] * amp.get(side, 0.0) * np.where(tau < tc, bump, 0.0)
        return PELVIS_SHARE * a, tilt, -(1 - PELVIS_SHARE) * a

    def hip_joint(self, side: str, t: FloatArray) -> FloatArray:
        """(n, 3) hip joint (f, u, l)."""
        yaw, tilt, _ = self.pelvis(t)
        w = SIGN[side] * HIP_W * self.H / 2
        return np.stack(
            [w * np.cos(tilt) * np.sin(yaw), self.hip_u(t) + w * np.sin(tilt), w * np.cos(tilt) * np.cos(yaw)], 1
        )

    def points(self, t: FloatArray) -> FloatArray:
        """(n, 33, 3) every landmark (f, u, l) in cm at instants ``t``."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        n, H = t.size, self.H
        p = np.zeros((n, 33, 3))
        hip_mid = np.stack([np.zeros(n), self.hip_u(t), np.zeros(n)], 1)
        lean = math.radians(self.lean)
        sh_mid = hip_mid + TRUNK * H * np.array([math.sin(lean), math.cos(lean), 0.0])
        _, _, sh_yaw = self.pelvis(t)
        ph = 2 * np.pi * (t - self.t_ic0["left"]) / self.stride
        for side in SIDES:
            s, sg = L.SIDE[side], SIGN[side]
            hip = self.hip_joint(side, t)
            heel, phi, _ = self.foot(side, t)
            ankle, toe = self.ankle_toe(heel, phi)
            d = ankle - hip[:, :2]
            dist = np.linalg.norm(d, axis=1)
            th, sk = THIGH * H, SHANK * H
            a = np.arccos(np.clip((th**2 + dist**2 - sk**2) / (2 * th * dist), -1, 1))
            base = np.arctan2(d[:, 1], d[:, 0])
            knee = hip[:, :2] + th * np.stack([np.cos(base + a), np.sin(base + a)], 1)
            for j, q in (("heel", heel), ("toe", toe), ("ankle", ankle), ("knee", knee)):
                p[:, s[j], :2], p[:, s[j], 2] = q, hip[:, 2]
            p[:, s["hip"]] = hip
            w = sg * SHOULDER_W * H / 2
            sh = sh_mid + w * np.stack([np.sin(sh_yaw), np.zeros(n), np.cos(sh_yaw)], 1)
            p[:, s["shoulder"]] = sh
            # Arms swing opposite to the legs: the left arm is back at the left contact.
            swing = np.radians(ARM_SWING_DEG) * -sg * np.cos(ph)
            front = (1 - sg * np.cos(ph)) / 2  # 1 at the front of this arm's swing
            med_u, med_f = np.radians([20.0, 45.0] if self.crossover else [5.0, 15.0])[:, None] * front**2
            elbow = sh + UPPER_ARM * H * np.stack(
                [np.sin(swing) * np.cos(med_u), -np.cos(swing) * np.cos(med_u), -sg * np.sin(med_u)], 1
            )
            e = swing + np.radians(ELBOW_DEG)
            fdir = np.stack([np.sin(e) * np.cos(med_f), -np.cos(e) * np.cos(med_f), -sg * np.sin(med_f)], 1)
            wrist = elbow + FOREARM * H * fdir
            p[:, s["elbow"]], p[:, s["wrist"]] = elbow, wrist
            for name, k in (("index", 0.55), ("pinky", 0.45), ("thumb", 0.3)):
                p[:, L.INDEX[f"{side}_{name}"]] = wrist + k * HAND * H * fdir
            ears = sh_mid + np.array([0.0, EAR_UP * H, 0.0])  # the head stays upright and faces forward
            for name, df, du, dl in FACE:
                p[:, L.INDEX[name.format(side)]] = ears + H * np.array([df, du, sg * dl])
        p[:, L.NOSE] = p[:, L.LEFT_EAR] * [1, 1, 0] + [0.06 * H, -0.01 * H, 0.0]
        return p


def _angle_deg(u: FloatArray, w: FloatArray) -> FloatArray:
    """Signed angle from 2-vectors ``u`` to ``w`` (…, 2), degrees, counter-clockwise > 0."""
    cross = u[..., 0] * w[..., 1] - u[..., 1] * w[..., 0]
    return np.degrees(np.arctan2(cross, np.sum(u * w, axis=-1)))


def _first_root(fun: Any, lo: float, hi: float, n: int = 2001) -> float | None:
    """First downward zero crossing of ``fun`` (vectorised) on [lo, hi], bisected to machine precision."""
    x = np.linspace(lo, hi, n)
    y = fun(x)
    k = np.flatnonzero((y[:-1] >= 0) & (y[1:] < 0))
    if k.size == 0:
        return None
    a, b = x[k[0]], x[k[0] + 1]
    for _ in range(60):
        m = 0.5 * (a + b)
        a, b = (m, b) if fun(np.array([m]))[0] >= 0 else (a, m)
    return 0.5 * (a + b)


def _knee_flexion_deg(p: FloatArray, side: str) -> FloatArray:
    """180° − hip-knee-ankle angle (sagittal), degrees, from body points (n, 33, 3)."""
    s = L.SIDE[side]
    u = p[:, s["hip"], :2] - p[:, s["knee"], :2]
    w = p[:, s["ankle"], :2] - p[:, s["knee"], :2]
    return 180.0 - np.abs(_angle_deg(u, w))


def _solve(m: _Model, shank_deg: float, knee_ic_deg: float | None) -> _Model:
    """Midstance instants, pelvic tilt amplitudes and the hip height that make the contact geometry hold."""
    tau_mid = []
    for side in SIDES:
        tc = m.tc[side]
        tm = _first_root(lambda x, tc=tc: m.ankle_toe(*m.stance(x, tc))[0][..., 0], 0.0, tc)
        if tm is None or not 0.0 < tm < tc:
            raise ValueError("the stance ankle never passes under the hip: raise the overstride or the belt speed")
        tau_mid.append((side, tm))
    m = replace(m, tau_mid=tuple(tau_mid), u0=0.0)
    # Pelvic tilt amplitude: the hip line seen in the frontal plane makes exactly ``drop`` at midstance.
    tilt = []
    for side, tm in tau_mid:
        yaw, _, _ = m.pelvis(np.array([m.t_ic0[side] + tm]))
        tilt.append((side, math.atan(math.tan(math.radians(m.drop)) * math.cos(yaw[0]))))
    m = replace(m, tilt=tuple(tilt))
    # Hip height from the left contact: shank angle (or knee flexion) and overstride fix the hip joint.
    t_ic = np.array([m.t_ic0["left"]])
    heel, phi, _ = m.foot("left", t_ic)
    ankle = m.ankle_toe(heel, phi)[0][0]
    hip = m.hip_joint("left", t_ic)[0]
    th, sk = THIGH * m.H, SHANK * m.H
    if knee_ic_deg is None:
        sr = math.radians(shank_deg)
        anchor, reach = ankle + sk * np.array([-math.sin(sr), math.cos(sr)]), th
    else:
        anchor, reach = ankle, math.sqrt(th**2 + sk**2 + 2 * th * sk * math.cos(math.radians(knee_ic_deg)))
    dx = hip[0] - anchor[0]
    if abs(dx) >= reach:
        raise ValueError(f"overstride {m.os} cm cannot be reached with this contact angle and height")
    return replace(m, u0=anchor[1] + math.sqrt(reach**2 - dx**2) - hip[1])


def _reach_margin(m: _Model, t: FloatArray) -> FloatArray:
    """Leg length minus the hip-joint → ankle distance, both legs (2, n); negative = out of reach."""
    out = []
    for side in SIDES:
        heel, phi, _ = m.foot(side, t)
        out.append(
            (THIGH + SHANK) * m.H - np.linalg.norm(m.ankle_toe(heel, phi)[0] - m.hip_joint(side, t)[:, :2], axis=1)
        )
    return np.array(out)


def make_pose(
    *,
    cadence_spm: float = 170.0,
    duration_s: float = 12.0,
    fps: float = 60.0,
    contact_time_ms: float = 250.0,
    belt_speed_kmh: float = 10.0,
    height_cm: float = 175.0,
    px_per_cm: float = 4.0,
    facing: Literal["left", "right"] = "left",
    view: Literal["side", "rear"] = "side",
    overstride_cm: float = 20.0,
    shank_angle_at_contact_deg: float = 6.0,
    foot_strike_angle_deg: float = 10.0,
    trunk_lean_deg: float = 8.0,
    vertical_oscillation_cm: float = 8.0,
    pelvic_drop_deg: float = 0.0,
    torso_rotation_deg: float = 10.0,
    arm_crossover: bool = False,
    right_contact_time_scale: float = 1.0,
    noise_px: float = 0.0,
    swap_intervals_s: tuple[tuple[float, float], ...] = (),
    missing_intervals_s: tuple[tuple[float, float], ...] = (),
    t0_phase: float = 0.0,
    seed: int = 0,
    image_size: tuple[int, int] = (1280, 720),
    activity: Literal["running", "walking"] | None = None,
    knee_flexion_at_contact_deg: float | None = None,
    toe_off_foot_angle_deg: float | None = None,
    swing_lift_cm: float = 18.0,
    far_side_offset_px: float = 3.0,
) -> SyntheticRunner:
    """Build a synthetic treadmill runner (or walker) and the exact truth of its metrics.

    Parameters
    ----------
    cadence_spm : steps per minute; steps alternate left, right.
    duration_s, fps : clip length and frame rate (any rate, e.g. 29.97); ``times_s = arange(n) / fps``.
    contact_time_ms : left stance time; the right one is × ``right_contact_time_scale``.
    belt_speed_kmh : the stance foot moves back at this speed.
    height_cm, px_per_cm : body size (Winter's segment ratios) and image scale.
    facing : image direction the runner faces in side view. view : ``"side"`` or ``"rear"`` camera.
    overstride_cm : heel ahead of the hip midpoint at initial contact.
    shank_angle_at_contact_deg : knee → ankle vs vertical at contact (ankle ahead > 0); with the overstride it
        fixes the hip height, from which knee angles follow (reported in ``truth``).
    foot_strike_angle_deg : heel → toe vs belt at contact (toes up > 0; < 0 lands on the toes).
    trunk_lean_deg : hip midpoint → shoulder midpoint forward of vertical.
    vertical_oscillation_cm : hip-midpoint peak-to-trough per step (running: lowest at midstance).
    pelvic_drop_deg : frontal-plane hip-line tilt at midstance, swing side lower > 0.
    torso_rotation_deg : per-stride range of the shoulder-line vs hip-line angle (transverse plane).
    arm_crossover : the wrists cross the body midline at the front of the arm swing.
    noise_px : SD of Gaussian noise on image coordinates (``seed``). swap_intervals_s : ``[a, b)`` intervals where
        the leg landmarks (knee, ankle, heel, toe) swap sides. missing_intervals_s : intervals with no pose (NaN).
    t0_phase : fraction of a stride elapsed since a left contact at t = 0 (0: left contact at t = 0).
    image_size : (width, height) px; the figure is centred.
    activity : ``"running"`` (flight) or ``"walking"`` (double support, hip highest at midstance); None: from the
        timing. :data:`WALKING` holds typical walking inputs.
    knee_flexion_at_contact_deg : if given, sets the leg at contact instead of the shank angle (then derived).
    toe_off_foot_angle_deg : heel lift at toe-off; None: 35°, more if the knee would straighten past 10°.
    swing_lift_cm : heel lift in swing above the contact path. far_side_offset_px : the far side of the body is
        drawn this much higher in side view (so left and right landmarks do not coincide).

    Returns
    -------
    SyntheticRunner
        ``pose``, ``truth`` (event times, metric values, derived geometry) and ``params``.

    Raises
    ------
    ValueError
        On inconsistent inputs or a geometry the legs cannot reach.
    """
    params = dict(locals())
    tc = {"left": contact_time_ms / 1000.0, "right": contact_time_ms * right_contact_time_scale / 1000.0}
    step = 60.0 / cadence_spm
    if facing not in ("left", "right") or view not in ("side", "rear"):
        raise ValueError(f"facing must be left/right and view side/rear, got {facing!r}, {view!r}")
    if not (fps > 0 and duration_s > 0 and min(tc.values()) > 0 and max(tc.values()) < 2 * step):
        raise ValueError("need fps, duration and contact times > 0, and each contact shorter than a stride")
    flight = {step - x > 0 for x in tc.values()}
    if len(flight) > 1 or step in (tc["left"], tc["right"]):
        raise ValueError("one side has a flight phase and the other double support: change the contact times")
    derived = "running" if flight == {True} else "walking"
    if activity not in (None, derived):
        raise ValueError(f"activity={activity!r} but contact {contact_time_ms} ms vs step {1000 * step:.0f} ms")
    t_ic0 = -t0_phase * 2 * step
    model = _Model(
        H=height_cm,
        v=belt_speed_kmh / 3.6 * 100.0,
        step=step,
        tc=tc,
        t_ic0={"left": t_ic0, "right": t_ic0 + step},
        os=overstride_cm,
        strike=foot_strike_angle_deg,
        alpha=TOE_OFF_FOOT_MIN_DEG if toe_off_foot_angle_deg is None else toe_off_foot_angle_deg,
        lift=swing_lift_cm,
        vo=vertical_oscillation_cm,
        walking=derived == "walking",
        lean=trunk_lean_deg,
        rot=torso_rotation_deg,
        drop=pelvic_drop_deg,
        crossover=arm_crossover,
    )
    model = _solve(model, shank_angle_at_contact_deg, knee_flexion_at_contact_deg)
    if toe_off_foot_angle_deg is None:  # lift the heel further while the toe-off knee would be straighter than 10°
        th, sk = THIGH * height_cm, SHANK * height_cm
        target = (th + sk) - math.sqrt(th**2 + sk**2 + 2 * th * sk * math.cos(math.radians(KNEE_MIN_TO_DEG)))
        t_to = np.array([model.t_ic0["left"] + tc["left"]])

        def slack(alpha: FloatArray) -> FloatArray:
            return np.array([_reach_margin(replace(model, alpha=float(a)), t_to)[0, 0] - target for a in alpha])

        if slack(np.array([TOE_OFF_FOOT_MIN_DEG]))[0] < 0:
            alpha = _first_root(lambda a: -slack(a), TOE_OFF_FOOT_MIN_DEG, 85.0, n=50)
            if alpha is None:
                raise ValueError("toe-off out of reach: lower the belt speed or contact time, or raise the overstride")
            model = _solve(replace(model, alpha=alpha + 1e-9), shank_angle_at_contact_deg, knee_flexion_at_contact_deg)
    n = int(round(duration_s * fps))
    t = np.arange(n) / fps
    dense = model.t_ic0["left"] + np.linspace(0.0, model.stride, 4001)
    if min(_reach_margin(model, dense).min(), _reach_margin(model, t).min() if n else 0.0) < -1e-9:
        raise ValueError(
            "the foot gets further from the hip than the leg is long: lower the belt speed, contact time or "
            "vertical oscillation, or raise the shank angle"
        )
    body = model.points(t)
    # --- camera: body (f, u, l) → camera (x right, y down, z depth), orthographic --------------------------
    up = np.array([0.0, -1.0, 0.0])
    fwd = np.array([0.0, 0.0, 1.0]) if view == "rear" else np.array([1.0 if facing == "right" else -1.0, 0.0, 0.0])
    axes = np.stack([fwd, up, np.cross(up, fwd)])
    cam = body @ axes
    world = (cam - cam[:, L.LEFT_HIP : L.RIGHT_HIP + 1].mean(axis=1, keepdims=True)) / 100.0
    w, h = image_size
    top_cm = float(np.max(body[..., 1])) if n else 0.0
    x0, ground_y = w / 2.0, (h + top_cm * px_per_cm) / 2.0
    xy = np.stack([x0 + px_per_cm * cam[..., 0], ground_y + px_per_cm * cam[..., 1]], axis=-1)
    vis = np.full((n, 33), 0.99)
    near_left = view == "side" and facing == "left"
    far = [b if near_left else a for a, b in L.LR_PAIRS]
    far_legs = [b if near_left else a for a, b in L.LEG_PAIRS]
    if view == "side":
        xy[:, far, 1] -= far_side_offset_px
        vis[:, far] = 0.85
        vis[:, far_legs] = 0.6
    else:
        vis[:, : L.LEFT_EAR] = vis[:, L.RIGHT_EAR + 1 : L.LEFT_SHOULDER] = 0.1  # face hidden from behind
    presence = vis.copy()
    rng = np.random.default_rng(seed)
    if noise_px:
        xy = xy + rng.normal(0.0, noise_px, xy.shape)
    for a_s, b_s in swap_intervals_s:
        m = (t >= a_s) & (t < b_s)
        for a, b in L.LEG_PAIRS:
            for arr in (xy, world, vis, presence):
                arr[m, a], arr[m, b] = arr[m, b].copy(), arr[m, a].copy()
    for a_s, b_s in missing_intervals_s:
        m = (t >= a_s) & (t < b_s)
        for arr in (xy, world, vis, presence):
            arr[m] = np.nan
    pose = PoseSequence(
        times_s=t,
        frame_index=np.arange(n),
        image_xy_px=xy,
        world_xyz_m=world,
        visibility=vis,
        presence=presence,
        width=int(w),
        height=int(h),
        fps=float(fps),
        model="synthetic",
    )
    truth = _truth(model, t, derived)
    truth.update(facing=facing, view=view, px_per_cm=px_per_cm, hip_x_px=x0, belt_y_px=ground_y)
    return SyntheticRunner(pose=pose, truth=truth, params=params)


def _truth(m: _Model, t: FloatArray, activity: str) -> dict[str, Any]:
    """Exact values from the noiseless geometry at the exact event instants."""
    t_end = float(t[-1]) if t.size else 0.0
    stride, H, leg = m.stride, m.H, (THIGH + SHANK) * m.H
    tm = dict(m.tau_mid)
    ev: dict[str, dict[str, list[float]]] = {"contacts": {}, "toe_offs": {}, "midstances": {}}
    per: dict[str, dict[str, float]] = {}
    for side in SIDES:
        k = np.arange(math.floor(-m.t_ic0[side] / stride) - 1, math.ceil((t_end - m.t_ic0[side]) / stride) + 2)
        ics = m.t_ic0[side] + k * stride
        for key, times in (("contacts", ics), ("toe_offs", ics + m.tc[side]), ("midstances", ics + tm[side])):
            ev[key][side] = [float(x) for x in times if 0.0 <= x <= t_end + 1e-12]
        ic, mid, to = (np.array([m.t_ic0[side] + d]) for d in (0.0, tm[side], m.tc[side]))
        p_ic, p_mid, p_to = m.points(ic)[0], m.points(mid), m.points(to)[0]
        s = L.SIDE[side]
        hip_mid_to = p_to[[L.LEFT_HIP, L.RIGHT_HIP], :2].mean(0)
        sh_mid_to = p_to[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER], :2].mean(0)
        other = L.SIDE["right" if side == "left" else "left"]["hip"]
        hs, ho = p_mid[0, s["hip"]], p_mid[0, other]
        stance_dense = m.t_ic0[side] + np.linspace(0.0, m.tc[side], 4001)
        per[side] = {
            "ground_contact_time_ms": 1000 * m.tc[side],
            "overstride_cm": float(p_ic[s["heel"], 0]),
            "shank_angle_at_contact_deg": float(
                _angle_deg(np.array([0.0, -1.0]), p_ic[s["ankle"], :2] - p_ic[s["knee"], :2])
            ),
            "foot_strike_angle_deg": float(_angle_deg(np.array([1.0, 0.0]), p_ic[s["toe"], :2] - p_ic[s["heel"], :2])),
            "knee_flexion_at_contact_deg": float(_knee_flexion_deg(p_ic[None], side)[0]),
            "knee_flexion_midstance_deg": float(_knee_flexion_deg(p_mid, side)[0]),
            "knee_flexion_peak_stance_deg": float(_knee_flexion_deg(m.points(stance_dense), side).max()),
            "hip_extension_deg": float(-_angle_deg(hip_mid_to - sh_mid_to, p_to[s["knee"], :2] - hip_mid_to)),
            "pelvic_drop_deg": math.degrees(math.atan2(hs[1] - ho[1], abs(hs[2] - ho[2]))),
            "hip_height_at_contact_cm": float(p_ic[s["hip"], 1]),
        }
    mids, _ = m.midstances(0.0, stride)
    hip = m.hip_u(np.concatenate([mids, 0.5 * (mids[1:] + mids[:-1])]))
    yaw_p, _, yaw_s = m.pelvis(m.t_ic0["left"] + np.array([0.0, m.step]))
    rel = np.degrees(yaw_s - yaw_p)
    truth: dict[str, Any] = {
        **ev,
        "activity": activity,
        "cadence_spm": 60.0 / m.step,
        "step_time_s": m.step,
        "stride_time_s": stride,
        "flight_time_ms": 1000 * m.step
        - 0.5 * (per["left"]["ground_contact_time_ms"] + per["right"]["ground_contact_time_ms"]),
        "duty_factor": 0.5 * (m.tc["left"] + m.tc["right"]) / stride,
        "vertical_oscillation_cm": float(hip.max() - hip.min()),
        "vertical_oscillation_leg_pct": 100 * float(hip.max() - hip.min()) / leg,
        "trunk_lean_deg": m.lean,
        "step_length_m": m.v / 100 * m.step,
        "leg_length_cm": leg,
        "height_cm": H,
        "torso_rotation_deg": float(abs(rel[0] - rel[1])),
        "toe_off_foot_angle_deg": -m.alpha,
        "belt_speed_m_s": m.v / 100,
    }
    for key in per["left"]:
        truth[key] = 0.5 * (per["left"][key] + per["right"][key])
        truth[f"{key}_left"], truth[f"{key}_right"] = per["left"][key], per["right"][key]
    truth["overstride_leg_pct"] = 100 * truth["overstride_cm"] / leg
    return truth
