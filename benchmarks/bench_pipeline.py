"""Speed of ``analyze_video`` (default settings) against the pose loop anyone would write by hand, side by side.

Usage: python benchmarks/bench_pipeline.py [--repeat 3] [--out benchmarks/RESULTS.md]

The baseline is the bare loop: PyAV decode → MediaPipe PoseLandmarker (VIDEO mode, one person, full model) over
every frame. Both clips are made at benchmark time from the shared treadmill clip with PyAV (nothing binary is
committed): 720×1280 at 30 fps looped to 24 s, and the same upscaled to 1080×1920 at 60 fps (each frame twice).
Runs are interleaved (baseline, candidates, baseline, ...) and repeated; the table gives medians of wall and CPU
time (this process and its children) and the speed ratio baseline / candidate (> 1: faster than the bare loop).
An accuracy section compares the 1-person and 2-person pose against the hand-labelled contacts of the clip.
With ``--out`` the speed sections of RESULTS.md between the ``<!-- bench_pipeline -->`` markers are replaced.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gait import AnalysisConfig, analyze_pose, analyze_video  # noqa: E402
from gait.capture.chunks import chunk_bounds  # noqa: E402
from gait.capture.detections import POSE_MAX_SIDE_PX, RawDetections, prefetch  # noqa: E402
from gait.capture.parallel import _chunk  # noqa: E402
from gait.capture.pose import assemble_pose, create_landmarker, extract_pose, quiet_native_logs  # noqa: E402
from gait.capture.probe import probe_video  # noqa: E402
from gait.capture.video import iter_frames  # noqa: E402
from gait.core.types import GaitReport, PoseSequence, VideoInfo  # noqa: E402

SHARED = Path(os.environ.get("GAIT_SHARED_DIR", ROOT.parent / "shared"))
CLIP = SHARED / "clips" / "treadmill_side_male_30fps.mp4"
WALK = SHARED / "clips" / "walking_side_outdoor_sports2d.mp4"
LABELS = SHARED / "clips" / "labels" / "treadmill_side_male_30fps.contacts.json"
BASE = "(b1) bare loop, 1 person (baseline)"
BEGIN, END = "<!-- bench_pipeline: begin -->", "<!-- bench_pipeline: end -->"


def make_clip(src: Path, dst: Path, loops: int, size: tuple[int, int] | None = None, repeat: int = 1) -> Path:
    """Re-encode ``src`` played ``loops`` times (H.264, CRF 18), resized to ``size`` (w, h), each frame written
    ``repeat`` times at ``repeat`` × the source rate (a 60 fps clip from a 30 fps one)."""
    with av.open(str(src)) as inp:
        vin = inp.streams.video[0]
        rate = Fraction(vin.average_rate) * repeat
        w, h = vin.codec_context.width, vin.codec_context.height
    w_out, h_out = size or (w, h)
    with av.open(str(dst), "w") as out:
        s = out.add_stream("libx264", rate=rate)
        s.width, s.height, s.pix_fmt = w_out, h_out, "yuv420p"
        s.options = {"preset": "veryfast", "crf": "18"}
        s.codec_context.time_base = 1 / rate
        n = 0
        for _ in range(loops):
            with av.open(str(src)) as inp:  # streamed: memory does not grow with the clip
                for frame in inp.decode(inp.streams.video[0]):
                    vf = frame.reformat(width=w_out, height=h_out, format="yuv420p")
                    for _ in range(repeat):
                        vf.pts, vf.time_base, n = n, s.codec_context.time_base, n + 1
                        for pkt in s.encode(vf):
                            out.mux(pkt)
        for pkt in s.encode():
            out.mux(pkt)
    return dst


def bare_loop(path: Path, num_poses: int = 1) -> None:
    """What anyone would write: decode every frame with PyAV and run the landmarker on it (VIDEO mode)."""
    import mediapipe as mp

    info = probe_video(path)
    with quiet_native_logs(), create_landmarker("full", num_poses=num_poses) as lm:
        for f in iter_frames(info, max_side_px=POSE_MAX_SIDE_PX):
            lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=f.rgb), int(f.time_s * 1000))


def previous_parallel(info: VideoInfo, workers: int = 2) -> PoseSequence:
    """The 2-worker pose as before issue 16: equal chunks, every chunk in a spawned worker (for comparison)."""
    bounds = chunk_bounds(info.duration_s, workers)
    parts: dict[int, RawDetections] = {}
    with ProcessPoolExecutor(max_workers=len(bounds), mp_context=mp.get_context("spawn")) as pool:
        futures = {pool.submit(_chunk, info, a, b, "full", 2): k for k, (a, b) in enumerate(bounds)}
        for fut in as_completed(futures):
            parts[futures[fut]] = fut.result()
    raw = RawDetections()
    for k in range(len(bounds)):
        raw.extend(parts[k], after_s=raw.times[-1] if raw.times else -float("inf"))
    return assemble_pose(info, raw, "full")


def cpu_s() -> float:
    """CPU time of this process and its finished children (user + system)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measure(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    t, c = time.perf_counter(), cpu_s()
    fn()
    return time.perf_counter() - t, cpu_s() - c


def bench_clip(path: Path, repeat: int) -> list[str]:
    """Interleaved runs of the baseline and the candidates on one clip; markdown table rows."""
    info = probe_video(path)
    runs: dict[str, Callable[[], object]] = {
        BASE: lambda: bare_loop(path, 1),
        "(b2) bare loop, 2 people": lambda: bare_loop(path, 2),
        "(c1) analyze, defaults, 1 worker": lambda: analyze_video(path, AnalysisConfig(), workers=1),
        "(c2) analyze, defaults, 2 workers": lambda: analyze_video(path, AnalysisConfig(), workers=2),
        "(c2') as (c2), previous split (equal chunks, all in workers)": lambda: analyze_pose(
            previous_parallel(info), info, AnalysisConfig()
        ),
    }
    wall: dict[str, list[float]] = {k: [] for k in runs}
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            w, c = measure(fn)
            wall[name].append(w)
            cpu[name].append(c)
            print(f"  {name}: {w:.2f} s wall, {c:.2f} s CPU", file=sys.stderr, flush=True)
    # Speed ratio per round (baseline and candidate ran next to each other), then the median over rounds.
    rows = [
        f"### {path.name}: {info.width}×{info.height}, {info.fps:g} fps, {info.n_frames} frames, "
        f"{info.duration_s:.1f} s",
        "",
        "| run | wall s (median) | CPU s (median) | speed vs (b1), wall | CPU vs (b1) |",
        "|---|---|---|---|---|",
    ]
    for name in runs:
        ratio = statistics.median(b / x for b, x in zip(wall[BASE], wall[name], strict=True))
        cratio = statistics.median(b / x for b, x in zip(cpu[BASE], cpu[name], strict=True))
        rows.append(
            f"| {name} | {statistics.median(wall[name]):.2f} | {statistics.median(cpu[name]):.2f} | "
            f"{ratio:.2f}× | {cratio:.2f}× |"
        )
    return rows


def contact_frames(report: GaitReport) -> list[int]:
    """Frames of the initial contacts in a report."""
    return sorted(e.frame for e in report.events if e.kind == "contact")


def compare(a: GaitReport, b: GaitReport) -> tuple[int, int, float]:
    """(events whose foot, kind or frame differ, events in ``a``, largest angle difference in degrees)."""
    ea = [(e.foot, e.kind, e.frame) for e in a.events]
    eb = [(e.foot, e.kind, e.frame) for e in b.events]
    moved = sum(x != y for x, y in zip(ea, eb, strict=False)) + abs(len(ea) - len(eb))
    angles = [k for k, m in a.metrics.items() if k.endswith("_deg") and m.value is not None]
    d_deg = max(abs((b.metrics[k].value or np.nan) - (a.metrics[k].value or np.nan)) for k in angles)
    return moved, len(ea), float(d_deg)


def accuracy_rows() -> list[str]:
    """The default path now against the default path before (same report events and angles?), and the 1-person
    pose against the 2-person one and the clip's hand-labelled contacts."""
    labels = json.loads(LABELS.read_text())["contacts_frames"]
    rows = [
        "### Accuracy: the same analysis as before, and against the hand-labelled contacts",
        "",
        "| clip | run | compared with | events moved | largest angle change | contacts vs labels: mean, max |",
        "|---|---|---|---|---|---|",
    ]
    for video, config in ((CLIP, AnalysisConfig(height_cm=178.0)), (WALK, AnalysisConfig())):
        info = probe_video(video)
        ref, _ = analyze_video(video, config, workers=1)  # 1 worker: the code path no change here touched
        runs: dict[str, GaitReport] = {}
        if chunk_bounds(info.duration_s, 2) != [(0.0, float("inf"))]:  # too short to split: one path only
            runs["defaults, 2 workers"] = analyze_video(video, config, workers=2)[0]
            runs["previous 2-worker split"] = analyze_pose(previous_parallel(info), info, config)[0]
        if video == CLIP:
            runs["--max-people 1 (1 person tracked)"] = analyze_video(video, config.with_(max_people=1), workers=1)[0]
        for name, rep in {"defaults, 1 worker (reference)": ref, **runs}.items():
            moved, n, d_deg = compare(ref, rep)
            if video == CLIP:
                found = contact_frames(rep)
                d = [min(abs(f - lab) for f in found) for lab in labels]
                vs = f"{np.mean(d):.2f}, {max(d)} frames"
            else:
                vs = "(no labels)"
            rows.append(f"| {video.name} | {name} | reference | {moved} of {n} | {d_deg:.2f}° | {vs} |")
    return rows


def frame_size_rows(sizes_px: list[int]) -> list[str]:
    """What feeding the landmarker a smaller frame costs (landmark px, events, angles) and saves (CPU time), on
    the real treadmill clip, default settings in one process."""
    info = probe_video(CLIP)
    config = AnalysisConfig(height_cm=178.0)

    def run(side_px: int) -> tuple[PoseSequence, float]:
        c = cpu_s()
        return extract_pose(info, frames=prefetch(iter_frames(info, max_side_px=side_px))), cpu_s() - c

    ref, ref_cpu = run(POSE_MAX_SIDE_PX)
    ref_report = analyze_pose(ref, info, config)[0]
    rows = [
        f"### {CLIP.name}: the landmarker fed a smaller frame (reference: longer side {POSE_MAX_SIDE_PX} px)",
        "",
        "| longer side px | landmark change px: median, 95th pct | events moved | largest angle change | CPU vs ref |",
        "|---|---|---|---|---|",
    ]
    for side_px in sizes_px:
        pose, cpu = run(side_px)
        both = ref.detected & pose.detected
        err = np.linalg.norm(pose.image_xy_px[both] - ref.image_xy_px[both], axis=-1)
        moved, n, d_deg = compare(ref_report, analyze_pose(pose, info, config)[0])
        rows.append(
            f"| {side_px} | {np.median(err):.1f}, {np.percentile(err, 95):.1f} | {moved} of {n} | {d_deg:.2f}° | "
            f"{ref_cpu / cpu:.2f}× |"
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, help="RESULTS.md whose speed sections are replaced")
    ap.add_argument("--clips", default="720p30,1080p60")
    ap.add_argument("--repeat-1080", type=int, default=None, help="rounds for 1080p60 (default: --repeat)")
    ap.add_argument("--loops-1080", type=int, default=2, help="1080p60 clip length in loops of the 12 s clip")
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("--frame-sizes", default="", help="also measure smaller pose frames, e.g. 960,640")
    args = ap.parse_args()
    if not CLIP.is_file():
        sys.exit(f"{CLIP} is missing (../shared/clips)")
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `python benchmarks/bench_pipeline.py {' '.join(sys.argv[1:])}`.",
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average at start {os.getloadavg()[0]:.1f}.",
        "",
    ]
    if not args.no_accuracy:  # first: the shorter part, and a failure there shows before the long runs
        lines += [*accuracy_rows(), ""]
        print("\n".join(lines), file=sys.stderr, flush=True)
    if args.frame_sizes:
        lines += [*frame_size_rows([int(x) for x in args.frame_sizes.split(",")]), ""]
    with tempfile.TemporaryDirectory() as tmp:
        makers = {
            "720p30": lambda: make_clip(CLIP, Path(tmp) / "tread720p30.mp4", loops=2),
            "1080p60": lambda: make_clip(
                CLIP, Path(tmp) / "tread1080p60.mp4", loops=args.loops_1080, size=(1080, 1920), repeat=2
            ),
        }
        for name in args.clips.split(","):
            print(f"{name}: encoding", file=sys.stderr, flush=True)
            rounds = args.repeat_1080 if name == "1080p60" and args.repeat_1080 else args.repeat
            lines += [*bench_clip(makers[name](), rounds), ""]
            write(args.out, lines)
    print("\n".join(lines))


def write(out: Path | None, lines: list[str]) -> None:
    """Replace the text between the markers of ``out`` (RESULTS.md) with ``lines``."""
    if out is None:
        return
    head, rest = out.read_text().split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    out.write_text(head + BEGIN + "\n" + "\n".join(lines).rstrip() + "\n" + END + tail)


if __name__ == "__main__":
    main()
