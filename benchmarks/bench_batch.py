"""Batch throughput: sequential in one process vs a local pool of 2 processes vs a Dask LocalCluster of 2
workers on loopback, on the same videos, side by side in one run (ratios, not absolute times).

Usage: python benchmarks/bench_batch.py [N_VIDEOS] [SECONDS_EACH]

The videos are cut from the longest running clip in ../shared/clips (re-encoded, different start times). Also
checks that all three runs wrote byte-identical report.json files.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_pipeline import longest_running_clip  # noqa: E402
from gait import AnalysisConfig  # noqa: E402
from gait.workflows.batch import run_batch  # noqa: E402
from tests.support import corpus  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 6.0
    src = longest_running_clip()
    cfg = AnalysisConfig(max_people=1)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        videos = d / "videos"
        videos.mkdir()
        for i in range(n):
            flip = (lambda img: img[:, ::-1]) if i % 2 else None
            corpus.transcode(videos, src, f"clip{i}.mp4", max_s=seconds, transform=flip, retime=1.0 + 0.01 * i)
        times = {}
        t = time.perf_counter()
        run_batch(videos, d / "seq", cfg, processes=1)
        times["sequential, 1 process"] = time.perf_counter() - t
        t = time.perf_counter()
        run_batch(videos, d / "pool", cfg, processes=2)
        times["local pool, 2 processes"] = time.perf_counter() - t
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
            t = time.perf_counter()
            run_batch(videos, d / "dask", cfg, scheduler=cluster.scheduler_address)
            times["Dask LocalCluster, 2 workers"] = time.perf_counter() - t
        reports = sorted((d / "seq").glob("*/report.json"))
        same = len(reports) == n and all(
            (d / run / p.relative_to(d / "seq")).read_bytes() == p.read_bytes()
            for p in reports
            for run in ("pool", "dask")
        )
        base = times["sequential, 1 process"]
        print(f"# {n} videos × {seconds:g} s cut from {src.name}; identical reports: {same}")
        print("| run | seconds | speed-up vs sequential |")
        print("|---|---|---|")
        for k, v in times.items():
            print(f"| {k} | {v:.1f} | {base / v:.2f} |")


if __name__ == "__main__":
    main()
