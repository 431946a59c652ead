"""One set of result files whatever the front end (CLI, batch, app): their names and their text.

``report.json`` (the contract), ``metrics.csv`` (one row per stride), ``assessments.csv`` (one row per metric:
the judgement made once in the analysis, :mod:`gait.metrics.assessment`) and, for a side view with strides,
``curves.csv`` (the gait-cycle curves). The batch summary's per-clip columns are here too, so a summary row
reads the same judgements.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from gait.core.types import GaitReport
from gait.kinematics.cleaned import CleanPose
from gait.metrics.assessment import assessments_of
from gait.metrics.registry import REGISTRY, SUMMARY_METRICS

#: The text files of an analysis, in the order they are written (report.json last: it marks a finished run).
RESULT_FILES = ("metrics.csv", "assessments.csv", "curves.csv", "report.json")
ASSESSMENT_COLUMNS = (
    "Measure",
    "Value",
    "Unit",
    "Good to (±)",
    "Left",
    "Right",
    "Work on (screening line)",
    "Among runners (typical range)",
    "Quality",
    "Why",
)


def assessments_csv(report: GaitReport) -> str:
    """One row per metric in people's words: the report's stored judgements, values at the registry's precision.

    Withheld (unvalidated) metrics are listed with their reason and no value; nothing is judged here."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(ASSESSMENT_COLUMNS)
    for name, a in assessments_of(report).items():
        s = REGISTRY.get(name)
        shown = a.measured and (s is None or s.validated)
        num = _formatter(name if shown else "")
        w.writerow(
            [
                a.label,
                num(a.value),
                s.display_unit.strip() if s is not None else a.unit,
                num(a.uncertainty) if a.good_to else "",
                num(a.left),
                num(a.right),
                a.screening if shown else "",
                a.typical if shown else "",
                a.quality,
                "; ".join(t for t in (a.reason, a.note) if t),
            ]
        )
    return buf.getvalue()


def _formatter(name: str) -> Any:
    """A number of metric ``name`` at its display precision, without unit ("" for None or no metric)."""
    s = REGISTRY.get(name)

    def num(v: float | None) -> str:
        return "" if v is None or s is None else s.format(v, with_unit=False)

    return num


def curves_text(report: GaitReport, clean: CleanPose | None) -> str | None:
    """``curves.csv`` of a side view with strides (None otherwise: from behind the angles are not sagittal)."""
    if clean is None or report.view != "side":
        return None
    from gait.metrics.curves import curves_csv, stride_curves
    from gait.metrics.geometry import runner_xy

    curves = stride_curves(runner_xy(clean), clean.pose.times_s, report.events)
    return None if curves.is_empty() else curves_csv(curves)


def result_files(report: GaitReport, clean: CleanPose | None = None) -> dict[str, str]:
    """Every text file of an analysis, name → text, in :data:`RESULT_FILES` order (curves.csv only with a pose
    of a side view)."""

    files = {"metrics.csv": strides_csv(report), "assessments.csv": assessments_csv(report)}
    curves = curves_text(report, clean)
    if curves is not None:
        files["curves.csv"] = curves
    files["report.json"] = report.to_json()
    return files


#: The judgement columns of batch's summary.csv (after each value column).
SUMMARY_JUDGEMENT_COLUMNS = tuple(c for n in SUMMARY_METRICS for c in (f"{n}_work_on", f"{n}_among_runners"))


def summary_values(report: GaitReport) -> dict[str, Any]:
    """A batch summary row's metric columns: each value at the registry's precision, its screening status
    and typical-range place (the stored judgements), and every cue shown to the runner."""
    from gait.outputs.wording import shown_cues

    judged = assessments_of(report)
    row: dict[str, Any] = {}
    for name in SUMMARY_METRICS:
        a = judged.get(name)
        measured = a is not None and a.measured
        row[name] = REGISTRY[name].format(a.value, with_unit=False) if a is not None and measured else ""
        row[f"{name}_work_on"] = a.screening if a is not None and measured else ""
        row[f"{name}_among_runners"] = a.typical if a is not None and measured else ""
    row["cues"] = "; ".join(f"{c.severity}: {c.title}" for c in shown_cues(report))
    return row


CSV_FIRST = ["foot", "contact_frame", "contact_time_s", "toe_off_time_s", "midstance_frame", "midstance_time_s"]


def strides_csv(report: GaitReport, human_headers: bool = True) -> str:
    """The per-stride rows as CSV text (one row per foot contact).

    Only what the product reports: no column of a withheld (unvalidated) metric, no column without a value, no
    ``anchor_time_s`` where it repeats the landing time; values at the registry's display precision.

    Parameters
    ----------
    human_headers : column names in words with their unit ("Shin angle at landing (°)"); False gives the
        machine names of ``report.json`` (``shank_angle_at_contact_deg``).
    """
    from gait.outputs.wording import column_label

    keys = csv_columns(report)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    if human_headers:
        names: dict[str, str] = {}
        for k in keys:
            text = column_label(k)
            names[k] = text if text not in names.values() else f"{text} [{k}]"
        w.writerow(names)
    else:
        w.writeheader()
    for row in report.strides:
        w.writerow({k: _fmt(k, row.get(k)) for k in keys})
    return buf.getvalue()


def csv_columns(report: GaitReport) -> list[str]:
    """The per-stride columns worth writing, in order (see :func:`strides_csv`)."""
    from gait.metrics.registry import REGISTRY

    keys: list[str] = list(CSV_FIRST)
    for row in report.strides:
        keys += [k for k in row if k not in keys]
    withheld = {n for n, s in REGISTRY.items() if not s.validated}
    withheld |= {n for n, m in report.metrics.items() if n in REGISTRY and m.value is None}

    def has_value(k: str) -> bool:
        return any(_fmt(k, row.get(k)) != "" for row in report.strides)

    def repeats_landing(k: str) -> bool:
        return k == "anchor_time_s" and all(row.get(k) == row.get("contact_time_s") for row in report.strides)

    return [k for k in keys if k not in withheld and has_value(k) and not repeats_landing(k)]


def _fmt(key: str, v: Any) -> Any:
    """A CSV cell: a registry metric at its display precision, a time to the millisecond, else 4 digits."""
    from gait.metrics.registry import REGISTRY

    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if isinstance(v, float):
        s = REGISTRY.get(key)
        if s is not None:
            return s.format(v, with_unit=False)
        return f"{v:.3f}" if key.endswith("_s") else f"{v:.4g}"
    return v
