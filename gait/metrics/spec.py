"""What a metric *is*, as a type: :class:`MetricSpec` and its screening :class:`Limits`.

The specs themselves are in :mod:`gait.metrics.catalogue`; :mod:`gait.metrics.registry` is where the product
reads them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from gait.core.config import AnalysisConfig

View = Literal["side", "rear", "front"]
# level_camera: an angle against the picture's vertical, so only as right as the phone is level.
Need = Literal["real_time", "scale", "feet", "belt_speed", "depth", "level_camera"]
Better = Literal["lower", "higher", "band", "none"]
Zone = Literal["ok", "watch", "flag", ""]

SIDE: frozenset[View] = frozenset({"side"})
FRONTAL: frozenset[View] = frozenset({"rear", "front"})
ANY: frozenset[View] = frozenset({"side", "rear", "front"})


@dataclass(frozen=True)
class Limits:
    """Screening limits of one metric (from :class:`AnalysisConfig`).

    ``better="lower"``: watch at ``watch`` or above, flag at ``flag`` or above. ``"higher"``: watch at or
    below ``watch``, flag at or below ``flag``. ``"band"``: ok inside ``[low, high]``, watch outside.
    """

    better: Better
    watch: float = math.nan
    flag: float = math.nan
    low: float = math.nan
    high: float = math.nan


@dataclass(frozen=True)
class MetricSpec:
    """Everything the product knows about one metric apart from how it is computed."""

    name: str
    label: str
    unit: str  # machine unit, as in report.json
    display_unit: str  # what people read after the number ("°", "steps/min")
    precision: int  # decimals shown to people
    views: frozenset[View]
    needs: frozenset[Need]
    better: Better
    resolution: float  # smallest difference a phone camera resolves, in ``unit`` (approx.)
    typical: tuple[float, float] | None  # typical range in ``unit`` where a source gives one
    typical_template: str  # the typical range as people read it; ``{field}`` is an AnalysisConfig threshold
    explanation: str  # one plain sentence
    reference: str
    signed: bool = False  # signed angle: left/right differ in degrees, never as a percentage
    validated: bool = True  # False: measured but not validated: withheld from the summary, never drives a cue
    unvalidated_reason: str = ""  # why an unvalidated metric is withheld, for people
    computed_in: str = "spatiotemporal"  # the module of gait/metrics that computes it per stride
    headline: bool = False  # shown in summary cards and the PDF's headline row
    summary: bool = False  # a column of batch's summary.csv
    # What a human stride can show at all, in ``unit`` (None: any value): outside it the number is a failed
    # measurement, withheld and never a cue (gait.metrics.plausibility). Set from
    # gait.metrics.plausible_ranges.PLAUSIBLE.
    plausible_running: tuple[float, float] | None = None
    plausible_walking: tuple[float, float] | None = None

    def plausible_for(self, activity: str) -> tuple[float, float] | None:
        """The physiological range for ``activity`` ("running", "walking"; anything else: the union of both,
        so only a value neither gait can show is refused); None when any value is possible."""
        run, walk = self.plausible_running, self.plausible_walking
        if activity == "running":
            return run
        if activity == "walking":
            return walk
        if run is None or walk is None:
            return None
        return (min(run[0], walk[0]), max(run[1], walk[1]))

    def format(self, value: float | None, with_unit: bool = True) -> str:
        """The value as people read it ("168.5 steps/min", "7°"); "—" when missing."""
        if value is None or not math.isfinite(value):
            return "—"
        text = f"{value:.{self.precision}f}"
        if text.startswith("-") and float(text) == 0.0:
            text = text[1:]
        if not with_unit or not self.display_unit:
            return text
        sep = "" if self.display_unit in ("°", "%") else " "
        return f"{text}{sep}{self.display_unit}"

    def typical_for(self, config: AnalysisConfig) -> str:
        """The typical range as people read it, with the thresholds of ``config`` (the analysis's own)."""
        if "{" not in self.typical_template:
            return self.typical_template
        values = config.to_dict()
        return self.typical_template.format_map({k: _number(v) for k, v in values.items()})


def _number(v: object) -> str:
    """A threshold as people read it: no trailing zeros, a real minus sign."""
    return f"{v:g}".replace("-", "−") if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def make_spec(
    name: str,
    label: str,
    unit: str,
    display_unit: str,
    precision: int,
    views: frozenset[View],
    needs: tuple[Need, ...],
    better: Better,
    resolution: float,
    typical: tuple[float, float] | None,
    typical_template: str,
    explanation: str,
    reference: str,
    **flags: bool | str,
) -> MetricSpec:
    return MetricSpec(
        name,
        label,
        unit,
        display_unit,
        precision,
        views,
        frozenset(needs),
        better,
        resolution,
        typical,
        typical_template,
        explanation,
        reference,
        **flags,  # type: ignore[arg-type]
    )
