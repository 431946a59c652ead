"""The feedback engine: rules over metric summaries → Cues a runner understands.

Each cue carries the numbers that triggered it against its threshold, the frames that show it best, the
evidence behind the threshold, and 1-3 drills. Unreliable data (too few strides, poor visibility, unknown
capture rate) lowers a cue's severity and says why; a metric that could not be measured never triggers a cue.
The tool screens and coaches; it does not diagnose.
"""

from __future__ import annotations

from gait.coaching.engine import (
    SEVERITY_ORDER,
    Rows,
    Rule,
    key_frames,
    margin,
    value_of,
)
from gait.coaching.landing_rules import rule_heel_strike, rule_increase_cadence, rule_land_under_hips
from gait.coaching.posture_rules import (
    rule_even_sides,
    rule_lean_from_ankles,
    rule_open_hips,
    rule_pelvis_level,
    rule_quiet_upper_body,
    rule_run_tall,
)
from gait.coaching.words import DRILLS, EVIDENCE, GRADUAL_LOAD, RED_FLAGS, evidence
from gait.core.config import AnalysisConfig
from gait.core.types import Cue, MetricSummary
from gait.metrics.plausibility import plausible_only
from gait.metrics.registry import REGISTRY, zone, zone_clear_of_noise

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


_AMONG = "A number above or below most runners is not a fault on its own."


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
        return f"Nothing stands out: your measured form is inside the screening lines. {_AMONG} {tail}"
    names = ", ".join(borderline[:-1]) + (" and " if len(borderline) > 1 else "") + borderline[-1]
    return (
        f"Nothing stands out clearly: your {names} {'sit' if len(borderline) > 1 else 'sits'} on a screening line, "
        f"closer to it than this video can resolve, and the rest is inside the screening lines. {_AMONG} {tail}"
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
    # A number no stride can show (gait.metrics.plausibility) is a failed measurement: never a cue either.
    usable = plausible_only({n: s for n, s in metrics.items() if s.quality != "poor"}, activity)
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
