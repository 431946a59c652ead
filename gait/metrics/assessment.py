"""One judgement per metric, made once in the analysis and stored in ``report.json`` (``assessments``).

An :class:`Assessment` holds everything a reader shows about a metric: its value and sides, how far it can be
from the truth *for this footage* (:func:`uncertainty`), its place against the screening lines (``ok`` /
``borderline`` / ``watch`` / ``flag``, the lines the cues use) and against the typical range of runners
(``below`` / ``typical`` / ``above``), its quality with the reason, and the words. The app, the CLI summary, the
PDF, the CSV, compare, the trend chart and the batch summary read these; none of them judges a value again.

Two vocabularies are kept apart on purpose: ``screening`` is *what to work on* (the cues' lines), ``typical`` is
*how the number sits among other runners* and never asks for a change on its own.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from gait.core.config import AnalysisConfig
from gait.core.types import GaitReport, MetricSummary
from gait.metrics.bounce_check import BOUNCE_METRICS, bounce_doubt
from gait.metrics.registry import CONTACT_TIME_METRICS, REGISTRY, format_value, label, zone, zone_clear_of_noise

Screening = Literal["ok", "borderline", "watch", "flag", ""]
Typical = Literal["below", "typical", "above", ""]

#: How much a fair-quality value's uncertainty is widened (poor values get none: they are not judged).
FAIR_FACTOR = 1.5

#: Marks next to a value. Screening (what to work on) and typical (how it compares with other runners) read
#: differently on purpose: a screening mark names the line, a typical mark says "among runners".
SCREENING_MARK = {
    "ok": "",
    "borderline": "≈ borderline, no cue",
    "watch": "⚠ work on: watch",
    "flag": "✖ work on: flag",
    "": "",
}
TYPICAL_MARK = {
    "typical": "✓ like most runners",
    "above": "▲ above most runners",
    "below": "▼ below most runners",
    "": "",
}
SCREENING_WORDS = {
    "ok": "inside the screening line",
    "borderline": "within measurement error of a screening line: not a cue",
    "watch": "past the watch line: something to work on",
    "flag": "past the flag line: work on this first",
    "": "",
}
TYPICAL_WORDS = {
    "typical": "within the range most runners show",
    "above": "above the range most runners show (not a fault on its own)",
    "below": "below the range most runners show (not a fault on its own)",
    "": "",
}
#: Order of the screening statuses, worst last (compare's better/worse).
SCREENING_RANK = {"ok": 0, "borderline": 1, "watch": 2, "flag": 3}


@dataclass(frozen=True)
class Assessment:
    """One metric as judged once, in the analysis."""

    name: str
    label: str
    unit: str
    value: float | None
    left: float | None = None
    right: float | None = None
    uncertainty: float | None = None  # ± in ``unit`` for this footage; None when not measured or poor
    screening: Screening = ""  # against the screening lines ("" without lines, value or judgement)
    typical: Typical = ""  # against the typical range ("" without range, or too close to an end to tell)
    quality: str = "good"
    reason: str = ""  # why not measured, not judged, or of lower quality
    note: str = ""  # why it is not judged though measured (another number contradicts it); why the overall
    # value sits outside both sides, when it does
    value_text: str = ""
    good_to: str = ""  # "±3°" (empty for poor or unmeasured values)
    mark: str = ""  # what is shown next to the value: the screening mark, then the typical mark

    @property
    def screening_mark(self) -> str:
        """The mark against the screening lines (what to work on); "" inside them."""
        return SCREENING_MARK.get(self.screening, "")

    @property
    def typical_mark(self) -> str:
        """The mark against the typical range (among other runners); "" when it cannot tell."""
        return TYPICAL_MARK.get(self.typical, "")

    @property
    def measured(self) -> bool:
        """True when the metric has a finite value."""
        return self.value is not None and math.isfinite(self.value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``report.assessments[name]``)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Assessment:
        """Rebuild from :meth:`to_dict` output (unknown keys ignored: a newer gait may add some)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def uncertainty(m: MetricSummary, fps: float | None) -> float | None:
    """How far ``m.value`` can be from the truth on this footage, in the metric's unit.

    Parameters
    ----------
    m : the metric summary (its ``sd`` over ``n`` strides and its ``quality``).
    fps : the clip's real-time frame rate: a contact or flight time is good to at least one frame period.

    Returns
    -------
    float or None
        ``sqrt(resolution² + (sd/√n)²)``: the registry's camera resolution combined with this clip's standard
        error across strides; × :data:`FAIR_FACTOR` for fair quality. None for an unmeasured or poor value (a
        number the footage cannot support gets no "good to").
    """
    s = REGISTRY.get(m.name)
    if s is None or m.value is None or not math.isfinite(m.value) or m.quality in ("poor", "unavailable"):
        return None
    res = s.resolution
    if m.name in CONTACT_TIME_METRICS and fps and fps > 0:
        res = max(res, 1000.0 / fps if s.unit == "ms" else 1.0 / fps)
    se = m.sd / math.sqrt(m.n) if m.sd is not None and math.isfinite(m.sd) and m.n >= 2 else 0.0
    u = math.hypot(res, se)
    return u * FAIR_FACTOR if m.quality == "fair" else u


