"""The metric registry: one :class:`MetricSpec` per reported metric, the single place for what a metric *is*.

Report, CSV, CLI summary, app, PDF, compare, batch summary and feedback all read these specs: the human label,
unit and display precision, the views that support the metric, what it needs from the footage, which direction
is better, the camera's measurement resolution (used for "same" in compare and for cue margins), the typical
range and screening limits (read from :class:`~gait.core.config.AnalysisConfig`), a one-sentence explanation and
its reference. Machine names (``cadence_spm``) stay in ``report.json``; people see :attr:`MetricSpec.label`.

The specs are data in :mod:`gait.metrics.catalogue`, their type in :mod:`gait.metrics.spec`. Adding a metric:
its compute function (``gait/metrics/spatiotemporal.py`` or ``posture.py``), its entry in
``gait/metrics/catalogue.py`` and its test (``tests/unit/metrics/test_metrics_synthetic.py`` or
``test_posture_synthetic.py``); see ``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

import math

from gait.core.config import AnalysisConfig
from gait.metrics.catalogue import SPECS as _SPECS
from gait.metrics.spec import ANY, FRONTAL, SIDE, Better, Limits, MetricSpec, Need, View, Zone

#: name → spec, in display order.
REGISTRY: dict[str, MetricSpec] = {s.name: s for s in _SPECS}
#: Metrics whose values are timed by the clip's clock (withheld for unflagged slow motion).
TIME_METRICS = tuple(s.name for s in _SPECS if "real_time" in s.needs)
#: Metrics shown first (summary cards, the PDF's headline row).
HEADLINE = tuple(s.name for s in _SPECS if s.headline)
#: Columns of batch's summary.csv.
SUMMARY_METRICS = tuple(s.name for s in _SPECS if s.summary)
#: Metrics timed within one stance (landing to push-off): accurate to ±1 frame.
CONTACT_TIME_METRICS = tuple(s.name for s in _SPECS if {"real_time", "feet"} <= s.needs)
#: Angles against the picture's vertical: off by as much as the phone is rolled.
VERTICAL_REFERENCED = tuple(s.name for s in _SPECS if "level_camera" in s.needs)
#: Lengths in cm → their leg-length counterpart, used when no height is given.
LENGTH_CM = {"overstride_cm": "overstride_leg_pct", "vertical_oscillation_cm": "vertical_oscillation_leg_pct"}


def spec(name: str) -> MetricSpec:
    """The spec of ``name``; a :class:`KeyError` names the metric when it is unknown."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}; known: {', '.join(REGISTRY)}") from None


def label(name: str) -> str:
    """Human label of a metric name (the name itself for an unknown one)."""
    s = REGISTRY.get(name)
    return s.label if s else name.replace("_", " ")


def format_value(name: str, value: float | None, with_unit: bool = True) -> str:
    """``value`` of metric ``name`` as people read it."""
    s = REGISTRY.get(name)
    if s is None:
        return "—" if value is None or not math.isfinite(value) else f"{value:g}"
    return s.format(value, with_unit)


def metrics_for_view(view: str) -> tuple[str, ...]:
    """Names of the metrics a view supports."""
    return tuple(s.name for s in _SPECS if view in s.views)


def unsupported_by_view(view: str) -> tuple[str, ...]:
    """Names of the metrics a view cannot show."""
    return tuple(s.name for s in _SPECS if view not in s.views)


def limits(name: str, c: AnalysisConfig) -> Limits | None:
    """Screening limits of ``name`` from the config (None for a metric without a screening rule)."""
    table: dict[str, Limits] = {
        "overstride_leg_pct": Limits("lower", c.overstride_watch_leg_pct, math.inf),
        "shank_angle_at_contact_deg": Limits("lower", c.shank_angle_watch_deg, c.shank_angle_flag_deg),
        "waist_bend_deg": Limits("lower", c.waist_bend_flag_deg, 2 * c.waist_bend_flag_deg),
        "pelvic_drop_deg": Limits("lower", c.pelvic_drop_watch_deg, c.pelvic_drop_flag_deg),
        "arm_crossover_pct": Limits("lower", c.arm_crossover_watch_pct, math.inf),
        "hip_extension_deg": Limits("higher", c.hip_extension_watch_deg, c.hip_extension_flag_deg),
        "trunk_lean_deg": Limits(
            "band", c.trunk_lean_watch_deg, c.trunk_lean_flag_deg, c.trunk_lean_min_deg, c.trunk_lean_watch_deg
        ),
        "cadence_spm": Limits("band", low=c.cadence_low_spm, high=math.inf),
    }
    return table.get(name)


def zone(name: str, value: float | None, c: AnalysisConfig) -> Zone:
    """Screening zone of a value: ok, watch or flag ("" without limits or value)."""
    lim = limits(name, c)
    if lim is None or value is None or not math.isfinite(value):
        return ""
    if lim.better == "lower":
        return "flag" if value >= lim.flag else "watch" if value >= lim.watch else "ok"
    if lim.better == "higher":
        return "flag" if value <= lim.flag else "watch" if value <= lim.watch else "ok"
    if name == "trunk_lean_deg" and value > lim.flag:
        return "flag"
    return "ok" if lim.low <= value <= lim.high else "watch"


def zone_clear_of_noise(name: str, value: float | None, c: AnalysisConfig) -> Zone:
    """The zone of ``value`` moved by the metric's resolution towards the benign side: the zone the camera can
    vouch for. A value whose raw :func:`zone` is watch or flag but whose margined zone is ok sits within the
    measurement resolution of its threshold (borderline), and no cue fires on it."""
    lim = limits(name, c)
    if lim is None or value is None or not math.isfinite(value):
        return ""
    r = spec(name).resolution
    if lim.better == "lower":
        moved = value - r
    elif lim.better == "higher":
        moved = value + r
    else:
        moved = value - r if value > lim.high else value + r if value < lim.low else value
    return zone(name, moved, c)


__all__ = [
    "ANY",
    "CONTACT_TIME_METRICS",
    "FRONTAL",
    "HEADLINE",
    "LENGTH_CM",
    "REGISTRY",
    "SIDE",
    "SUMMARY_METRICS",
    "TIME_METRICS",
    "VERTICAL_REFERENCED",
    "Better",
    "Limits",
    "MetricSpec",
    "Need",
    "View",
    "Zone",
    "format_value",
    "label",
    "limits",
    "metrics_for_view",
    "spec",
    "unsupported_by_view",
    "zone",
    "zone_clear_of_noise",
]
