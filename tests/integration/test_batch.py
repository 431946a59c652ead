"""Batch analysis: a folder through the CLI (process pool), resume after a finished run, one bad file reported
without stopping the rest, the same batch on a Dask LocalCluster with byte-identical reports; and the history
and compare commands on the results."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from gait import AnalysisConfig
from gait.workflows.batch import run_batch
from tests.support import corpus
from tests.support.caches import ClipCache
from tests.support.cli import run_cli, run_cli_in_process
from tests.support.paths import TREADMILL, clip


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory, clip_cache: ClipCache) -> Path:
    """Two short running clips (the first 4 s, and its mirror image) and a text file named .mp4."""
    d = tmp_path_factory.mktemp("batch_in")
    src = clip(TREADMILL)
    clip_cache.make(corpus.transcode, d, src, "runner_a.mp4", max_s=4.0)
    clip_cache.make(corpus.transcode, d, src, "runner_b.mp4", max_s=4.0, transform=lambda img: img[:, ::-1])
    corpus.text_as_mp4(d)  # notes.mp4
    return d


def read_summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_batch_cli_resume_and_dask_give_identical_reports(videos: Path, tmp_path: Path) -> None:
    out = tmp_path / "local"
    proc = run_cli("batch", str(videos), "--out", str(out), "--processes", "2", "--height-cm", "178", "--quiet")
    assert proc.returncode == 1, proc.stderr  # one video failed
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "3 videos: 2 analysed, 0 done earlier, 1 failed" in proc.stdout
    assert "notes.mp4" in proc.stdout and "not a video" in proc.stdout.lower()
    rows = {Path(r["video"]).name: r for r in read_summary(out)}
    assert rows.keys() == {"runner_a.mp4", "runner_b.mp4", "notes.mp4"}
    assert rows["notes.mp4"]["status"] == "error"
    for name in ("runner_a.mp4", "runner_b.mp4"):
        assert rows[name]["status"] == "analysed" and rows[name]["activity"] == "running"
        assert 150 <= float(rows[name]["cadence_spm"]) <= 190
        assert (Path(rows[name]["output"]) / "metrics.csv").is_file()
    reports = {n: Path(rows[n]["output"]) / "report.json" for n in ("runner_a.mp4", "runner_b.mp4")}
    stamps = {n: p.stat().st_mtime_ns for n, p in reports.items()}

    # Resume: finished videos are skipped (by content hash + settings), the failed one is tried again.
    again = run_batch(videos, out, AnalysisConfig(height_cm=178.0), processes=1)
    assert [r["status"] for r in again] == ["error", "done earlier", "done earlier"]  # sorted: notes, a, b
    assert {n: p.stat().st_mtime_ns for n, p in reports.items()} == stamps

    # Other settings → a new analysis, in its own folder.
    (other,) = run_batch(videos / "runner_a.mp4", tmp_path / "other", AnalysisConfig(), processes=1)
    assert other["status"] == "analysed" and other["output"] != rows["runner_a.mp4"]["output"]

    # The same batch on a Dask cluster of two worker processes on loopback: identical reports.
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        dask_rows = run_batch(
            videos, tmp_path / "dask", AnalysisConfig(height_cm=178.0), scheduler=cluster.scheduler_address
        )
    assert [r["status"] for r in dask_rows] == ["error", "analysed", "analysed"]
    for r in dask_rows[1:]:
        local = reports[Path(r["video"]).name]
        assert (Path(r["output"]) / "report.json").read_bytes() == local.read_bytes()

    # History and compare on the batch's reports, through the CLI.
    a, b = str(reports["runner_a.mp4"]), str(reports["runner_b.mp4"])
    cmp = run_cli_in_process("compare", a, b)
    assert cmp.returncode == 0, cmp.stderr
    assert "Cadence" in cmp.stdout and "cadence_spm" not in cmp.stdout and "direction" in cmp.stdout
    bad = run_cli_in_process("compare", a, str(videos / "notes.mp4"))
    assert bad.returncode == 2 and "not a gait report.json" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_history_cli_save_list_show_pdf_delete(videos: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    out = tmp_path / "one"
    proc = run_cli_in_process(
        "analyze", str(videos / "runner_a.mp4"), "--out", str(out), "--no-video", "--pdf", "--quiet",
        "--athlete", "Sam Runner", "--date", "2026-11-01", "--notes", "first visit", "--db", db,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "saved as session 1 of Sam Runner" in proc.stdout
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    listing = run_cli_in_process("history", "list", "--db", db)
    assert "2026-11-01" in listing.stdout and "Sam Runner" in listing.stdout and "first visit" in listing.stdout
    show = run_cli_in_process("history", "show", "1", "--db", db)
    assert "Cadence" in show.stdout and "cadence_spm" not in show.stdout
    cmp = run_cli_in_process("compare", "1", "1", "--db", db)
    assert cmp.returncode == 0 and "better" not in cmp.stdout
    pdf = run_cli_in_process("history", "pdf", "1", "--out", str(tmp_path / "again.pdf"), "--db", db)
    assert pdf.returncode == 0 and (tmp_path / "again.pdf").read_bytes().startswith(b"%PDF")
    assert run_cli_in_process("history", "delete", "1", "--db", db).returncode == 0
    gone = run_cli_in_process("history", "show", "1", "--db", db)
    assert gone.returncode == 2 and "No saved session 1" in gone.stderr
    assert os.path.getsize(db) > 0
