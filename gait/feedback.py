"""The feedback engine: rules over metric summaries → Cues a runner understands.

Each cue carries the numbers that triggered it against its threshold, the frames that show it best, the
evidence behind the threshold, and 1-3 drills. Unreliable data (too few strides, poor visibility, unknown
capture rate) lowers a cue's severity and says why; a metric that could not be measured never triggers a cue.
The tool screens and coaches; it does not diagnose.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gait.config import AnalysisConfig
from gait.metrics.registry import REGISTRY
from gait.types import Cue, MetricSummary, Severity

Rows = list[dict[str, Any]]

RED_FLAGS = (
    "See a clinician (doctor or physiotherapist) if you have numbness, tingling or pain down the leg, sharp or "
    "worsening pain, or back pain that does not improve after 1-2 weeks of rest and self-care. This analysis "
    "screens running form; it does not diagnose."
)
GRADUAL_LOAD = (
    "Change one thing at a time and build up gradually: increase weekly running by no more than about 10 % a "
    "week, and give a form change 4-6 weeks of short practice blocks."
)

EVIDENCE = {
    "run_tall": "Forward trunk lean changes loading of the back and hips; ≈5-10° is typical (Teng & Powers 2014, "
    "JOSPT 44:785). Threshold approx.",
    "lean_from_ankles": "Leaning from the waist rather than the ankles shifts load to the lower back (the article: "
    "'avoid leaning forward from the waist'). Threshold approx.",
    "land_under_hips": "Landing with the foot far ahead of the hips raises braking forces (Lieberman et al. 2015, "
    "J Exp Biol 218:3406); a near-vertical shin at contact is the coaching target (Souza 2016, PM&R Clin N Am "
    "27:217). Thresholds approx.",
    "increase_cadence": "Raising step rate {cadence_raise_pct} % shortens the stride and reduces hip and knee loading "
    "(Heiderscheit et al. 2011, MSSE 43:296). Relative to your own cadence, not a universal 180.",
    "pelvis_level": "Contralateral pelvic drop ≈4° in uninjured vs ≈7-8° in injured runners (Bramah et al. 2018, "
    "AJSM 46:3023). Thresholds approx.",
    "open_hips": "Little hip extension at toe-off is a visible proxy for tight hip flexors / anterior pelvic tilt "
    "(the model cannot see the pelvis itself). Threshold approx., to calibrate.",
    "quiet_upper_body": "Excess torso rotation and arms crossing the midline add twisting load on the lower back. "
    "No firm norm; torso rotation from one camera is uncertain by about ±{torso_rotation_resolution_deg}°.",
    "heel_strike": "Heel striking alone is not a fault: the evidence on strike pattern and injury is mixed. It "
    "matters together with overstriding (Altman & Davis 2012, Gait Posture 35:298).",
    "even_sides": "A left/right symmetry index above {asymmetry_flag_pct} % is worth a look (METRICS.md).",
    "good_form": "All measured values are inside their screening ranges.",
}

DRILLS = {
    "run_tall": (
        "Front and side planks, 3 × 30-45 s",
        "Dead bugs, 3 × 10 per side",
        "Bird dogs, 3 × 10 per side; cue: 'a string pulls the crown of your head up'",
    ),
    "lean_from_ankles": (
        "Wall lean drill: lean as one straight line from the ankles, then run off",
        "Hip hinge with a dowel along the spine, 2 × 10",
        "Front planks, 3 × 30-45 s",
    ),
    "land_under_hips": (
        "Metronome runs at +5 % cadence, 3 × 2 min",
        "Quick-feet drill: short, light steps",
        "Wall-drive or A-skip, landing under the hips",
    ),
    "increase_cadence": (
        "Metronome app set 5 % above your cadence for 1-2 min blocks",
        "Raise it to 10 % over several weeks if it feels natural",
    ),
    "pelvis_level": (
        "Glute bridges (single-leg when easy), 3 × 12",
        "Clamshells with a band, 3 × 15 per side",
        "Side planks, 3 × 30 s per side",
    ),
    "open_hips": (
        "Kneeling hip-flexor (lunge) stretch, 2 × 45 s per side after runs",
        "Couch stretch, 2 × 45 s",
        "Glute bridges to teach hip extension, 3 × 12",
    ),
    "quiet_upper_body": (
        "Arm swing drill: elbows at 90°, hands brush the hips front to back",
        "Pallof press (anti-rotation), 3 × 10 per side",
        "Thoracic rotation stretch on a foam roller",
    ),
    "heel_strike": ("No change needed for the strike itself; work on landing under the hips",),
    "even_sides": ("Single-leg drills on the weaker side (hops, step-ups), 3 × 10",),
    "good_form": ("Keep it up: keep core and glute work in your routine twice a week",),
}

SEVERITY_ORDER: tuple[Severity, ...] = ("good", "info", "watch", "flag")


def evidence(cid: str, c: AnalysisConfig) -> str:
    """The evidence line of cue ``cid`` with the thresholds of ``c`` filled in (:data:`EVIDENCE` holds
    ``{placeholders}`` rather than restating the numbers)."""
    lo, hi = c.cadence_raise_pct
    return EVIDENCE[cid].format(
        cadence_raise_pct=f"{lo:g}-{hi:g}",
        asymmetry_flag_pct=f"{c.asymmetry_flag_pct:g}",
        torso_rotation_resolution_deg=f"{REGISTRY['torso_rotation_deg'].resolution:g}",
    )


def _val(metrics: dict[str, MetricSummary], name: str) -> float | None:
    m = metrics.get(name)
    return m.value if m is not None and m.value is not None and math.isfinite(m.value) else None


def margin(s: MetricSummary, per_side: bool = False) -> float:
    """How far a value must pass its threshold before a cue may use it: the larger of the camera's measurement
    resolution for the metric (:mod:`gait.metrics.registry`) and one standard error of the mean (of one
    side's mean when ``per_side``), so a number inside the noise never raises or flips a cue."""
    spec = REGISTRY.get(s.name)
    resolution = spec.resolution if spec is not None else 0.0
    n = s.n / 2 if per_side else s.n
    se = (s.sd or 0.0) / math.sqrt(max(n, 1.0)) if s.n > 1 else 0.0
    return max(resolution, se)


def _decide(m: dict[str, MetricSummary], name: str, bad_high: bool = True) -> float | None:
    """The value a rule compares with its threshold: the measured mean moved by :func:`margin` towards the
    benign side. None when the metric is missing, unmeasured or not validated (it never drives a cue)."""
    s = m.get(name)
    v = _val(m, name)
    spec = REGISTRY.get(name)
    if s is None or v is None or (spec is not None and not spec.validated):
        return None
    d = margin(s)
    return v - d if bad_high else v + d


def _typical_range(name: str) -> str:
    """The registry's typical range of ``name`` as "5-10"."""
    typical = REGISTRY[name].typical
    return "" if typical is None else f"{typical[0]:g}-{typical[1]:g}"


def _lower(severity: Severity) -> Severity:
    i = SEVERITY_ORDER.index(severity)
    return SEVERITY_ORDER[max(1, i - 1)]


def _reliability(metrics: dict[str, MetricSummary], names: tuple[str, ...]) -> str | None:
    """Why the numbers behind a cue are not fully reliable (None when they are)."""
    worst = [metrics[n] for n in names if n in metrics and metrics[n].quality in ("fair", "poor")]
    if not worst:
        return None
    m = worst[0]
    return m.reason or f"based on only {m.n} values ({m.quality} quality)"


def key_frames(rows: Rows, metric: str, frame_key: str, largest: bool = True, k: int = 3) -> tuple[int, ...]:
    """Frames of the ``k`` strides where ``metric`` is most extreme (the frames that show a cue best)."""
    scored = [
        (r[metric], r[frame_key])
        for r in rows
        if isinstance(r.get(metric), (int, float)) and math.isfinite(r[metric]) and r.get(frame_key) is not None
    ]
    scored.sort(key=lambda x: x[0], reverse=largest)
    return tuple(sorted(int(f) for _, f in scored[:k]))


def _cue(
    cid: str,
    title: str,
    severity: Severity,
    message: str,
    frames: tuple[int, ...],
    numbers: dict[str, Any],
    metrics: dict[str, MetricSummary],
    names: tuple[str, ...],
    drills: tuple[str, ...] | None = None,
    config: AnalysisConfig | None = None,
) -> Cue:
    why = _reliability(metrics, names)
    if why and severity in ("watch", "flag"):
        severity = _lower(severity)
        message += f" (Severity lowered: {why}; film again to confirm.)"
    return Cue(
        id=cid,
        title=title,
        severity=severity,
        message=message,
        evidence=evidence(cid, config or AnalysisConfig()),
        frames=frames,
        drills=DRILLS[cid] if drills is None else drills,
        numbers=numbers,
    )


Rule = Callable[[dict[str, MetricSummary], Rows, AnalysisConfig, str], "Cue | None"]


def rule_run_tall(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    lean = _val(m, "trunk_lean_deg")
    fwd, back = _decide(m, "trunk_lean_deg"), _decide(m, "trunk_lean_deg", bad_high=False)
    if lean is None or fwd is None or back is None:
        return None
    if fwd > c.trunk_lean_watch_deg:
        sev: Severity = "flag" if fwd > c.trunk_lean_flag_deg else "watch"
        msg = (
            f"Your trunk leans {lean:.0f}° forward (typical {_typical_range('trunk_lean_deg')}°): a strong lean loads "
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
    return _cue(
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
    bend, decide = _val(m, "waist_bend_deg"), _decide(m, "waist_bend_deg")
    if bend is None or decide is None or decide <= c.waist_bend_flag_deg:
        return None
    sev: Severity = "flag" if decide > 2 * c.waist_bend_flag_deg else "watch"
    msg = (
        f"You bend about {bend:.0f}° at the waist on top of your body lean: lean from the ankles as one "
        "straight line instead of folding at the hips."
    )
    return _cue(
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
    shank = _val(m, "shank_angle_at_contact_deg")
    over = _val(m, "overstride_leg_pct")
    knee = _val(m, "knee_flexion_at_contact_deg")
    numbers: dict[str, Any] = {}
    if shank is None:
        return None, numbers
    numbers["shank_angle_at_contact_deg"] = round(shank, 1)
    numbers["shank_threshold_deg"] = c.shank_angle_watch_deg
    if over is not None:
        numbers["overstride_leg_pct"] = round(over, 1)
    if _val(m, "overstride_cm") is not None:
        numbers["overstride_cm"] = round(_val(m, "overstride_cm") or 0.0, 1)
    if knee is not None:
        numbers["knee_flexion_at_contact_deg"] = round(knee, 1)
    shank_d = _decide(m, "shank_angle_at_contact_deg")
    if shank_d is None:
        return None, numbers
    sev: Severity
    if shank_d >= c.shank_angle_flag_deg:
        sev = "flag"
    elif shank_d >= c.shank_angle_watch_deg or (
        (over_d := _decide(m, "overstride_leg_pct")) is not None
        and over_d >= c.overstride_watch_leg_pct
        and (knee_d := _decide(m, "knee_flexion_at_contact_deg", bad_high=False)) is not None
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
    return _cue(
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
    cad = _val(m, "cadence_spm")
    if cad is not None and cad >= c.cadence_low_spm:
        kept = tuple(d for d in DRILLS["land_under_hips"] if "cadence" not in d)
        return (*kept, "Land softly: run a minute as quietly as you can, feet touching down under you")
    return DRILLS["land_under_hips"]


def rule_increase_cadence(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    if activity != "running":
        return None
    cad = _val(m, "cadence_spm")
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
    return _cue(
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


def rule_heel_strike(m: dict[str, MetricSummary], rows: Rows, c: AnalysisConfig, activity: str) -> Cue | None:
    fs = m.get("foot_strike_angle_deg")
    if activity != "running" or fs is None or fs.value is None or fs.extra.get("pattern") != "rearfoot":
        return None
    sev, _ = _overstriding(m, c)
    tail = (
        " Together with landing ahead of your hips it adds braking: work on landing under your hips, not on "
        "the strike itself."
        if sev
        else " With your foot landing close under you, this is fine."
    )
    return _cue(
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
    return _cue(
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
    ext, decide = _val(m, "hip_extension_deg"), _decide(m, "hip_extension_deg", bad_high=False)
    if ext is None or decide is None or decide >= c.hip_extension_watch_deg or activity == "walking":
        return None
    sev: Severity = "flag" if decide < c.hip_extension_flag_deg else "watch"
    msg = (
        f"Your thigh reaches only {ext:.0f}° behind your trunk at toe-off: tight hip flexors can tilt the pelvis "
        "forward and strain the lower back. (This is a visible proxy; the pelvis itself cannot be seen.)"
    )
    return _cue(
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
    rot = _val(m, "torso_rotation_deg")
    rot_d = _decide(m, "torso_rotation_deg")  # None while torso rotation is not validated (registry)
    cross = _val(m, "arm_crossover_pct")
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
    return _cue(
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
    return _cue(
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
    cues = [c for rule in RULES if (c := rule(metrics, rows, config, activity)) is not None]
    core = (
        ("trunk_lean_deg", "shank_angle_at_contact_deg")
        if "trunk_lean_deg" in metrics and _val(metrics, "trunk_lean_deg") is not None
        else ("pelvic_drop_deg",)
    )
    measured_core = all(_val(metrics, n) is not None for n in core)
    # Praise only when nothing fired at all (a cue lowered to "info" for thin data still means "look again").
    if not any(c.id != "heel_strike" for c in cues) and measured_core:
        measured = [
            n
            for n in ("cadence_spm", "trunk_lean_deg", "shank_angle_at_contact_deg", "pelvic_drop_deg")
            if _val(metrics, n) is not None
        ]
        cues.append(
            Cue(
                id="good_form",
                title="Good form",
                severity="good",
                message="Nothing stands out: your measured form is inside the screening ranges. Keep building "
                "mileage gradually and keep up strength work.",
                evidence=evidence("good_form", config),
                drills=DRILLS["good_form"],
                numbers={n: round(_val(metrics, n) or 0.0, 1) for n in measured},
            )
        )
    cues.sort(key=lambda c: -SEVERITY_ORDER.index(c.severity))
    return tuple(cues)
