"""Peak memory of an analysis against the clip's length: 1 min vs 5 min of synthetic 1080p video.

Each analysis runs in a fresh subprocess; its peak resident memory (ru_maxrss, children included) is reported.
Usage: python benchmarks/bench_memory.py [--minutes 1 5] [--fps 30]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from gait import AnalysisConfig, GaitError, analyze_video
t = time.perf_counter()
try:
    analyze_video({video!r}, AnalysisConfig(), workers=2)
    outcome = "report"
except GaitError as exc:
    outcome = type(exc).__name__
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"outcome": outcome, "seconds": time.perf_counter() - t, "self_mb": self_kb / 1024,
                  "workers_mb": kids_kb / 1024}}))
"""


def make_video(path: Path, seconds: float, fps: int = 30, size: tuple[int, int] = (1920, 1080)) -> None:
    """A cheap 1080p H.264 clip: a moving gradient with a dark figure-like block (no real person)."""
    w, h = size
    base = np.tile(np.linspace(40, 200, w, dtype=np.uint8)[None, :, None], (h, 1, 3))
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=Fraction(fps))
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.options = {"preset": "ultrafast", "crf": "30"}
        for k in range(int(seconds * fps)):
            img = np.roll(base, 8 * k, axis=1)
            x = int(w / 2 + 200 * np.sin(k / 10))
            img[h // 4 : 3 * h // 4, x : x + 120] = 30
            for pkt in s.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                c.mux(pkt)
        for pkt in s.encode():
            c.mux(pkt)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, nargs="+", default=[1.0, 5.0])
    ap.add_argument("--fps", type=int, default=30)
    args = ap.parse_args()
    print("| clip | frames | outcome | seconds | peak RSS main (MB) | peak RSS worker (MB) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in args.minutes:
            video = Path(tmp) / f"synthetic_{minutes:g}min.mp4"
            make_video(video, minutes * 60, args.fps)
            t = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", CHILD.format(root=str(ROOT), video=str(video))],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            n = int(minutes * 60 * args.fps)
            print(
                f"| {minutes:g} min 1080p{args.fps} | {n} | {r['outcome']} | {time.perf_counter() - t:.0f} | "
                f"{r['self_mb']:.0f} | {r['workers_mb']:.0f} |"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
