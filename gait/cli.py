"""The ``gait`` command: argument parsing and printing only; the work is in :mod:`gait.pipeline`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from gait.config import AnalysisConfig
from gait.errors import GaitError

EXIT_USAGE_OR_INPUT = 2


def _positive(kind: type[float]) -> object:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gait`` command."""
    p = argparse.ArgumentParser(prog="gait", description="Running gait and posture analysis from phone video.")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="analyse one treadmill video")
    a.add_argument("video", help="video file (mp4, mov, m4v, avi, webm)")
    a.add_argument("--out", required=True, help="output folder for report.json, metrics.csv, pose.npz")
    a.add_argument("--view", choices=["auto", "side", "rear", "front"], default="auto")
    a.add_argument("--height-cm", type=_positive(float), help="runner height, for lengths in cm")
    a.add_argument("--belt-speed-kmh", type=_positive(float), help="treadmill speed, for step length")
    a.add_argument("--capture-fps", type=_positive(float), help="capture rate of a slow-motion clip (120, 240)")
    a.add_argument("--model", default="full", help="pose model: lite, full (default), heavy, or a .task path")
    a.add_argument(
        "--max-people",
        type=int,
        choices=[1, 2, 3],
        default=2,
        help="people tracked at once (1 is ~40%% faster when the runner is alone in view)",
    )
    a.add_argument("--workers", type=int, default=None, help="processes for pose (default: available cores)")
    a.add_argument("--no-cache", action="store_true", help="re-run pose even if OUT/pose.npz exists")
    a.add_argument("--no-video", action="store_true", help="skip the annotated video (annotated.mp4)")
    a.add_argument("--slow", type=_positive(float), default=None, help="also write a slowed copy, e.g. 4 = 0.25x")
    a.add_argument("--blur-face", action="store_true", help="pixelate the runner's face in the annotated video")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


class _Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.last = -1

    def __call__(self, stage: str, fraction: float) -> None:
        if not self.enabled:
            return
        pct = int(100 * fraction)
        if pct == self.last:
            return
        self.last = pct
        bar = "#" * (pct // 4)
        sys.stderr.write(f"\r{stage:<9} [{bar:<25}] {pct:3d}%")
        if fraction >= 1.0:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _analyze(args: argparse.Namespace) -> int:
    from gait.export import summary_text, write_outputs
    from gait.pipeline import analyze_video

    config = AnalysisConfig(
        view=args.view,
        height_cm=args.height_cm,
        belt_speed_kmh=args.belt_speed_kmh,
        capture_fps=args.capture_fps,
        model=args.model,
        max_people=args.max_people,
    )
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise GaitError(f"{out}: exists and is not a folder; give --out a folder path.")
    out.mkdir(parents=True, exist_ok=True)
    cache = out / "pose.npz"
    if args.no_cache:
        cache.unlink(missing_ok=True)
    progress = _Progress(not args.quiet)
    if args.workers is not None and args.workers < 1:
        raise GaitError(f"--workers {args.workers}: give 1 or more worker processes.")
    report, clean = analyze_video(args.video, config, progress=progress, pose_cache=cache, workers=args.workers)
    paths = write_outputs(report, out)  # the report is safe on disk before the (optional) rendering
    print(summary_text(report))
    written = [paths["report"], paths["metrics"]]
    if not args.no_video:
        from gait.render import render_annotated

        speeds = [(1.0, out / "annotated.mp4")] + ([(args.slow, out / "annotated_slow.mp4")] if args.slow else [])
        for factor, target in speeds:
            try:
                written.append(
                    render_annotated(
                        report, clean, target, slow_factor=factor, blur_faces=args.blur_face, progress=progress
                    )
                )
            except (OSError, ValueError, RuntimeError) as exc:  # the report and metrics are already written
                print(
                    f"gait: warning: the annotated video could not be written ({exc}); "
                    "report.json and metrics.csv are complete.",
                    file=sys.stderr,
                )
                break
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gait`` command. Returns the exit status (2 for bad input)."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    args = build_parser().parse_args(argv)
    try:
        if args.command == "analyze":
            return _analyze(args)
    except GaitError as exc:
        print(f"gait: error: {exc}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except KeyboardInterrupt:
        print("gait: interrupted; nothing half-written was left behind.", file=sys.stderr)
        return 130
    return EXIT_USAGE_OR_INPUT


if __name__ == "__main__":
    sys.exit(main())
