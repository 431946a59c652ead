"""Cue rules about posture: trunk lean and waist bend, the pelvis, hip extension, the upper body, left/right.

Each rule is a pure function of the metric summaries and the stride rows returning a :class:`Cue` or None
(:mod:`gait.coaching.rules` runs them all).
"""

from __future__ import annotations

from typing import Any

from gait.coaching.engine import (
    Rows,
    decide,
    key_frames,
    make_cue,
    margin,
    typical_range,
    value_of,
)
from gait.core.config import AnalysisConfig
from gait.core.types import Cue, MetricSummary, Severity
from gait.metrics.registry import REGISTRY


def rule_run_tall(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    lean = value_of(m, "trunk_lean_deg")
    fwd, back = decide(m, "trunk_lean_deg"), decide(m, "trunk_lean_deg", bad_high=False)
    if lean is None or fwd is None or back is None:
        return None
    if fwd > c.trunk_lean_watch_deg:
        sev: Severity = "flag" if fwd > c.trunk_lean_flag_deg else "watch"
        msg = (
            f"Your trunk leans {lean:.0f}° forward (typical {typical_range('trunk_lean_deg')}°): a strong lean loads "
            "the lower back. "
            "Stand tall from the hips up, as if a string pulls the top of your head."
        )
        frames = key_frames(rows, "trunk_lean_midstance_deg", "midstance_frame")
        thr = c.trunk_lean_flag_deg if sev == "flag" else c.trunk_lean_watch_deg
    elif back < c.trunk_lean_min_deg:
        sev, thr = "watch", c.trunk_lean_min_deg
        msg = (
            f"Your trunk leans {abs(lean):.0f}° backward: leaning back increases braking. Run tall with a "
            "slight forward lean from the ankles."
        )
        frames = key_frames(rows, "trunk_lean_midstance_deg", "midstance_frame", largest=False)
    else:
        return None
    return make_cue(
        "run_tall",
        "Run tall",
        sev,
        msg,
        frames,
        {"trunk_lean_deg": round(lean, 1), "threshold_deg": thr},
        m,
        ("trunk_lean_deg",),
        config=c,
    )


def rule_lean_from_ankles(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    bend, decided = value_of(m, "waist_bend_deg"), decide(m, "waist_bend_deg")
    if bend is None or decided is None or decided <= c.waist_bend_flag_deg:
        return None
    sev: Severity = "flag" if decided > 2 * c.waist_bend_flag_deg else "watch"
    msg = (
        f"You bend about {bend:.0f}° at the waist on top of your body lean: lean from the ankles as one "
        "straight line instead of folding at the hips."
    )
    return make_cue(
        "lean_from_ankles",
        "Lean from the ankles, not the waist",
        sev,
        msg,
        key_frames(rows, "waist_bend_deg", "midstance_frame"),
        {"waist_bend_deg": round(bend, 1), "threshold_deg": c.waist_bend_flag_deg},
        m,
        ("waist_bend_deg",),
        config=c,
    )


def rule_pelvis_level(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    drop = m.get("pelvic_drop_deg")
    if drop is None or drop.value is None:
        return None
    worst = max(v for v in (drop.value, drop.left, drop.right) if v is not None)
    se = margin(drop, per_side=True)  # a side's mean: the resolution or its standard error, towards level
    if worst - se < c.pelvic_drop_watch_deg:
        return None
    sev: Severity = "flag" if worst - se >= c.pelvic_drop_flag_deg else "watch"
    side = ""
    if (
        drop.left is not None
        and drop.right is not None
        and abs(drop.left - drop.right) > REGISTRY["pelvic_drop_deg"].resolution
    ):
        side = f" It is larger when standing on your {'left' if drop.left > drop.right else 'right'} leg."
    msg = (
        f"Your pelvis drops {worst:.0f}° on the swing-leg side at midstance (≈4° is typical): strong glutes keep "
        "it level and protect the lower back." + side
    )
    return make_cue(
        "pelvis_level",
        "Keep your pelvis level",
        sev,
        msg,
        key_frames(rows, "pelvic_drop_deg", "midstance_frame"),
        {
            "pelvic_drop_deg": round(drop.value, 1),
            "left_deg": None if drop.left is None else round(drop.left, 1),
            "right_deg": None if drop.right is None else round(drop.right, 1),
            "threshold_deg": c.pelvic_drop_flag_deg if sev == "flag" else c.pelvic_drop_watch_deg,
        },
        m,
        ("pelvic_drop_deg",),
        config=c,
    )


def rule_open_hips(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    ext, decided = value_of(m, "hip_extension_deg"), decide(m, "hip_extension_deg", bad_high=False)
    if ext is None or decided is None or decided >= c.hip_extension_watch_deg or activity == "walking":
        return None
    sev: Severity = "flag" if decided < c.hip_extension_flag_deg else "watch"
    msg = (
        f"Your thigh reaches only {ext:.0f}° behind your trunk at toe-off: tight hip flexors can tilt the pelvis "
        "forward and strain the lower back. (This is a visible proxy; the pelvis itself cannot be seen.)"
    )
    return make_cue(
        "open_hips",
        "Open up your hips",
        sev,
        msg,
        key_frames(rows, "hip_extension_deg", "toe_off_frame", largest=False),  # hip extension is read at toe-off
        {"hip_extension_deg_proxy": round(ext, 1), "threshold_deg": c.hip_extension_watch_deg},
        m,
        ("hip_extension_deg",),
        config=c,
    )


def rule_quiet_upper_body(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    rot = value_of(m, "torso_rotation_deg")
    rot_d = decide(m, "torso_rotation_deg")  # None while torso rotation is not validated (registry)
    cross = value_of(m, "arm_crossover_pct")
    reasons: list[str] = []
    numbers: dict[str, Any] = {}
    if rot is not None and rot_d is not None and rot_d > c.torso_rotation_watch_deg:
        res = REGISTRY["torso_rotation_deg"].resolution
        reasons.append(f"your shoulders twist about {rot:.0f}° against your hips each stride (±{res:g}°)")
        numbers.update(torso_rotation_deg=round(rot, 1), rotation_threshold_deg=c.torso_rotation_watch_deg)
    cross_s = m.get("arm_crossover_pct")
    if cross is not None and cross_s is not None and cross - margin(cross_s) >= c.arm_crossover_watch_pct:
        reasons.append(f"your hands cross the midline in {cross:.0f} % of strides")
        numbers.update(arm_crossover_pct=round(cross), crossover_threshold_pct=c.arm_crossover_watch_pct)
    if not reasons:
        return None
    msg = "In this clip " + " and ".join(reasons) + ": swing the arms front to back and let the core resist the twist."
    frame_metric = "arm_crossover_pct" if "arm_crossover_pct" in numbers else "torso_rotation_deg"
    used = tuple(n for n in ("torso_rotation_deg", "arm_crossover_pct") if n in numbers)
    return make_cue(
        "quiet_upper_body",
        "Quiet your upper body",
        "watch",
        msg,
        key_frames(rows, frame_metric, "midstance_frame"),
        numbers,
        m,
        used,
        config=c,
    )


def rule_even_sides(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    gct = m.get("ground_contact_time_ms")
    if gct is None or gct.asymmetry_pct is None or gct.asymmetry_pct <= c.asymmetry_flag_pct:
        return None
    if gct.left_right_diff is None or abs(gct.left_right_diff) <= margin(gct, per_side=True):
        return None  # a difference the camera (or the stride-to-stride spread) cannot tell from none
    longer = "left" if (gct.left or 0) > (gct.right or 0) else "right"
    msg = (
        f"Your {longer} foot stays on the ground {gct.asymmetry_pct:.0f} % longer than the other: a difference "
        f"above {c.asymmetry_flag_pct:g} % is worth watching, especially after an injury."
    )
    return make_cue(
        "even_sides",
        "Even out left and right",
        "watch",
        msg,
        (),
        {"ground_contact_asymmetry_pct": round(gct.asymmetry_pct, 1), "threshold_pct": c.asymmetry_flag_pct},
        m,
        ("ground_contact_time_ms",),
        config=c,
    )
