"""What people read: metric rows, cue numbers and evidence in plain words, from the metric registry.

The app, the PDF, the CLI summary and the CSV headers all go through here, so a metric reads the same
everywhere ("Shin angle at landing 13°, above the typical 0-8°"). ``report.json`` keeps the machine names.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from gait.core.config import AnalysisConfig
from gait.core.types import Cue, GaitReport, MetricSummary
from gait.metrics.assessment import Assessment, assessments_of
from gait.metrics.registry import REGISTRY, format_value, label

#: Words for the parts of a cue's number names that are not metric names.
_WORDS = {"shank": "shin", "deg": "", "pct": "%", "ms": "ms", "cm": "cm", "spm": "steps/min", "proxy": "(proxy)"}
_UNIT_SUFFIX = {"deg": "°", "pct": " %", "ms": " ms", "cm": " cm", "spm": " steps/min", "s": " s", "m": " m"}
_DOC_REFS = re.compile(r"\s*\((?:see )?[A-Z_]+\.md[^)]*\)")


def config_of(report: GaitReport) -> AnalysisConfig:
    """The thresholds an analysis was run with (from ``report.settings``; defaults for what is missing)."""
    return AnalysisConfig.from_settings(report.settings)


def is_walking(report: GaitReport) -> bool:
    """True when the clip shows walking: running cues and running typical ranges do not apply."""
    return report.activity == "walking"


@dataclass(frozen=True)
class MetricRow:
    """One metric as people read it."""

    name: str  # machine name (for code and tests, never shown)
    label: str
    value: str  # "13°", or "not measured: <reason>"
    left: str  # number only: the unit is in ``value``
    right: str
    typical: str
    mark: str
    note: str
    measured: bool
    good_to: str = ""  # "±7°": how far the number can be from the truth on this footage (its assessment)
    screening: str = ""  # ok / borderline / watch / flag ("" without lines): what to work on
    typical_status: str = ""  # below / typical / above ("" when it cannot tell): among other runners
    screening_mark: str = ""  # "⚠ work on: watch"
    typical_mark: str = ""  # "▲ above most runners"


def _side(name: str, v: float | None) -> str:
    return "" if v is None or not math.isfinite(v) else format_value(name, v, with_unit=False)


_FLAGS = re.compile(r"\s*\((?:--[a-z-]+(?:,\s*)?)+\)")


def reason_text(reason: str) -> str:
    """Why a metric is missing, in words: metric names become labels, command-line flags are dropped."""
    text = _FLAGS.sub("", reason).strip()
    text = re.sub(r"^not measured:\s*", "", text)  # the row already says so
    for name in sorted(REGISTRY, key=len, reverse=True):
        if name in text:
            text = re.sub(rf"\b{re.escape(name)}\b", f"'{label(name)}'", text)
    return text


def good_to(name: str, fps: float | None = None) -> str:
    """How far a metric's value can be from the truth, as people read it ("±7°").

    Parameters
    ----------
    name : the metric's registry name.
    fps : the clip's real-time frame rate; contact and flight times are good to at least one frame period, as
        the frame-rate warning says.

    Returns
    -------
    str
        "±" and the registry's resolution (what the cues' margins use) in the metric's unit; empty for a metric
        without one.
    """
    s = REGISTRY.get(name)
    if s is None or not s.resolution > 0:
        return ""
    r = s.resolution
    if name in ("ground_contact_time_ms", "flight_time_ms") and fps and fps > 0:
        r = max(r, 1000.0 / fps)
    return "±" + format_value(name, r)


def metric_row(a: Assessment, m: MetricSummary, config: AnalysisConfig, walking: bool = False) -> MetricRow:
    """One metric as a :class:`MetricRow`: the words of its assessment (``a``), never judged again here."""
    s = REGISTRY.get(m.name)
    measured = a.measured
    value = a.value_text if measured else f"not measured: {reason_text(a.reason or 'no usable strides')}"
    notes = []
    if m.quality != "good" and measured:
        notes.append(f"{m.quality} quality, {m.n} values")
    if m.extra.get("pattern"):
        notes.append(str(m.extra["pattern"]).replace("rearfoot", "heel first"))
    if s is not None and not s.validated:
        notes.append("not validated: shown, never used for advice")
    if a.note:
        notes.append(a.note)
    typical = "" if s is None else s.typical_for(config)
    if walking and typical:
        typical = f"({typical}; for running)"
    return MetricRow(
        name=a.name,
        label=a.label,
        value=value,
        left=_side(a.name, a.left),
        right=_side(a.name, a.right),
        typical=typical,
        mark=a.mark if measured else "",
        note="; ".join(notes),
        measured=measured,
        good_to=a.good_to,
        screening=a.screening,
        typical_status=a.typical,
        screening_mark=a.screening_mark if measured else "",
        typical_mark=a.typical_mark if measured else "",
    )


def metric_rows(report: GaitReport, include_unmeasured: bool = True) -> list[MetricRow]:
    """Every metric of a report in registry order, in people's words (from its stored assessments)."""
    config = config_of(report)
    walking = is_walking(report)
    judged = assessments_of(report)
    rows = [metric_row(a, report.metrics[n], config, walking) for n, a in judged.items() if n in report.metrics]
    return [r for r in rows if r.measured or include_unmeasured]


