"""Plausibility gates: a number no human stride can show is a failed measurement, not a finding.

Each metric's spec holds the range a running and a walking stride can show (``MetricSpec.plausible_for``; the data
and its sources are in :data:`gait.metrics.plausible_ranges.PLAUSIBLE`). A summary whose value, or whose left or right
side, falls outside it is withheld (quality ``unavailable``, value None) with the reason in words, so it is never
shown as if measured and drives no cue; the value read is kept in ``extra`` for review.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from gait.core.types import MetricSummary
from gait.metrics.registry import REGISTRY

#: How the reason of a withheld implausible number begins (the app and PDF show the reason as it is).
FAILED_MEASUREMENT = "failed measurement"


def _span(name: str, lo: float, hi: float) -> str:
    spec = REGISTRY[name]
    return f"{spec.format(lo, with_unit=False)} to {spec.format(hi)}".replace("-", "−")


def implausible_reason(name: str, summary: MetricSummary, activity: str) -> str | None:
    """Why ``summary`` cannot be a real measurement of ``activity``, or None when it can.

    Parameters
    ----------
    name : a registry metric name.
    summary : its summary (value, left, right).
    activity : ``running``, ``walking`` or ``unknown`` (then only a value neither gait can show is refused).

    Returns
    -------
    str or None
        A sentence for people: what was read, the range a stride can show, and that the number is withheld.
    """
    spec = REGISTRY.get(name)
    bounds = spec.plausible_for(activity) if spec is not None else None
    if spec is None or bounds is None:
        return None
    lo, hi = bounds
    read = [("", summary.value), ("left ", summary.left), ("right ", summary.right)]
    bad = [(side, v) for side, v in read if v is not None and math.isfinite(v) and not lo <= v <= hi]
    if not bad:
        return None
    side, v = bad[0]
    gait = activity if activity in ("running", "walking") else "running or walking"
    return (
        f"{FAILED_MEASUREMENT}: it read {side}{spec.format(v).replace('-', '−')}, outside the "
        f"{_span(name, lo, hi)} a {gait} stride can show; the pose model most likely misplaced a joint or an "
        "event here (see the warnings), so the number is withheld and gives no advice"
    )


def withhold_implausible(
    metrics: Mapping[str, MetricSummary], activity: str
) -> tuple[dict[str, MetricSummary], tuple[str, ...]]:
    """Withhold every summary outside its physiological range for ``activity``.

    Parameters
    ----------
    metrics : summaries by metric name.
    activity : ``running``, ``walking`` or ``unknown``.

    Returns
    -------
    (dict, tuple of str)
        The summaries (implausible ones replaced by an ``unavailable`` summary with the reason, the value read
        in ``extra["implausible_value"]`` and the range in ``extra["plausible_range"]``), and one warning for
        the report naming what was withheld (empty when nothing was).
    """
    out = dict(metrics)
    withheld: list[str] = []
    for name, m in metrics.items():
        if m.value is None or m.quality == "unavailable":
            continue
        reason = implausible_reason(name, m, activity)
        if reason is None:
            continue
        bounds = REGISTRY[name].plausible_for(activity)
        out[name] = MetricSummary(
            name=m.name,
            value=None,
            unit=m.unit,
            n=m.n,
            quality="unavailable",
            reason=reason,
            extra={**m.extra, "implausible_value": m.value, "plausible_range": list(bounds or ())},
        )
        withheld.append(f"{REGISTRY[name].label.lower()} ({REGISTRY[name].format(m.value).replace('-', '−')})")
    if not withheld:
        return out, ()
    warning = (
        f"Some numbers are outside what a human stride can show and are withheld as failed measurements: "
        f"{', '.join(withheld)}. The pose model most likely lost a joint or an event; film again from the side, "
        "level, with the whole body sharp and in view."
    )
    return out, (warning,)


def plausible_only(metrics: Mapping[str, MetricSummary], activity: str) -> dict[str, MetricSummary]:
    """The summaries that are inside their range (what a cue may read): a second guard for reports scored from
    summaries made elsewhere (a review, an older report)."""
    return {n: m for n, m in metrics.items() if m.value is None or implausible_reason(n, m, activity) is None}