def screening_status(name: str, value: float, cfg: AnalysisConfig) -> Screening:
    """A value against its screening lines, only as far as the metric's resolution allows (the cues' margin)."""
    margined = zone_clear_of_noise(name, value, cfg)
    if margined in ("watch", "flag"):
        return margined
    raw = zone(name, value, cfg)
    if raw in ("watch", "flag"):
        return "borderline"  # past a line by less than the camera resolves: no cue fires on it
    return "ok" if raw == "ok" else ""


def typical_status(name: str, value: float) -> Typical:
    """A value against the typical range of runners; "" within the resolution of an end (cannot tell)."""
    s = REGISTRY.get(name)
    if s is None or s.typical is None:
        return ""
    lo, hi, r = s.typical[0], s.typical[1], s.resolution
    if lo + r <= value <= hi - r:
        return "typical"
    if value > hi + r:
        return "above"
    if value < lo - r:
        return "below"
    return ""  # within the resolution of an end: the camera cannot tell which side


def marks(screening: Screening, typical: Typical) -> str:
    """What is shown next to a value: its screening mark (what to work on), then its typical mark (among other
    runners); "" for either that says nothing."""
    return " · ".join(t for t in (SCREENING_MARK[screening], TYPICAL_MARK[typical]) if t)


def mark_for(name: str, value: float | None, config: AnalysisConfig) -> str:
    """The marks of a value judged on its own (:func:`marks` of its screening and typical status, each only as far
    as the metric's resolution allows): what :func:`assess_metric` shows for a judged number."""
    if value is None or not math.isfinite(value):
        return ""
    return marks(screening_status(name, value, config), typical_status(name, value))


def sides_note(m: MetricSummary, u: float | None = None) -> str:
    """Why the overall value, as shown, lies outside both sides as shown ("" when it lies between them).

    Each of the three is a 10 %-trimmed mean of its own strides: trimming all strides together drops other
    strides than trimming each side, so the overall value need not lie between the sides."""
    s = REGISTRY.get(m.name)
    if s is None or m.value is None or m.left is None or m.right is None or not math.isfinite(m.value):
        return ""
    shown = [float(s.format(v, with_unit=False)) for v in (m.value, m.left, m.right)]
    if min(shown[1:]) <= shown[0] <= max(shown[1:]):
        return ""
    gap = max(min(shown[1:]) - shown[0], shown[0] - max(shown[1:]))
    within = ", within its uncertainty" if u is not None and gap <= u else ""
    return f"overall and each side are trimmed means of their own strides{within}"


