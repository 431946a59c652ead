"""The ``gait`` command: argument parsing and printing only; the work is in :mod:`gait.pipeline`."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gait.config import AnalysisConfig
from gait.errors import GaitError, Terminated, one_line, os_error_message, stop_request, write_crash_log

if TYPE_CHECKING:
    from gait.clean import CleanPose
    from gait.types import GaitReport

EXIT_USAGE_OR_INPUT = 2


def _positive(kind: type[float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
        return value

    return parse


def _in_range(setting: str) -> Callable[[str], float]:
    """An argparse type: a number within the plausible range of ``setting`` (:data:`gait.ranges.RANGES`)."""
    from gait.ranges import RANGES, SettingError, check_range

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            lo, hi, unit, _ = RANGES[setting]
            raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0 (plausible: {lo:g}-{hi:g} {unit})")
        try:
            return check_range(setting, value)
        except SettingError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _session_id(text: str) -> int:
    """A history session id: a whole number that SQLite can hold."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a session id (a whole number)") from None
    if not 1 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{text!r} is not a session id; `gait history list` shows the saved ones")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gait`` command."""
    p = argparse.ArgumentParser(prog="gait", description="Running gait and posture analysis from phone video.")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="analyse one treadmill video")
    a.add_argument("video", help="video file (mp4, mov, m4v, avi, webm)")
    a.add_argument("--out", required=True, help="output folder for report.json, metrics.csv, pose.npz")
    _settings_args(a)
    a.add_argument("--workers", type=int, default=None, help="processes for pose (default: available cores)")
    a.add_argument("--no-cache", action="store_true", help="re-run pose even if OUT/pose.npz exists")
    a.add_argument("--events", help="score these events instead of the detected ones (labels JSON or a report.json)")
    a.add_argument("--reviewed-by", help="with --events: who reviewed the events (named in the report and the PDF)")
    a.add_argument(
        "--key-frame", type=int, help="the contact frame to show in the PDF for that foot (default: a typical one)"
    )
    a.add_argument("--rear", help="a rear-view clip of the same run: one report from both views")
    a.add_argument("--no-video", action="store_true", help="skip the annotated video (annotated.mp4)")
    a.add_argument(
        "--slow", type=_in_range("slow_factor"), default=None, help="also write a slowed copy, e.g. 4 = 0.25x"
    )
    a.add_argument("--blur-face", action="store_true", help="pixelate the runner's face in the annotated video")
    a.add_argument("--pdf", action="store_true", help="also write report.pdf, a one-to-two-page client handout")
    a.add_argument("--athlete", help="save the analysis to the history under this athlete name or ID")
    a.add_argument("--date", help="date of the run for the history (YYYY-MM-DD, default today)")
    a.add_argument("--notes", default="", help="notes saved with the session")
    _db_arg(a)
    a.add_argument("--quiet", action="store_true", help="no progress bar")

    b = sub.add_parser("batch", help="analyse many videos (a folder or a quoted glob); resumes where it stopped")
    b.add_argument("videos", help="folder of videos, or a quoted pattern such as 'clips/*.mp4'")
    b.add_argument("--out", required=True, help="output folder: one sub-folder per video and summary.csv")
    _settings_args(b)
    b.add_argument("--processes", type=int, default=None, help="local worker processes (default: available cores)")
    b.add_argument("--scheduler", help="run on a Dask cluster instead, e.g. tcp://10.0.0.5:8786")
    b.add_argument("--pdf", action="store_true", help="also write a PDF handout (report.pdf) per video")
    b.add_argument("--quiet", action="store_true", help="no progress bar")

    v = sub.add_parser("validate", help="compare detected events with hand labels or a lab reference")
    v.add_argument("video", help="the labelled video")
    v.add_argument("--labels", required=True, help="labels JSON (events with kind and frame; see docs/ACCURACY.md)")
    v.add_argument("--out", help="folder to cache the pose in (pose.npz) and write report.json")
    _settings_args(v)
    v.add_argument("--quiet", action="store_true", help="no progress bar")

    c = sub.add_parser("compare", help="compare two sessions of one athlete (history ids or report.json paths)")
    c.add_argument("before", help="earlier session: history id or report.json")
    c.add_argument("after", help="later session: history id or report.json")
    _db_arg(c)

    h = sub.add_parser("history", help="list, show, export or delete saved sessions")
    hs = h.add_subparsers(dest="action", required=True)
    hl = hs.add_parser("list", help="saved sessions (of one athlete with --athlete)")
    hl.add_argument("--athlete")
    _db_arg(hl)
    for name, text in (("show", "print a saved session"), ("delete", "delete a saved session")):
        x = hs.add_parser(name, help=text)
        x.add_argument("id", type=_session_id)
        _db_arg(x)
    hp = hs.add_parser("pdf", help="write a saved session's PDF handout")
    hp.add_argument("id", type=_session_id)
    hp.add_argument("--out", required=True, help="the .pdf to write")
    _db_arg(hp)
    return p


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="history file (default: $GAIT_HISTORY or ~/.local/share/gait/history.sqlite3)")


