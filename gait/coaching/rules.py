"""The feedback engine: rules over metric summaries → Cues a runner understands.

Each cue carries the numbers that triggered it against its threshold, the frames that show it best, the
evidence behind the threshold, and 1-3 drills. Unreliable data (too few strides, poor visibility, unknown
capture rate) lowers a cue's severity and says why; a metric that could not be measured never triggers a cue.
The tool screens and coaches; it does not diagnose.
"""

from __future__ import annotations

from typing import Any

from gait.coaching.engine import (
    SEVERITY_ORDER,
    Rows,
    Rule,
    decide,
    key_frames,
    make_cue,
    margin,
    typical_range,
    value_of,
)
from gait.coaching.words import DRILLS, EVIDENCE, GRADUAL_LOAD, RED_FLAGS, evidence
from gait.core.config import AnalysisConfig
from gait.core.types import Cue, MetricSummary, Severity
from gait.metrics.registry import REGISTRY, zone, zone_clear_of_noise


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


def _overstriding(m: dict[str, MetricSummary], c: AnalysisConfig) -> tuple[Severity | None, dict[str, Any]]:
    shank = value_of(m, "shank_angle_at_contact_deg")
    over = value_of(m, "overstride_leg_pct")
    knee = value_of(m, "knee_flexion_at_contact_deg")
    numbers: dict[str, Any] = {}
    if shank is None:
        return None, numbers
    numbers["shank_angle_at_contact_deg"] = round(shank, 1)
    numbers["shank_threshold_deg"] = c.shank_angle_watch_deg
    if over is not None:
        numbers["overstride_leg_pct"] = round(over, 1)
    if value_of(m, "overstride_cm") is not None:
        numbers["overstride_cm"] = round(value_of(m, "overstride_cm") or 0.0, 1)
    if knee is not None:
        numbers["knee_flexion_at_contact_deg"] = round(knee, 1)
    shank_d = decide(m, "shank_angle_at_contact_deg")
    if shank_d is None:
        return None, numbers
    sev: Severity
    if shank_d >= c.shank_angle_flag_deg:
        sev = "flag"
    elif shank_d >= c.shank_angle_watch_deg or (
        (over_d := decide(m, "overstride_leg_pct")) is not None
        and over_d >= c.overstride_watch_leg_pct
        and (knee_d := decide(m, "knee_flexion_at_contact_deg", bad_high=False)) is not None
        and knee_d < c.straight_knee_at_contact_deg
    ):
        sev = "watch"
    else:
        return None, numbers
    return sev, numbers