def assess_metric(
    m: MetricSummary,
    config: AnalysisConfig,
    walking: bool = False,
    fps: float | None = None,
    doubt: str = "",
) -> Assessment:
    """The one judgement of a metric summary (see the module docstring); ``doubt``: why the value, though
    measured, cannot be what it claims (another number contradicts it): shown, not judged, no "good to"."""
    cfg = config
    s = REGISTRY.get(m.name)
    measured = m.value is not None and math.isfinite(m.value)
    u = None if doubt else uncertainty(m, fps)
    judged = measured and m.quality not in ("poor", "unavailable") and not walking and not doubt
    screening: Screening = screening_status(m.name, m.value, cfg) if judged and m.value is not None else ""
    if s is not None and not s.validated:
        screening = ""  # shown, never used for advice
    typical: Typical = typical_status(m.name, m.value) if judged and m.value is not None else ""
    reason = m.reason or ""
    if measured and m.quality == "poor":
        reason = reason or "poor quality: shown, not judged"
    return Assessment(
        name=m.name,
        label=label(m.name),
        unit=m.unit,
        value=m.value if measured else None,
        left=m.left,
        right=m.right,
        uncertainty=u,
        screening=screening,
        typical=typical,
        quality=m.quality,
        reason=reason,
        note="; ".join(t for t in (doubt, sides_note(m, u) if measured else "") if t),
        value_text=format_value(m.name, m.value) if measured else "",
        good_to="±" + format_value(m.name, u) if u is not None else "",
        mark=marks(screening, typical),
    )


def assess_report(report: GaitReport) -> dict[str, Assessment]:
    """Every metric of a report judged once, in registry order."""
    cfg, walking = AnalysisConfig.from_settings(report.settings), report.activity == "walking"
    fps = report.video.effective_fps
    order = [n for n in REGISTRY if n in report.metrics] + [n for n in report.metrics if n not in REGISTRY]
    out = {n: assess_metric(report.metrics[n], cfg, walking, fps) for n in order}
    contact, cm, pct = (out.get(n) for n in ("ground_contact_time_ms", *BOUNCE_METRICS))
    doubt = bounce_doubt(
        report.metrics,
        contact.uncertainty if contact is not None else None,
        cm.uncertainty if cm is not None else None,
        pct.uncertainty if pct is not None else None,
    )
    for n in (n for n in BOUNCE_METRICS if n in out and doubt):
        out[n] = assess_metric(report.metrics[n], cfg, walking, fps, doubt=doubt)  # derived numbers agree
    return out


def with_assessments(report: GaitReport, keep: Mapping[str, Mapping[str, Any]] | None = None) -> GaitReport:
    """``report`` with its ``assessments`` made (once, in the analysis); ``keep``: assessments already made for
    some metrics (a second view's), kept as they are."""
    made = {n: a.to_dict() for n, a in assess_report(report).items()}
    made.update({n: dict(v) for n, v in (keep or {}).items() if n in report.metrics})
    return dataclasses.replace(report, assessments=made)


def assessments_of(report: GaitReport) -> dict[str, Assessment]:
    """The report's stored judgements, in registry order.

    A metric is judged here only when its stored judgement is missing (a report older than schema 3) or
    does not hold together (edited or damaged: wrong types, or a value that is not its metric's): the stored
    judgement is derived data and never outranks the metric it belongs to."""
    stored = report.assessments if isinstance(report.assessments, dict) else {}
    fresh: dict[str, Assessment] | None = None
    out: dict[str, Assessment] = {}
    order = [n for n in REGISTRY if n in report.metrics] + [n for n in report.metrics if n not in REGISTRY]
    for name in order:
        a = _well_formed(stored.get(name), report.metrics[name])
        if a is None:
            fresh = fresh if fresh is not None else assess_report(report)
            a = fresh[name]
        out[name] = a
    return out


_TEXT_FIELDS = ("name", "label", "unit", "quality", "reason", "note", "value_text", "good_to", "mark")


def _number_or_none(v: object) -> bool:
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v))


def _well_formed(d: object, m: MetricSummary) -> Assessment | None:
    """The stored judgement ``d`` of metric ``m`` when it holds together, else None."""
    if not isinstance(d, dict):
        return None
    if not all(isinstance(d.get(k, ""), str) for k in _TEXT_FIELDS) or d.get("name") != m.name:
        return None
    if not all(_number_or_none(d.get(k)) for k in ("value", "left", "right", "uncertainty")):
        return None
    if not all(isinstance(d.get(k, ""), str) for k in ("screening", "typical")):
        return None
    if d.get("screening", "") not in SCREENING_MARK or d.get("typical", "") not in TYPICAL_MARK:
        return None
    if d.get("value") != m.value or d.get("left") != m.left or d.get("right") != m.right:
        return None
    return Assessment.from_dict(d)