def _settings_args(a: argparse.ArgumentParser) -> None:
    a.add_argument("--view", choices=["auto", "side", "rear", "front"], default="auto")
    a.add_argument("--height-cm", type=_in_range("height_cm"), help="runner height (100-230), for lengths in cm")
    a.add_argument("--belt-speed-kmh", type=_in_range("belt_speed_kmh"), help="treadmill speed (3-30), for step length")
    a.add_argument("--capture-fps", type=_in_range("capture_fps"), help="capture rate of a slow-motion clip (120, 240)")
    a.add_argument("--model", default="full", help="pose model: lite, full (default), heavy, or a .task path")
    a.add_argument(
        "--max-people",
        type=int,
        choices=[1, 2, 3],
        default=2,
        help="people tracked at once (1 is ~40%% faster when the runner is alone in view)",
    )


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


def _config(args: argparse.Namespace) -> AnalysisConfig:
    return AnalysisConfig(
        view=args.view,
        height_cm=args.height_cm,
        belt_speed_kmh=args.belt_speed_kmh,
        capture_fps=args.capture_fps,
        model=args.model,
        max_people=args.max_people,
    )


ANALYZE_OUTPUTS = (
    "report.json",
    "metrics.csv",
    "pose.npz",
    "pose_rear.npz",
    "annotated.mp4",
    "annotated_slow.mp4",
    "report.pdf",
)


def _check_run_options(args: argparse.Namespace) -> None:
    """Every option of ``gait analyze`` that can be checked before any work, one line each when wrong."""
    from gait.parallel import available_cores
    from gait.ranges import check_range, check_workers

    args.workers = check_workers(args.workers, available_cores())
    if args.slow is not None:
        check_range("slow_factor", args.slow)
    from gait.history import athlete_name, run_date

    if args.athlete is not None and not args.athlete.strip():
        raise GaitError("--athlete is empty; give the athlete's name or ID to save the session under.")
    if args.athlete is not None:
        args.athlete = athlete_name(args.athlete)
    if args.date is not None:
        args.date = run_date(args.date)
        if not (args.athlete or args.pdf):
            raise GaitError(
                "--date is the date of the run for the history or the PDF: give it with --athlete or --pdf."
            )
    if args.reviewed_by is not None and not args.events:
        raise GaitError("--reviewed-by names who reviewed the events: give it together with --events FILE.")
    if args.key_frame is not None and not (args.pdf or args.athlete):
        raise GaitError("--key-frame picks the PDF's contact frame: give it together with --pdf (or --athlete).")


def _analyze(args: argparse.Namespace) -> int:
    """Check every setting and the output folder before any work, then run with the folder locked."""
    from gait.outputs import check_output_dir, locked_output_dir

    config = _config(args)
    _check_run_options(args)
    created = not Path(args.out).exists()
    out = check_output_dir(args.out, ANALYZE_OUTPUTS, inputs=[args.video, *([args.rear] if args.rear else [])])
    with locked_output_dir(out):
        try:
            return _analyze_in(args, config, out)
        except BaseException:
            if created:  # a refused video leaves no empty folder behind (only while holding it: not another run's)
                with contextlib.suppress(OSError):
                    out.rmdir()
            raise


def _with_rear_view(args: argparse.Namespace, config: AnalysisConfig, side: GaitReport, out: Path) -> GaitReport:
    """Analyse the rear clip of the same run and merge it into the side report (:func:`gait.session.add_rear_view`)."""
    from gait.session import add_rear_view

    merged, _, _ = add_rear_view(
        side, args.rear, config, side_name=str(args.video), pose_cache=out / "pose_rear.npz", workers=args.workers
    )
    return merged


