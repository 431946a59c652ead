"""Peak memory and process count of ``gait analyze`` against the clip's length and ``--workers``.

The treadmill clip is looped (re-encoded with PyAV, times continuing) to 1 and 9 minutes; each run is a fresh
``gait analyze`` subprocess whose whole process tree (main process, pose workers, resource tracker) is sampled
from /proc every 0.1 s: the peak of the summed resident memory and the most processes alive at once.

Usage: python benchmarks/bench_memory.py CLIP [--minutes 1 9] [--workers 1 999] [--model full]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.corpus import looped  # noqa: E402

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


def _rss_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB / 1024
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def measure(cmd: list[str]) -> dict[str, float]:
    """Run ``cmd``; its exit status, seconds, peak summed RSS (MB) and most processes alive at once."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_mb, peak_procs = 0.0, 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        peak_mb = max(peak_mb, sum(_rss_mb(p) for p in pids))
        peak_procs = max(peak_procs, len(pids))
        time.sleep(0.1)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode:
        print(err, file=sys.stderr)
    return {"rc": proc.returncode, "seconds": time.perf_counter() - t0, "peak_mb": peak_mb, "procs": peak_procs}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("clip", type=Path)
    ap.add_argument("--minutes", type=float, nargs="+", default=[1.0, 9.0])
    ap.add_argument("--workers", type=int, nargs="+", default=[999])
    ap.add_argument("--model", default="full")
    args = ap.parse_args()
    print(f"cores available: {len(os.sched_getaffinity(0))}")
    print("| clip | --workers | exit | seconds | peak RSS, all processes (MB) | most processes | MB per minute |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in args.minutes:
            video = looped(Path(tmp), args.clip, minutes)
            for workers in args.workers:
                out = Path(tmp) / f"out_{minutes:g}_{workers}"
                cmd = [sys.executable, "-m", "gait.cli", "analyze", str(video), "--out", str(out), "--quiet"]
                cmd += ["--no-video", "--max-people", "1", "--model", args.model, "--workers", str(workers)]
                r = measure(cmd)
                rows.append((minutes, workers, r))
                print(
                    f"| {minutes:g} min | {workers} | {r['rc']} | {r['seconds']:.0f} | {r['peak_mb']:.0f} | "
                    f"{r['procs']:.0f} | {r['peak_mb'] / minutes:.0f} |",
                    flush=True,
                )
    by = {(m, w): r for m, w, r in rows}
    for w in args.workers:
        lo, hi = min(args.minutes), max(args.minutes)
        if (lo, w) in by and (hi, w) in by and lo != hi:
            ratio = by[(hi, w)]["peak_mb"] / by[(lo, w)]["peak_mb"]
            print(f"\n--workers {w}: peak RSS {hi:g} min / {lo:g} min = {ratio:.2f} (clip {hi / lo:.0f}x longer)")


if __name__ == "__main__":
    main()
