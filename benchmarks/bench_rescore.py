"""How long re-scoring an edited event list takes (the review panel's "every number follows at once").

    python -m benchmarks.bench_rescore

A 30 s synthetic runner at 60 fps (1800 frames): the re-score the app's review panel and ``gait analyze --events``
run after an edit (:func:`gait.workflows.analysis.rescore`, from the pose already in memory) with one contact moved,
against
the same analysis with the detected events, interleaved, median of 7 runs each. Prints both times and
their ratio; the target is well under a second for the edited run.
"""

from __future__ import annotations

import statistics
import time

from gait import AnalysisConfig, analyze_pose
from gait.core.labels import LabelledEvent
from gait.core.types import VideoInfo
from gait.synthetic.runner import make_pose
from gait.workflows.analysis import rescore


def main() -> None:
    """Run the benchmark and print its result."""
    pose = make_pose(fps=60.0, duration_s=30.0).pose
    info = VideoInfo("bench.mp4", 60.0, "60/1", pose.n_frames, 30.0, pose.width, pose.height, 0, "h264")
    config = AnalysisConfig(height_cm=175.0)
    report, clean = analyze_pose(pose, info, config)
    given = [LabelledEvent(e.kind, e.frame, e.foot) for e in report.events]
    k = next(i for i, e in enumerate(given) if e.kind == "contact" and e.frame > 600)
    given[k] = LabelledEvent("contact", given[k].frame + 3, given[k].foot)
    plain, edited = [], []
    for _ in range(7):
        t0 = time.perf_counter()
        analyze_pose(pose, info, config)
        t1 = time.perf_counter()
        rescore(report, clean, config, tuple(given))
        t2 = time.perf_counter()
        plain.append(t1 - t0)
        edited.append(t2 - t1)
    a, b = statistics.median(plain), statistics.median(edited)
    print(f"30 s at 60 fps: analysis {a * 1000:.0f} ms, with one contact moved {b * 1000:.0f} ms ({b / a:.2f}x)")


if __name__ == "__main__":
    main()
