"""Cue rules about the landing: where the foot lands (overstride), how often (cadence) and how (heel strike).

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
    value_of,
)
from gait.coaching.words import DRILLS
from gait.core.config import AnalysisConfig
from gait.core.types import Cue, MetricSummary, Severity


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
