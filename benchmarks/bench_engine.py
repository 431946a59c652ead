"""Speed of the two capture engines against the one-person bare loop, whole processes, side by side in one run.

Usage: python -m benchmarks.bench_engine [--repeat 2] [--seconds 24] [--clips 720p30,1080p60] [--profile]

Each run is a fresh ``python`` process (imports, model load and decoding included), interleaved round by round:
the bare loop (PyAV → PoseLandmarker VIDEO mode, ``num_poses=1``, benchmarks/bench_pipeline.py), then
``analyze_video`` with ``engine=mediapipe`` and ``engine=litert``, 1 and 2 workers. The clip is the shared treadmill
clip (720×1280, 30 fps) looped to ``--seconds`` (``720p30``) and the same upscaled to 1080×1920 at 60 fps, each
frame twice (``1080p60``). The
table gives medians of wall and CPU time and the ratios bare / candidate (> 1: faster than the bare loop). On a
shared machine (other processes using the cores) only the CPU ratio means anything; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GAIT_SHARED_DIR", ROOT.parent / "shared"))
CLIP = SHARED / "clips" / "treadmill_side_male_30fps.mp4"

RUNS = {
    "bare loop, 1 person (baseline)": "from benchmarks.bench_pipeline import bare_loop; bare_loop(P, 1)",
    "analyze, mediapipe, 1 worker": "analyze_video(P, AnalysisConfig(engine='mediapipe'), workers=1)",
    "analyze, mediapipe, 2 workers": "analyze_video(P, AnalysisConfig(engine='mediapipe'), workers=2)",
    "analyze, litert, 1 worker": "analyze_video(P, AnalysisConfig(engine='litert'), workers=1)",
    "analyze, litert, 2 workers": "analyze_video(P, AnalysisConfig(engine='litert'), workers=2)",
}
BASE = next(iter(RUNS))
#: with ``--profile``: where the CPU of ``analyze, litert`` goes (the pose pass alone; the analysis after it, from
#: a pose cached next to the clip before the rounds start)
PROFILE = {
    "litert pose pass alone": "from gait.capture.probe import probe_video; "
    "from gait.capture.parallel import extract_pose_parallel; "
    "extract_pose_parallel(probe_video(P), workers=1, engine='litert')",
    "analysis after pose (cached pose)": "analyze_video(P, AnalysisConfig(engine='litert'), workers=1, "
    "pose_cache=P.with_suffix('.npz'))",
}


def run_once(code: str, path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one fresh process running ``code`` on ``path``."""
    prog = f"from pathlib import Path; from gait import AnalysisConfig, analyze_video; P = Path({str(path)!r}); {code}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", prog], check=True, cwd=ROOT, env=env, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def bench(path: Path, repeat: int) -> list[str]:
    """Markdown rows for one clip."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in RUNS}
    if any(name in PROFILE for name in RUNS):
        run_once(PROFILE["analysis after pose (cached pose)"], path)  # fills the cache before the rounds
    for _ in range(repeat):
        for name, code in RUNS.items():
            times[name].append(run_once(code, path))
            print(name, times[name][-1], file=sys.stderr)
    base = statistics.median(w for w, _ in times[BASE])
    base_cpu = statistics.median(c for _, c in times[BASE])
    rows = []
    for name in RUNS:
        wall = statistics.median(w for w, _ in times[name])
        cpu = statistics.median(c for _, c in times[name])
        rows.append(
            f"| {path.name} | {name} | {wall:.1f} s | {cpu:.1f} s | {base / wall:.2f}× | {base_cpu / cpu:.2f}× |"
        )
    return rows


def main() -> int:
    """Make the clips, run, print the table."""
    from benchmarks.bench_pipeline import make_clip

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=24.0)
    ap.add_argument("--clips", default="720p30", help="comma-separated: 720p30, 1080p60")
    ap.add_argument("--profile", action="store_true", help="add the pose pass alone and the analysis after it")
    args = ap.parse_args()
    if args.profile:
        RUNS.update(PROFILE)
    loops = max(1, round(args.seconds / 12.0))
    with tempfile.TemporaryDirectory() as d:
        which = args.clips.split(",")
        clips = []
        if "720p30" in which:
            clips.append(make_clip(CLIP, Path(d) / "treadmill_720p30.mp4", loops))
        if "1080p60" in which:
            clips.append(make_clip(CLIP, Path(d) / "treadmill_1080p60.mp4", loops, size=(1080, 1920), repeat=2))
        rows = [row for c in clips for row in bench(c, args.repeat)]
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| clip | run | wall | CPU | bare / run, wall | bare / run, CPU |\n|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
