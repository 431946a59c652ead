"""One session from two views of the same run: a side clip and a rear (or front) clip.

Each view measures what it supports (the registry's ``views``): the side view the landing, timing and
posture metrics, the rear view pelvic drop and arm crossover. The merged report has one metric table and one
cue list, and the cadence of the two clips is cross-checked: two clips of one run agree within the camera's
resolution, two different runs usually do not.
"""

from __future__ import annotations

import dataclasses
import math

from gait.coaching.rules import generate_cues
from gait.core.config import AnalysisConfig
from gait.core.types import GaitReport, MetricSummary
from gait.metrics.assessment import with_assessments
from gait.metrics.registry import REGISTRY


def merge_views(side: GaitReport, rear: GaitReport, config: AnalysisConfig) -> GaitReport:
    """The side report with the rear report's frontal metrics, cues recomputed over both, and a cadence check.

    Parameters
    ----------
    side : analysis of the side clip (``view == "side"``).
    rear : analysis of the rear or front clip.
    config : the thresholds (as used for both analyses).

    Returns
    -------
    GaitReport
        ``metrics`` from the view that supports each; the rear clip's events, video, view, warnings and
        frontal per-stride values under ``settings["second_view"]``.
    """
    if side.view != "side" or rear.view not in ("rear", "front"):
        raise ValueError(f"merge_views needs a side and a rear/front analysis, got {side.view} and {rear.view}")
    metrics = dict(side.metrics)
    for name, spec in REGISTRY.items():
        if rear.view in spec.views and "side" not in spec.views and name in rear.metrics:
            metrics[name] = rear.metrics[name]
    warnings = list(side.quality.warnings) + [f"Rear clip: {w}" for w in rear.quality.warnings]
    check = _cadence_check(side.metrics.get("cadence_spm"), rear.metrics.get("cadence_spm"))
    if check:
        warnings.append(check)
    rows = [dict(r) for r in side.strides]
    cues = generate_cues(metrics, rows, config, side.activity)
    second = {
        "video": dataclasses.asdict(rear.video),
        "view": rear.view,
        "events": [dataclasses.asdict(e) for e in rear.events],
        "warnings": list(rear.quality.warnings),
        "strides": list(rear.strides),
    }
    merged = dataclasses.replace(
        side,
        metrics=metrics,
        cues=cues,
        quality=dataclasses.replace(side.quality, warnings=tuple(warnings)),
        settings={**side.settings, "second_view": second},
    )
    rear_judged = {n: a for n, a in rear.assessments.items() if metrics.get(n) is rear.metrics.get(n)}
    return with_assessments(merged, keep=rear_judged)  # rear metrics keep the rear clip's judgement (its fps)


def _cadence_check(a: MetricSummary | None, b: MetricSummary | None) -> str | None:
    """A warning when the two clips' cadences differ by more than the camera resolves (twice the registry's
    resolution, one for each clip)."""
    if a is None or b is None or a.value is None or b.value is None:
        return None
    limit = 2 * REGISTRY["cadence_spm"].resolution
    if math.isfinite(a.value) and math.isfinite(b.value) and abs(a.value - b.value) > limit:
        return (
            f"The side clip's cadence ({a.value:.0f} steps/min) and the rear clip's ({b.value:.0f}) differ by more "
            f"than {limit:.0f} steps/min: they may be two different runs or speeds. Film both views of one run."
        )
    return None