def _number_label(key: str) -> tuple[str, str]:
    """(label, unit suffix) of a cue number's key such as ``shank_threshold_deg``."""
    parts = key.split("_")
    unit = _UNIT_SUFFIX.get(parts[-1], "") if len(parts) > 1 else ""
    words = [_WORDS.get(p, p) for p in (parts[:-1] if unit else parts)]
    text = " ".join(w for w in words if w).strip()
    return (text[:1].upper() + text[1:]) if text else key, unit


def cue_numbers(cue: Cue) -> str:
    """A cue's numbers in words: "Shin angle at landing 13°, shin threshold 8°"."""
    out = []
    for key, v in cue.numbers.items():
        metric = key if key in REGISTRY else next((n for n in REGISTRY if key.startswith(n + "_")), None)
        if metric and isinstance(v, (int, float)) and not isinstance(v, bool):
            extra = key[len(metric) + 1 :].replace("_", " ")
            out.append(f"{label(metric)}{f' ({extra})' if extra else ''} {format_value(metric, float(v))}")
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            text, unit = _number_label(key)
            out.append(f"{text} {v:g}{unit}")
        else:
            text, _ = _number_label(key)
            out.append(f"{text}: {str(v).replace('rearfoot', 'heel first')}")
    return ", ".join(out)


def cue_change(before: Cue, after: Cue) -> str | None:
    """What an edit changed in a cue, as a reader sees it ("watch: Shin angle at landing 9° → flag: …"), or None
    when nothing shown changed (numbers that differ below their shown precision are no change to a reader)."""
    shown_a = f"{before.severity}: {cue_numbers(before)}" if before.numbers else before.severity
    shown_b = f"{after.severity}: {cue_numbers(after)}" if after.numbers else after.severity
    return None if shown_a == shown_b else f"{shown_a} → {shown_b}"


def evidence_text(cue: Cue) -> str:
    """A cue's evidence without pointers into the project's own files ("(METRICS.md)")."""
    return _DOC_REFS.sub("", cue.evidence).strip()


def shown_cues(report: GaitReport) -> tuple[Cue, ...]:
    """The cues to show: none of the running cues for a walking clip (the report's note says why)."""
    return () if is_walking(report) else report.cues


def walking_note(report: GaitReport) -> str:
    """The sentence that tells a walker why there is no running advice ("" for a run)."""
    if not is_walking(report):
        return ""
    for n in report.notes:
        if "walking" in n:
            return n
    return "This clip shows walking, not running: the running cues do not apply."


def column_label(key: str) -> str:
    """A per-stride column in words, with its unit: ``shank_angle_at_contact_deg`` → "Shin angle at landing (°)"."""
    s = REGISTRY.get(key)
    if s is not None:
        return f"{s.label} ({s.display_unit})" if s.display_unit and "%" not in s.label else s.label
    fixed = {
        "foot": "Foot",
        "contact_frame": "Landing frame",
        "contact_time_s": "Landing time (s)",
        "toe_off_time_s": "Push-off time (s)",
        "toe_off_frame": "Push-off frame",
        "track": "Landmark side",
        "midstance_frame": "Midstance frame",
        "midstance_time_s": "Midstance time (s)",
        "anchor_time_s": "Time (s)",
        "stride_time_s": "Stride time (s)",
        "foot_strike_pattern": "Foot strike",
    }
    if key in fixed:
        return fixed[key]
    text, unit = _number_label(key)
    return f"{text} ({unit.strip()})" if unit else text


def chart_metrics(strides: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> list[str]:
    """Per-stride metrics worth plotting: registry metrics with at least one value (no raw/debug columns)."""
    return [n for n in REGISTRY if any(isinstance(r.get(n), (int, float)) and math.isfinite(r[n]) for r in strides)]
