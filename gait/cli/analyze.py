"""``gait analyze``: check every setting and the output folder first, then analyse, write and print."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gait.cli.common import Progress, config_from_args, with_flags
from gait.core.config import AnalysisConfig
from gait.core.errors import GaitError

if TYPE_CHECKING:
    from gait.core.types import GaitReport
    from gait.kinematics.cleaned import CleanPose


ANALYZE_OUTPUTS = (
    "report.json",
    "metrics.csv",
    "assessments.csv",
    "curves.csv",
    "pose.npz",
    "pose_rear.npz",
    "annotated.mp4",
    "annotated_slow.mp4",
    "report.pdf",
)


def _check_run_options(args: argparse.Namespace) -> None:
    """Every option of ``gait analyze`` that can be checked before any work, one line each when wrong."""
    from gait.capture.chunks import available_cores
    from gait.core.setting_checks import check_range, check_workers

    args.workers = check_workers(args.workers, available_cores())
    if args.slow is not None:
        check_range("slow_factor", args.slow)
    from gait.workflows.history import athlete_name, run_date

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


def analyze(args: argparse.Namespace) -> int:
    """Check every setting and the output folder before any work, then run with the folder locked."""
    from gait.outputs.folder import check_output_dir, locked_output_dir

    config = config_from_args(args)
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
    """Analyse the rear clip of the same run and merge it into the side report
    (:func:`gait.workflows.analysis.add_rear_view`)."""
    from gait.workflows.analysis import add_rear_view

    merged, _, _ = add_rear_view(
        side, args.rear, config, side_name=str(args.video), pose_cache=out / "pose_rear.npz", workers=args.workers
    )
    return merged


def _analyze_in(args: argparse.Namespace, config: AnalysisConfig, out: Path) -> int:
    from gait import pipeline
    from gait.outputs.files import summary_text, write_outputs
    from gait.workflows.analysis import contact_choice, rescore, with_review

    cache = out / "pose.npz"
    if args.no_cache:
        cache.unlink(missing_ok=True)
    progress = Progress(not args.quiet)
    edits = None
    if args.events:
        from gait.capture.probe import probe_video
        from gait.workflows.labelfile import check_labels_fit, load_labels

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
    paths = write_outputs(report, out, clean)  # the report is safe on disk before the (optional) rendering
    print(with_flags(summary_text(report)))
    written = list(paths.values())
    if not args.no_video:
        written += _write_videos(args, report, clean, out, progress)
    if args.pdf or args.athlete:
        written += _pdf_and_history(args, report, clean, out, chosen)
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def _write_videos(
    args: argparse.Namespace, report: GaitReport, clean: CleanPose, out: Path, progress: Progress
) -> list[Path]:
    """annotated.mp4 (and the slowed copy); a warning, not a failure, when the video cannot be written."""
    from gait.workflows.analysis import write_annotated

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
    from gait.outputs.files import write_atomic
    from gait.workflows.analysis import handout_pdf, key_frames, save_row

    frames = key_frames(report, clean, args.blur_face, chosen)
    stored = frames if args.blur_face else key_frames(report, clean, True, chosen)  # the history: faces blurred
    written: list[Path] = []
    if args.pdf:
        pdf = handout_pdf(report, frames, athlete=args.athlete, recorded_on=args.date, notes=args.notes, clean=clean)
        written.append(write_atomic(out / "report.pdf", pdf))
    if args.athlete:
        from gait.workflows.history import connect
        from gait.workflows.history_audit import local_actor

        with connect(args.db) as conn:
            sid = save_row(
                conn, args.athlete, report, stored, recorded_on=args.date, notes=args.notes, saved_by=local_actor()
            )
        print(f"saved as session {sid} of {args.athlete.strip()}")
    return written