def _analyze_in(args: argparse.Namespace, config: AnalysisConfig, out: Path) -> int:
    from gait import pipeline
    from gait.export import summary_text, write_outputs
    from gait.session import contact_choice, rescore, with_review

    cache = out / "pose.npz"
    if args.no_cache:
        cache.unlink(missing_ok=True)
    progress = _Progress(not args.quiet)
    edits = None
    if args.events:
        from gait.validate import check_labels_fit, load_labels
        from gait.video import probe_video

        labels = load_labels(args.events)
        info = probe_video(args.video, capture_fps=config.capture_fps)
        check_labels_fit(labels, info.n_frames, str(args.events), feet_needed=True)
        edits = labels.events
    report, clean = pipeline.analyze_video(
        args.video, config, progress=progress, pose_cache=cache, workers=args.workers, event_edits=edits
    )
    if edits is not None:
        detected, _ = rescore(report, clean, config, None)
        report = with_review(report, detected.events, args.reviewed_by)
    chosen = contact_choice(report, args.key_frame) if args.key_frame is not None else None
    if args.rear:
        report = _with_rear_view(args, config, report, out)
    paths = write_outputs(report, out)  # the report is safe on disk before the (optional) rendering
    print(summary_text(report))
    written = [paths["report"], paths["metrics"]]
    if not args.no_video:
        written += _write_videos(args, report, clean, out, progress)
    if args.pdf or args.athlete:
        written += _pdf_and_history(args, report, clean, out, chosen)
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def _write_videos(
    args: argparse.Namespace, report: GaitReport, clean: CleanPose, out: Path, progress: _Progress
) -> list[Path]:
    """annotated.mp4 (and the slowed copy); a warning, not a failure, when the video cannot be written."""
    from gait.session import write_annotated

    written: list[Path] = []
    speeds = [(1.0, out / "annotated.mp4")] + ([(args.slow, out / "annotated_slow.mp4")] if args.slow else [])
    for factor, target in speeds:
        try:
            written.append(write_annotated(report, clean, target, factor, args.blur_face, progress))
        except (OSError, ValueError, RuntimeError) as exc:  # the report and metrics are already written
            print(
                f"gait: warning: the annotated video could not be written ({exc}); "
                "report.json and metrics.csv are complete.",
                file=sys.stderr,
            )
            break
    return written


def _pdf_and_history(
    args: argparse.Namespace, report: GaitReport, clean: CleanPose, out: Path, chosen: dict[str, int] | None
) -> list[Path]:
    """report.pdf and the history row, with the same key frames."""
    from gait.export import write_atomic
    from gait.session import handout_pdf, key_frames, save_row

    frames = key_frames(report, clean, args.blur_face, chosen)
    written: list[Path] = []
    if args.pdf:
        pdf = handout_pdf(report, frames, athlete=args.athlete, recorded_on=args.date, notes=args.notes)
        written.append(write_atomic(out / "report.pdf", pdf))
    if args.athlete:
        from gait.history import connect

        with connect(args.db) as conn:
            sid = save_row(conn, args.athlete, report, frames, recorded_on=args.date, notes=args.notes)
        print(f"saved as session {sid} of {args.athlete.strip()}")
    return written


def _validate(args: argparse.Namespace) -> int:
    from gait.cli_commands import validate

    return validate(args)


def _batch(args: argparse.Namespace) -> int:
    from gait.cli_commands import batch

    return batch(args)


def _compare(args: argparse.Namespace) -> int:
    from gait.cli_commands import compare

    return compare(args)


def _history(args: argparse.Namespace) -> int:
    from gait.cli_commands import history

    return history(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gait`` command. Returns the exit status (2 for bad input)."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    args = build_parser().parse_args(argv)
    previous = _stop_on_sigterm()
    try:
        if args.command == "analyze":
            return _analyze(args)
        if args.command == "batch":
            return _batch(args)
        if args.command == "compare":
            return _compare(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "history":
            return _history(args)
    except GaitError as exc:
        print(f"gait: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except OSError as exc:  # disk full, read-only, name too long, ...: which file, what, what to do
        print(f"gait: error: {one_line(os_error_message(exc))}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except (KeyboardInterrupt, Terminated) as exc:
        return _stopped(exc)
    except Exception as exc:  # last resort: one line and a log file with the traceback, never a traceback
        stop = stop_request(exc)  # a stop that Python wrapped on the way out (e.g. mid-import) is still a stop
        if stop is not None:
            return _stopped(stop)
        log = write_crash_log(exc, list(sys.argv[:1]) + list(argv if argv is not None else sys.argv[1:]))
        where = f"the details are in {log}" if log else "no log file could be written"
        print(
            f"gait: error: unexpected {type(exc).__name__}: {one_line(str(exc))[:300]} (a bug in gait; {where}; "
            "please report it with that file).",
            file=sys.stderr,
        )
        return EXIT_USAGE_OR_INPUT
    finally:
        _restore_sigterm(previous)
    return EXIT_USAGE_OR_INPUT


def _stopped(stop: KeyboardInterrupt | Terminated) -> int:
    """Say the run was stopped and return the conventional status: 130 for Ctrl-C, 143 for SIGTERM."""
    if isinstance(stop, Terminated):
        print("gait: stopped (SIGTERM); nothing half-written was left behind.", file=sys.stderr)
        return 143
    print("gait: interrupted; nothing half-written was left behind.", file=sys.stderr)
    return 130


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def _stop_on_sigterm() -> object:
    """Turn SIGTERM into :class:`Terminated` so every cleanup (workers, temp files) runs; the previous handler."""
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread (e.g. called from a test runner thread)
        return None


def _restore_sigterm(previous: object) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