def rule_land_under_hips(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    if activity != "running":
        return None
    sev, numbers = _overstriding(m, c)
    if sev is None:
        return None
    where = (
        f"{numbers['overstride_cm']:.0f} cm"
        if "overstride_cm" in numbers
        else f"{numbers.get('overstride_leg_pct', 0):.0f} % of your leg length"
    )
    msg = (
        f"Your foot lands {where} ahead of your hips with the shin tilted {numbers['shank_angle_at_contact_deg']:.0f}° "
        "forward: that brakes every step. Aim to land with the shin near vertical, under your hips."
    )
    return make_cue(
        "land_under_hips",
        "Shorten your stride - land under your hips",
        sev,
        msg,
        key_frames(rows, "shank_angle_at_contact_deg", "contact_frame"),
        numbers,
        m,
        ("shank_angle_at_contact_deg", "overstride_leg_pct"),
        _landing_drills(m, c),
        config=c,
    )


def _landing_drills(m: dict[str, MetricSummary], c: AnalysisConfig) -> tuple[str, ...]:
    """The landing drills; the metronome one only for a runner whose cadence is below the typical range."""
    cad = value_of(m, "cadence_spm")
    if cad is not None and cad >= c.cadence_low_spm:
        kept = tuple(d for d in DRILLS["land_under_hips"] if "cadence" not in d)
        return (*kept, "Land softly: run a minute as quietly as you can, feet touching down under you")
    return DRILLS["land_under_hips"]


def rule_increase_cadence(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    if activity != "running":
        return None
    cad = value_of(m, "cadence_spm")
    sev, _ = _overstriding(m, c)
    cad_s = m.get("cadence_spm")
    if cad is None or cad_s is None or sev is None or cad + margin(cad_s) >= c.cadence_low_spm:
        return None
    lo, hi = (cad * (1 + p / 100) for p in c.cadence_raise_pct)
    msg = (
        f"Your cadence is {cad:.0f} steps/min and you overstride: try {lo:.0f}-{hi:.0f} steps/min "
        f"(+{c.cadence_raise_pct[0]:.0f}-{c.cadence_raise_pct[1]:.0f} % of your own), with a metronome, "
        "building up gradually."
    )
    return make_cue(
        "increase_cadence",
        f"Increase your cadence {c.cadence_raise_pct[0]:.0f}-{c.cadence_raise_pct[1]:.0f} %",
        "watch",
        msg,
        key_frames(rows, "shank_angle_at_contact_deg", "contact_frame"),
        {"cadence_spm": round(cad, 1), "target_spm": [round(lo), round(hi)], "threshold_spm": c.cadence_low_spm},
        m,
        ("cadence_spm",),
        config=c,
    )


def _lands_ahead(m: dict[str, MetricSummary]) -> str:
    """The overstride as the heel-strike note says it: "Your foot lands 23 % of your leg length ahead of your hips"."""
    return f" Your foot lands {value_of(m, 'overstride_leg_pct') or 0.0:.0f} % of your leg length ahead of your hips"


def _ahead_but_no_cue(m: dict[str, MetricSummary], numbers: dict[str, Any], c: AnalysisConfig) -> str:
    """Why a heel strike with the foot landing past the overstride watch line drew no stride cue, in the words the
    numbers support: the knee is credited only when it is clearly bent (its resolution is wide), the shin is called
    near vertical only when it is clearly below its watch line."""
    ahead = _lands_ahead(m)
    if "shank_angle_at_contact_deg" not in numbers:  # no shin angle: nothing to weigh the overstride against
        return f"{ahead}; the strike itself is common and not a fault."
    shank = numbers["shank_angle_at_contact_deg"]
    shank_d = decide(m, "shank_angle_at_contact_deg", bad_high=False)  # towards steep: clearly below the line?
    if shank_d is not None and shank_d < c.shank_angle_watch_deg:
        shin = f"the shin near vertical ({shank:.0f}°)"
    else:
        shin = (
            f"the shin at {shank:.0f}°, not clearly past the {c.shank_angle_watch_deg:g}° where braking starts to count"
        )
    knee_d = decide(m, "knee_flexion_at_contact_deg")  # towards straight: the knee must be clearly bent
    if knee_d is not None and knee_d >= c.straight_knee_at_contact_deg:
        knee = numbers["knee_flexion_at_contact_deg"]
        return (
            f"{ahead}, but with the knee bent ({knee:.0f}°) and {shin}, which cushions it: the strike itself is fine."
        )
    return f"{ahead}, but with {shin}: the heel strike itself is fine."


def rule_heel_strike(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    fs = m.get("foot_strike_angle_deg")
    if activity != "running" or fs is None or fs.value is None or fs.extra.get("pattern") != "rearfoot":
        return None
    sev, numbers = _overstriding(m, c)
    over_d = decide(m, "overstride_leg_pct")
    if sev:
        tail = (
            " Together with landing ahead of your hips it adds braking: work on landing under your hips, not on "
            "the strike itself."
        )
    elif over_d is not None and over_d >= c.overstride_watch_leg_pct:
        tail = _ahead_but_no_cue(m, numbers, c)
    elif over_d is None:
        tail = " Most runners land heel first; on its own it is fine."
    elif (decide(m, "overstride_leg_pct", bad_high=False) or 0.0) >= c.overstride_watch_leg_pct:
        tail = (  # within the noise of the watch line, on either side: neither "close under you" nor "too far"
            f"{_lands_ahead(m)}, close to the {c.overstride_watch_leg_pct:g} % where we start to watch it; on its own "
            "the heel strike is fine."
        )
    else:
        tail = " With your foot landing close under you, this is fine."
    return make_cue(
        "heel_strike",
        "Heel strike: fine on its own",
        "info",
        f"You land heel first ({fs.value:.0f}°)." + tail,
        key_frames(rows, "foot_strike_angle_deg", "contact_frame"),
        {"foot_strike_angle_deg": round(fs.value, 1), "pattern": "rearfoot"},
        m,
        ("foot_strike_angle_deg",),
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


RULES: tuple[Rule, ...] = (
    rule_run_tall,
    rule_lean_from_ankles,
    rule_land_under_hips,
    rule_increase_cadence,
    rule_heel_strike,
    rule_pelvis_level,
    rule_open_hips,
    rule_quiet_upper_body,
    rule_even_sides,
)


def _good_form_message(metrics: dict[str, MetricSummary], config: AnalysisConfig) -> str:
    """The praise, saying which numbers sit on a screening line within what the video resolves (the table marks
    them borderline): praise must not read as if they were clearly inside."""
    borderline: list[str] = []
    for n in REGISTRY:
        v = value_of(metrics, n)
        label = REGISTRY[n].label.split(" (")[0].lower()  # "Overstride (% leg length)" and "Overstride": once
        if zone(n, v, config) in ("watch", "flag") and zone_clear_of_noise(n, v, config) not in ("watch", "flag"):
            borderline += [label] if label not in borderline else []
    tail = "Keep building mileage gradually and keep up strength work."
    if not borderline:
        return f"Nothing stands out: your measured form is inside the screening ranges. {tail}"
    names = ", ".join(borderline[:-1]) + (" and " if len(borderline) > 1 else "") + borderline[-1]
    return (
        f"Nothing stands out clearly: your {names} {'sit' if len(borderline) > 1 else 'sits'} on a screening line, "
        f"closer to it than this video can resolve, and the rest is inside the screening ranges. {tail}"
    )


def generate_cues(
    metrics: dict[str, MetricSummary], rows: Rows, config: AnalysisConfig, activity: str
) -> tuple[Cue, ...]:
    """All cues for one analysis, most severe first; a positive cue when nothing needs work.

    Parameters
    ----------
    metrics : summaries by metric name.
    rows : per-stride rows (for the frames that show each cue).
    config : thresholds.
    activity : ``running``/``walking``/``unknown``; running-only cues are given to runners only.
    """
    if activity == "walking":
        return ()  # the screening thresholds are for running; the report says the running cues do not apply
    # A number of poor quality (the footage cannot support it: pose found in few frames, a landing shorter than a
    # frame, ...) is shown with its reason but drives no cue, and no praise either: the rules see it as missing.
    usable = {n: s for n, s in metrics.items() if s.quality != "poor"}
    cues = [c for rule in RULES if (c := rule(usable, rows, config, activity)) is not None]
    core = (
        ("trunk_lean_deg", "shank_angle_at_contact_deg")
        if "trunk_lean_deg" in metrics and value_of(metrics, "trunk_lean_deg") is not None
        else ("pelvic_drop_deg",)
    )
    measured_core = all(value_of(usable, n) is not None for n in core)  # praise needs the core numbers usable
    # Praise only when nothing fired at all (a cue lowered to "info" for thin data still means "look again") and
    # no number reads watch or flag clear of its noise (the metric table would say otherwise).
    flagged = [n for n in REGISTRY if zone_clear_of_noise(n, value_of(metrics, n), config) in ("watch", "flag")]
    if not any(c.id != "heel_strike" for c in cues) and measured_core and not flagged:
        measured = [
            n
            for n in ("cadence_spm", "trunk_lean_deg", "shank_angle_at_contact_deg", "pelvic_drop_deg")
            if value_of(metrics, n) is not None
        ]
        cues.append(
            Cue(
                id="good_form",
                title="Good form",
                severity="good",
                message=_good_form_message(metrics, config),
                evidence=evidence("good_form", config),
                drills=DRILLS["good_form"],
                numbers={n: round(value_of(metrics, n) or 0.0, 1) for n in measured},
            )
        )
    cues.sort(key=lambda c: -SEVERITY_ORDER.index(c.severity))
    return tuple(cues)


__all__ = [
    "DRILLS",
    "EVIDENCE",
    "GRADUAL_LOAD",
    "RED_FLAGS",
    "RULES",
    "evidence",
    "generate_cues",
    "key_frames",
    "margin",
]
