"""One set of files whatever the front end, and CSVs that carry only what the product reports (issue 24).

metrics.csv: no withheld metric (torso rotation), no empty column, no column repeating another, values at the
registry's precision. The CLI writes the app's files (curves.csv, assessments.csv) and the app's PDF (the
gait-cycle figure); the batch too, and its summary lists every cue the runner reads.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from gait.metrics.registry import REGISTRY
from gait.outputs.fileset import csv_columns, strides_csv
from gait.outputs.wording import column_label, shown_cues
from gait.workflows.batch import Job, summary_row
from tests.support.caches import PoseCache
from tests.support.cli import analyse_ok
from tests.support.paths import TREADMILL, clip


def test_metrics_csv_carries_only_reported_columns_at_registry_precision(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    rows = list(csv.DictReader(io.StringIO(strides_csv(report))))
    header = list(rows[0])
    withheld = [s.label for s in REGISTRY.values() if not s.validated]
    assert withheld and not [h for h in header if any(h.startswith(w) for w in withheld)], header  # torso rotation
    assert "Time (s)" not in header  # it repeated "Landing time (s)" on a side view
    assert all(any(r[h] != "" for r in rows) for h in header), "an always-empty column"
    for key in csv_columns(report):
        s = REGISTRY.get(key)
        if s is None:
            continue
        for r in rows:
            cell = r[column_label(key)]
            if cell:
                decimals = len(cell.split(".")[1]) if "." in cell else 0
                assert decimals == s.precision, (key, cell)


def test_the_cli_writes_the_apps_files_and_pdf(pose_cache: PoseCache, tmp_path: Path) -> None:
    out = tmp_path / "out"
    analyse_ok(clip(TREADMILL), out, "--pdf", "--height-cm", "178", pose_cache=pose_cache)
    for name in ("report.json", "metrics.csv", "assessments.csv", "curves.csv", "report.pdf"):
        assert (out / name).is_file(), name
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run([tool, str(out / "report.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Gait cycle" in text  # the figure the app's PDF has


def test_batch_summary_lists_every_cue_shown(treadmill_analysis, tmp_path: Path) -> None:
    report, _ = treadmill_analysis
    shown = shown_cues(report)
    assert any(c.severity not in ("watch", "flag") for c in shown)  # the sample has an info cue (heel strike)
    row = summary_row(Job(Path(report.video.path), tmp_path), "analysed", report)
    for c in shown:
        assert c.title in row["cues"], (c.title, row["cues"])


def test_a_withheld_metric_says_not_measured_once(treadmill_analysis) -> None:
    from gait.outputs.wording import metric_rows

    report, _ = treadmill_analysis
    rows = {r.name: r for r in metric_rows(report)}
    torso = rows["torso_rotation_deg"]
    assert not torso.measured and torso.value.startswith("not measured: ")
    assert all(r.value.count("not measured") <= 1 for r in rows.values()), [r.value for r in rows.values()]
