"""One judgement per number: the analysis judges every metric once (``report.assessments``) and every reader —
CLI summary, PDF, assessments.csv, compare, batch summary — shows that judgement, never its own.

The app's page is checked against the same judgements in ``tests/app/test_one_judgement_app.py``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gait.core.types import GaitReport
from gait.metrics.assessment import SCREENING_MARK, TYPICAL_MARK, Assessment, assessments_of, with_assessments
from gait.metrics.registry import REGISTRY
from gait.outputs.files import summary_text
from gait.outputs.fileset import assessments_csv
from gait.workflows.analysis import handout_pdf
from gait.workflows.batch import Job, summary_row
from gait.workflows.compare import compare_reports

ALL_MARKS = tuple(m for m in (*SCREENING_MARK.values(), *TYPICAL_MARK.values()) if m)


def _judged(report: GaitReport) -> dict[str, Assessment]:
    """The reported (validated, measured) metrics and their stored judgements."""
    return {n: a for n, a in assessments_of(report).items() if a.measured and REGISTRY[n].validated}


def _marks_in(text: str) -> set[str]:
    return {m for m in ALL_MARKS if m in text}


def _expected_marks(a: Assessment) -> set[str]:
    return {m for m in (a.screening_mark, a.typical_mark) if m}


def test_the_analysis_stores_one_judgement_per_metric(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    stored = GaitReport.from_json(report.to_json()).assessments  # part of report.json
    assert set(stored) == set(report.metrics)
    shin = Assessment.from_dict(stored["shank_angle_at_contact_deg"])
    assert shin.screening == "borderline"  # 8.3° against the 8° watch line, resolution 2°: the sample's shin
    # The uncertainty is this footage's: at least the registry's resolution, wider with the stride spread.
    for name, d in stored.items():
        a = Assessment.from_dict(d)
        if a.uncertainty is not None:
            assert a.uncertainty >= REGISTRY[name].resolution - 1e-9, name
    gct = Assessment.from_dict(stored["ground_contact_time_ms"])
    assert gct.uncertainty is not None and gct.uncertainty > 1000.0 / report.video.effective_fps  # 30 fps, fair


def test_cli_summary_shows_the_stored_judgement(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    lines = summary_text(report).splitlines()
    for name, a in _judged(report).items():
        line = next(ln for ln in lines if ln[2:36].strip() == a.label[:34])
        assert _marks_in(line) == _expected_marks(a), (name, line)
        assert a.good_to in line, (name, line)


def _pdf_mark_cells(text: str) -> dict[str, str]:
    """label → the text of its "work on · among runners" cell in ``pdftotext -layout`` output."""
    cells: dict[str, str] = {}
    lines = text.splitlines()
    start = end = None
    current = None
    labels = sorted((s.label for s in REGISTRY.values()), key=len, reverse=True)
    for line in lines:
        if line.startswith("measure") and "work on" in line:
            start, end = line.index("work on"), line.index("typical (screening)")
            current = None
            continue
        if start is None or end is None:
            continue
        if line.startswith("Not measured in this clip"):
            break
        head = line[:start].strip()
        label = next((lb for lb in labels if head.startswith(lb) and len(line) > 37 and line[37:58].strip()), None)
        if label is not None and line[:1] != " ":
            current = label
            cells[current] = ""
        if current is not None:
            cells[current] = (cells[current] + " " + line[start - 2 : end].strip()).strip()
    return cells


def test_pdf_shows_the_stored_judgement(treadmill_analysis, tmp_path: Path) -> None:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    report, clean = treadmill_analysis
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(handout_pdf(report, [], clean=clean))
    text = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    cells = {k: re.sub(r"\s+", " ", v) for k, v in _pdf_mark_cells(text).items()}
    for name, a in _judged(report).items():
        assert a.label in cells, (a.label, sorted(cells))
        assert _marks_in(cells[a.label]) == _expected_marks(a), (name, cells[a.label])


def test_assessments_csv_holds_the_stored_judgement(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    rows = {r["Measure"]: r for r in csv.DictReader(io.StringIO(assessments_csv(report)))}
    for name, a in _judged(report).items():
        row = rows[a.label]
        assert row["Work on (screening line)"] == a.screening and row["Among runners (typical range)"] == a.typical
        assert row["Value"] == REGISTRY[name].format(a.value, with_unit=False), name
        good = REGISTRY[name].format(a.uncertainty, with_unit=False) if a.good_to else ""
        assert row["Good to (±)"] == good, name
    withheld = [s.label for s in REGISTRY.values() if not s.validated]
    assert all(rows[lb]["Value"] == "" for lb in withheld if lb in rows)


def _shifted(report: GaitReport, by_uncertainty: float) -> GaitReport:
    """A copy with every judged value moved by ``by_uncertainty`` × its uncertainty (then judged again, as an
    analysis of such a run would be)."""
    judged = assessments_of(report)
    metrics = {}
    for name, m in report.metrics.items():
        u = judged[name].uncertainty
        if m.value is None or u is None:
            metrics[name] = m
            continue
        metrics[name] = dataclasses.replace(m, value=m.value + by_uncertainty * u)
    return with_assessments(dataclasses.replace(report, metrics=metrics))


def test_compare_reads_both_sessions_judgements(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    judged = _judged(report)
    itself = compare_reports(report, report)
    for name, a in judged.items():
        d = itself.delta(name)
        assert (d.zone_before, d.zone_after) == (a.screening, a.screening), name  # borderline stays borderline
        assert d.direction == "same", name
    sized = [n for n, a in judged.items() if a.uncertainty is not None]  # a doubted value has no band to move by
    assert len(sized) >= 10
    small = compare_reports(report, _shifted(report, 0.5))
    for name in sized:
        assert small.delta(name).direction == "same", name  # within both sessions' uncertainties: noise
    large = compare_reports(report, _shifted(report, 3.0))
    after = assessments_of(_shifted(report, 3.0))
    for name in sized:
        d = large.delta(name)
        assert d.direction != "same", name
        assert d.zone_after == after[name].screening, name


def test_batch_summary_row_holds_the_stored_judgement(treadmill_analysis, tmp_path: Path) -> None:
    report, _ = treadmill_analysis
    row = summary_row(Job(Path(report.video.path), tmp_path), "analysed", report)
    judged = assessments_of(report)
    for name in (n for n in row if n in REGISTRY):
        a = judged[name]
        value = REGISTRY[name].format(a.value, with_unit=False) if a.measured else ""
        assert row[name] == value, name  # at the registry's precision
        assert (row[f"{name}_work_on"], row[f"{name}_among_runners"]) == (a.screening, a.typical), name
    shown = [c.title for c in report.cues]
    assert shown and all(t in row["cues"] for t in shown)  # every cue the runner reads, not only watch/flag


def _outside_both_sides(report: GaitReport) -> list[Any]:
    """The metric rows whose overall value, as shown, lies outside both sides as shown; each must say why."""
    from gait.outputs.wording import metric_rows

    outside = []
    for r in metric_rows(report, include_unmeasured=False):
        if not (r.left and r.right):
            continue
        shown = float(r.value.split()[0].rstrip("°%"))
        lo, hi = sorted((float(r.left), float(r.right)))
        if not lo <= shown <= hi:
            assert "trimmed means of their own strides" in r.note, (r.label, r.value, r.left, r.right, r.note)
            outside.append(r)
    return outside


def test_an_overall_value_outside_both_sides_says_why(treadmill_analysis, walking_analysis) -> None:
    """Overall and each side are 10 %-trimmed means of their own strides, so the overall value can lie outside
    both (MediaPipe's reading of the sample: a contact time of 335 ms with L 334 / R 322). Wherever it does on the
    real clips, the row says why; and the sample's own contact time put there (as MediaPipe read it) says so."""
    from gait.metrics.assessment import with_assessments

    for report, _ in (walking_analysis, treadmill_analysis):
        already = {r.label for r in _outside_both_sides(report)}
    m = report.metrics["ground_contact_time_ms"]
    assert m.left is not None and m.right is not None
    lo, hi = sorted((m.left, m.right))
    moved = dataclasses.replace(m, value=hi + 0.3 * (hi - lo) + 2.0)
    metrics = {**report.metrics, "ground_contact_time_ms": moved}
    outside = _outside_both_sides(with_assessments(dataclasses.replace(report, metrics=metrics)))
    assert {r.label for r in outside} == already | {"Ground contact time"}, outside
