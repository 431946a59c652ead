"""Speed of the pipeline against the bare pose loop, side by side in one process (ratios, not absolute times).

Usage: python benchmarks/bench_pipeline.py [CLIP] [--models lite,full,heavy] [--repeat 1]

(a) decode only; (b) a bare MediaPipe PoseLandmarker loop over the same frames (one person, what anyone would
write by hand; also with two people, our default); (c) ``analyze`` without rendering (1 worker, and all cores);
(d) ``analyze`` with the annotated video; (e) re-analysis from the cached pose (a threshold change).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gait import AnalysisConfig, analyze_pose, analyze_video  # noqa: E402
from gait.parallel import available_cores  # noqa: E402
from gait.pose import POSE_MAX_SIDE_PX, create_landmarker, quiet_native_logs  # noqa: E402
from gait.render import render_annotated  # noqa: E402
from gait.video import iter_frames, probe_video  # noqa: E402

SHARED = ROOT.parent / "shared"


def longest_running_clip() -> Path:
    clips = [p for p in (SHARED / "clips").glob("*.mp4") if "walk" not in p.name]
    if not clips:
        sys.exit("no clip given and ../shared/clips has no running clip")
    return max(clips, key=lambda p: probe_video(p).duration_s)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def bare_loop(info, model: str, num_poses: int) -> None:
    import mediapipe as mp

    with quiet_native_logs(), create_landmarker(model, num_poses=num_poses) as lm:
        for f in iter_frames(info, max_side_px=POSE_MAX_SIDE_PX):
            lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=f.rgb), int(f.time_s * 1000))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("clip", nargs="?")
    ap.add_argument("--models", default="lite,full,heavy")
    args = ap.parse_args()
    os.environ.setdefault("GAIT_MODEL_DIR", str(SHARED / "models"))
    clip = Path(args.clip) if args.clip else longest_running_clip()
    info = probe_video(clip)
    n, dur = info.n_frames, info.duration_s
    cores = available_cores()
    print(f"# {clip.name}: {info.width}x{info.height}, {info.fps:g} fps, {n} frames, {dur:.1f} s")
    print(
        f"# machine: {platform.platform()}, {platform.processor() or platform.machine()}, {cores} cores, "
        f"Python {platform.python_version()}"
    )
    print("| model | stage | seconds | frames/s | real-time factor | ratio |")
    print("|---|---|---|---|---|---|")
    for model in args.models.split(","):
        bench_model(clip, info, model, cores)


def bench_model(clip: Path, info, model: str, cores: int) -> None:
    """Print one table block for one model."""
    n, dur = info.n_frames, info.duration_s
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "pose.npz"
        cfg1 = AnalysisConfig(model=model, max_people=1)
        cfg2 = AnalysisConfig(model=model)
        t_a = timed(lambda: sum(1 for _ in iter_frames(info, max_side_px=POSE_MAX_SIDE_PX)))
        t_b1 = timed(lambda: bare_loop(info, model, 1))
        t_b2 = timed(lambda: bare_loop(info, model, 2))
        t_c1 = timed(lambda: analyze_video(clip, cfg1, workers=1))
        t_c2 = timed(lambda: analyze_video(clip, cfg2, workers=1))
        t_cn = timed(lambda: analyze_video(clip, cfg2, workers=cores))
        t_cn1 = timed(lambda: analyze_video(clip, cfg1, workers=cores))
        result: dict[str, object] = {}
        t_cc = timed(lambda: result.update(r=analyze_video(clip, cfg2, workers=cores, pose_cache=cache)))
        report, clean = result["r"]  # type: ignore[misc]
        t_d = t_cc + timed(lambda: render_annotated(report, clean, Path(tmp) / "a.mp4"))
        from gait.types import PoseSequence

        pose = PoseSequence.load(cache)
        t_e = timed(lambda: analyze_pose(pose, info, cfg2.with_(trunk_lean_flag_deg=14.0)))
        rows = [
            ("(a) decode only", t_a, ""),
            ("(b1) bare loop, 1 person", t_b1, ""),
            ("(b2) bare loop, 2 people", t_b2, ""),
            ("(c1) analyze, 1 worker, 1 person", t_c1, f"(c1)/(b1) speed = {t_b1 / t_c1:.2f}"),
            ("(c2) analyze, 1 worker, 2 people", t_c2, f"(c2)/(b2) speed = {t_b2 / t_c2:.2f}"),
            (f"(cN) analyze, {cores} workers, 2 people", t_cn, f"throughput = {t_b2 / t_cn:.2f} × (b2)"),
            (f"(cN1) analyze, {cores} workers, 1 person", t_cn1, f"throughput = {t_b1 / t_cn1:.2f} × (b1)"),
            ("(d) analyze + annotated video", t_d, f"(d)/(c) time = {t_d / t_cc:.2f}"),
            ("(e) re-analysis from cached pose", t_e, f"(e)/(c) time = {100 * t_e / t_cc:.2f} %"),
        ]
        for name, t, ratio in rows:
            print(f"| {model} | {name} | {t:.2f} | {n / t:.1f} | {dur / t:.2f} | {ratio} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
