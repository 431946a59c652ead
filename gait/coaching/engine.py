"""The screening engine the cue rules share: the value a rule compares (moved by the camera's resolution or one
standard error), the reliability behind a cue, the frames that show it best, and building a :class:`Cue`."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gait.coaching.words import DRILLS, evidence
from gait.core.config import AnalysisConfig
from gait.core.types import Cue, MetricSummary, Severity
from gait.metrics.registry import REGISTRY

Rows = list[dict[str, Any]]

SEVERITY_ORDER: tuple[Severity, ...] = ("good", "info", "watch", "flag")


def value_of(metrics: dict[str, MetricSummary], name: str) -> float | None:
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


def decide(m: dict[str, MetricSummary], name: str, bad_high: bool = True) -> float | None:
    """The value a rule compares with its threshold: the measured mean moved by :func:`margin` towards the
    benign side. None when the metric is missing, unmeasured or not validated (it never drives a cue)."""
    s = m.get(name)
    v = value_of(m, name)
    spec = REGISTRY.get(name)
    if s is None or v is None or (spec is not None and not spec.validated):
        return None
    d = margin(s)
    return v - d if bad_high else v + d


def typical_range(name: str) -> str:
    """The registry's typical range of ``name`` as "5-10"."""
    typical = REGISTRY[name].typical
    return "" if typical is None else f"{typical[0]:g}-{typical[1]:g}"


def lower_severity(severity: Severity) -> Severity:
    i = SEVERITY_ORDER.index(severity)
    return SEVERITY_ORDER[max(1, i - 1)]


def reliability(metrics: dict[str, MetricSummary], names: tuple[str, ...]) -> str | None:
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


def make_cue(
    cid: str,
    title: str,
    severity: Severity,
    message: str,
    frames: tuple[int, ...],
    numbers: dict[str, Any],
    metrics: dict[str, MetricSummary],
    names: tuple[str, ...],
    drills: tuple[str, ...] | None = None,
    *,
    config: AnalysisConfig,
) -> Cue:
    why = reliability(metrics, names)
    if why and severity in ("watch", "flag"):
        severity = lower_severity(severity)
        message += f" (Severity lowered: {why}; film again to confirm.)"
    return Cue(
        id=cid,
        title=title,
        severity=severity,
        message=message,
        evidence=evidence(cid, config),
        frames=frames,
        drills=DRILLS[cid] if drills is None else drills,
        numbers=numbers,
    )


Rule = Callable[[dict[str, MetricSummary], Rows, AnalysisConfig, str], "Cue | None"]
