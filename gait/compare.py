"""Before/after comparison of two analyses of one athlete: metric deltas with direction, cues resolved or new.

Direction is judged against the feedback thresholds of :class:`~gait.config.AnalysisConfig`: a change is
"better" when it moves the metric towards its screening range, "worse" when it moves away, and "same" when
it is smaller than what the camera can resolve (:data:`RESOLUTION`) - a 1° change in trunk lean is noise,
not progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gait.config import AnalysisConfig
from gait.types import GaitReport

Direction = Literal["better", "worse", "same", "changed", "n/a"]
Zone = Literal["ok", "watch", "flag", ""]

#: Smallest change worth reporting, per unit (measurement resolution of phone video; approx.).
RESOLUTION = {
    "deg": 2.0,
    "cm": 2.0,
    "steps/min": 2.0,
    "ms": 15.0,
    "s": 0.01,
    "m": 0.05,
    "ratio": 0.03,
    "% leg length": 2.0,
    "% of strides": 10.0,
}


def _goals(c: AnalysisConfig) -> dict[str, tuple[str, float, float]]:
    """metric → (kind, a, b): ("lower", watch, flag), ("higher", watch, flag) or ("band", low, high)."""
    return {
        "overstride_leg_pct": ("lower", c.overstride_watch_leg_pct, c.overstride_watch_leg_pct),
        "overstride_cm": ("lower", 0.0, 0.0),
        "shank_angle_at_contact_deg": ("lower", c.shank_angle_watch_deg, c.shank_angle_flag_deg),
        "waist_bend_deg": ("lower", c.waist_bend_flag_deg, c.waist_bend_flag_deg),
        "pelvic_drop_deg": ("lower", c.pelvic_drop_watch_deg, c.pelvic_drop_flag_deg),
        "torso_rotation_deg": ("lower", c.torso_rotation_watch_deg, c.torso_rotation_watch_deg),
        "arm_crossover_pct": ("lower", c.arm_crossover_watch_pct, c.arm_crossover_watch_pct),
        "hip_extension_deg": ("higher", c.hip_extension_watch_deg, c.hip_extension_flag_deg),
        "trunk_lean_deg": ("band", c.trunk_lean_min_deg, c.trunk_lean_watch_deg),
    }


@dataclass(frozen=True)
class MetricDelta:
    """One metric before and after."""

    name: str
    unit: str
    before: float | None
    after: float | None
    delta: float | None
    direction: Direction
    zone_before: Zone = ""
    zone_after: Zone = ""


@dataclass(frozen=True)
class Comparison:
    """Two analyses side by side (``before`` is the earlier session)."""

    deltas: tuple[MetricDelta, ...]
    resolved: tuple[str, ...]  # cue titles present before, gone now
    new: tuple[str, ...]  # cue titles present now, not before
    persisting: tuple[str, ...]
    warnings: tuple[str, ...]

    def delta(self, name: str) -> MetricDelta:
        """The delta of one metric (KeyError when neither report has it)."""
        return next(d for d in self.deltas if d.name == name)


def _zone(kind: str, a: float, b: float, v: float | None) -> Zone:
    if v is None or (kind == "lower" and a == b == 0.0):
        return ""
    if kind == "lower":
        return "flag" if v >= b and b > a else "watch" if v >= a else "ok"
    if kind == "higher":
        return "flag" if v < b else "watch" if v < a else "ok"
    return "ok" if a <= v <= b else "watch"


def _distance(kind: str, a: float, b: float, v: float) -> float:
    """How far a value is from its goal (0 inside a band; the value itself for lower/higher-is-better)."""
    if kind == "lower":
        return v
    if kind == "higher":
        return -v
    return max(a - v, 0.0, v - b)


def compare_reports(before: GaitReport, after: GaitReport, config: AnalysisConfig | None = None) -> Comparison:
    """Compare two analyses of one athlete.

    Parameters
    ----------
    before, after : the earlier and the later analysis.
    config : thresholds that define "better" (defaults when None).

    Returns
    -------
    Comparison
        Per-metric deltas (after - before) with direction and screening zone, and the cues resolved, new and
        persisting. ``warnings`` says when the two are not comparable as they stand (different views,
        different scales, poor quality).
    """
    c = config or AnalysisConfig()
    goals = _goals(c)
    deltas = []
    for name in list(dict.fromkeys([*before.metrics, *after.metrics])):
        mb, ma = before.metrics.get(name), after.metrics.get(name)
        vb = mb.value if mb is not None else None
        va = ma.value if ma is not None else None
        unit = (ma or mb).unit if (ma or mb) is not None else ""  # type: ignore[union-attr]
        if vb is None or va is None:
            deltas.append(MetricDelta(name, unit, vb, va, None, "n/a"))
            continue
        d = va - vb
        goal = goals.get(name)
        if abs(d) < RESOLUTION.get(unit, 0.0):
            direction: Direction = "same"
        elif goal is None:
            direction = "changed"
        else:
            kind, a, b = goal
            gain = _distance(kind, a, b, vb) - _distance(kind, a, b, va)
            direction = "better" if gain > 0 else "worse" if gain < 0 else "same"
        zb = _zone(*goal, vb) if goal else ""
        za = _zone(*goal, va) if goal else ""
        deltas.append(MetricDelta(name, unit, vb, va, d, direction, zb, za))

    def titles(r: GaitReport) -> dict[str, str]:
        return {cue.id: cue.title for cue in r.cues if cue.severity in ("watch", "flag")}

    tb, ta = titles(before), titles(after)
    warnings = []
    if before.view != after.view:
        warnings.append(f"Filmed from different views ({before.view} vs {after.view}): compare like with like.")
    if before.quality.scale != after.quality.scale:
        warnings.append("One session has the runner's height and the other not: centimetre values differ in kind.")
    for label, r in (("before", before), ("after", after)):
        if r.quality.warnings:
            warnings.append(f"The {label} session has capture warnings: {r.quality.warnings[0]}")
    return Comparison(
        deltas=tuple(deltas),
        resolved=tuple(tb[k] for k in tb if k not in ta),
        new=tuple(ta[k] for k in ta if k not in tb),
        persisting=tuple(ta[k] for k in ta if k in tb),
        warnings=tuple(warnings),
    )


def comparison_text(cmp: Comparison, before_label: str = "before", after_label: str = "after") -> str:
    """A plain-text table of a comparison (the ``gait compare`` output)."""
    lines = [f"{'metric':34} {before_label:>12} {after_label:>12} {'change':>9}  direction"]
    for d in cmp.deltas:
        if d.before is None and d.after is None:
            continue
        fb = "n/a" if d.before is None else f"{d.before:.4g}"
        fa = "n/a" if d.after is None else f"{d.after:.4g}"
        fd = "" if d.delta is None else f"{d.delta:+.3g}"
        zone = f" ({d.zone_before or '-'} → {d.zone_after or '-'})" if d.zone_before or d.zone_after else ""
        lines.append(f"{d.name:34} {fb:>12} {fa:>12} {fd:>9}  {d.direction}{zone}")
    for head, items in (("Resolved", cmp.resolved), ("New", cmp.new), ("Still to work on", cmp.persisting)):
        if items:
            lines.append(f"{head}: " + "; ".join(items))
    lines += [f"Note: {w}" for w in cmp.warnings]
    return "\n".join(lines)
