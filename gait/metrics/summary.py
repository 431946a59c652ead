"""Summaries of the stride table: one :class:`~gait.core.types.MetricSummary` per registry metric.

A summary is a 10 %-trimmed mean over strides with SD, n, left and right; left vs right is a symmetry index for
positive quantities and a difference in the metric's unit for signed angles (``docs/CONVENTIONS.md``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from gait.core.types import FloatArray, MetricSummary, Quality
from gait.metrics.registry import REGISTRY
from gait.metrics.table import StrideTable


def mean_cadence_spm(step_times_s: Sequence[float] | FloatArray) -> float:
    """Steps per minute from the mean step time (not the mean of per-step rates); NaN without a timed step."""
    steps = np.asarray(step_times_s, dtype=float)
    return 60.0 / float(np.nanmean(steps)) if np.isfinite(steps).any() else math.nan


def robust_mean(x: FloatArray, trim: float = 0.1) -> float:
    """Mean after dropping the ``trim`` share of values at each end (none for fewer than 10 values): one stride
    the model got wrong (an occluded far foot) must not move the summary."""
    x = np.sort(np.asarray(x, dtype=float))
    k = int(trim * x.size) if x.size >= 10 else 0
    return float(np.mean(x[k : x.size - k]))


def _asymmetry_pct(left: float, right: float) -> float | None:
    den = 0.5 * (abs(left) + abs(right))
    if not (math.isfinite(left) and math.isfinite(right)) or den < 1e-9:
        return None
    return 100.0 * abs(left - right) / den


def _f(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def summarise(table: StrideTable, quality_of: Mapping[str, tuple[Quality, str | None]]) -> dict[str, MetricSummary]:
    """Summarise the stride table into one :class:`MetricSummary` per registry metric, in registry order.

    ``value``, ``left`` and ``right`` are 10 %-trimmed means (:func:`robust_mean`); ``sd`` is over all strides;
    cadence is from the mean step time (:func:`mean_cadence_spm`).

    Parameters
    ----------
    table : the stride table (:func:`gait.metrics.measure.stride_table`).
    quality_of : metric name → (quality, reason or None) decided by :func:`gait.checks.assess.assess`; a quality of
        ``"unavailable"`` makes the value None with that reason.
    """
    out: dict[str, MetricSummary] = {}
    feet = table.feet
    for name, spec in REGISTRY.items():
        unit = spec.unit
        quality, reason = quality_of.get(name, ("good", None))
        vals = table.column(name)
        ok = np.isfinite(vals)
        if quality == "unavailable" or not ok.any():
            out[name] = MetricSummary(
                name=name,
                value=None,
                unit=unit,
                n=int(ok.sum()),
                quality="unavailable",
                reason=reason or "not measurable in this clip",
            )
            continue
        left = vals[ok & (feet == "left")]
        right = vals[ok & (feet == "right")]
        if name == "cadence_spm":
            value = mean_cadence_spm(table.column("step_time_s"))
        else:
            value = robust_mean(vals[ok])
        lm = robust_mean(left) if left.size else math.nan
        rm = robust_mean(right) if right.size else math.nan
        signed = spec.signed  # a percentage of a value near zero means nothing
        out[name] = MetricSummary(
            name=name,
            value=value,
            unit=unit,
            sd=float(np.std(vals[ok], ddof=1)) if ok.sum() > 1 else None,
            n=int(ok.sum()),
            left=_f(lm),
            right=_f(rm),
            asymmetry_pct=None if signed else _asymmetry_pct(lm, rm),
            left_right_diff=_f(lm - rm),
            quality=quality,
            reason=reason,
        )
    return out
