"""The ``gait`` sub-commands other than ``analyze``: ``validate``, ``batch``, ``compare`` and ``history``
(argument parsing and printing only; :mod:`gait.cli.entry` parses and dispatches)."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gait.cli.common import Progress, config_from_args, with_flags
from gait.core.errors import GaitError, InputFileError

if TYPE_CHECKING:
    from gait.core.types import GaitReport


def validate(args: argparse.Namespace) -> int:
    """``gait validate``: detected events against hand labels; returns the exit status."""
    from gait.capture.probe import probe_video
    from gait.outputs.files import write_outputs
    from gait.pipeline import analyze_video
    from gait.workflows.accuracy import agree_events, agree_knee_angles, agree_shank_angles, format_agreement
    from gait.workflows.labelfile import check_labels_fit, load_labels

    labels = load_labels(args.labels)
    info = probe_video(args.video, capture_fps=config_from_args(args).capture_fps)
    check_labels_fit(labels, info.n_frames, str(args.labels))  # before the pose, not after
    if labels.fps and abs(labels.fps - info.fps) > 0.01 * info.fps:
        raise InputFileError(
            f"{args.labels}: the labels count frames at {labels.fps:g} fps, the video plays at {info.fps:g} fps: "
            "their frame numbers belong to another copy of the clip. Label this copy, or give the one labelled."
        )
    cache = None
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        cache = out / "pose.npz"
    report, clean = analyze_video(
        args.video, config_from_args(args), progress=Progress(not args.quiet), pose_cache=cache
    )
    if args.out:
        write_outputs(report, Path(args.out), clean)
    print(f"{Path(args.video).name} against {Path(args.labels).name}:")
    for kind in ("contact", "toe_off", "midstance"):
        agreement = agree_events(report, labels, clean.pose.times_s, clean.pose.frame_index, kind)
        if agreement is not None:
            print("  " + format_agreement(agreement))
    for what, angles in (
        ("shin angle at landing", agree_shank_angles(report, labels)),
        ("knee bend at landing", agree_knee_angles(report, labels)),
    ):
        if angles is not None and angles.pairs:
            print(f"  {what}: {len(angles.pairs)} labelled, measured minus labelled {angles.bias_deg:+.1f}° (median)")
    return 0


def batch(args: argparse.Namespace) -> int:
    """``gait batch``: many videos, resumable; returns 0, or 1 when any video failed."""
    from gait.capture.chunks import available_cores
    from gait.capture.input_files import DEFAULT_TIME_LIMIT_S
    from gait.core.setting_checks import check_workers
    from gait.workflows.batch import check_scheduler, run_batch

    args.processes = check_workers(args.processes, available_cores(), "--processes")
    if args.scheduler is not None:
        check_scheduler(args.scheduler)
    limit_s = DEFAULT_TIME_LIMIT_S if args.time_limit is None else args.time_limit
    if not (math.isfinite(limit_s) and limit_s > 0):
        raise GaitError(f"--time-limit {args.time_limit}: give a positive number of seconds, such as 600.")
    show = not args.quiet

    def progress(done: int, total: int, name: str, status: str) -> None:
        if show and name:
            bar = "#" * round(20 * done / max(total, 1))
            print(f"[{bar:<20}] {done}/{total}  {name}: {status}", file=sys.stderr, flush=True)

    rows = run_batch(
        args.videos,
        args.out,
        config_from_args(args),
        processes=args.processes,
        scheduler=args.scheduler,
        progress=progress,
        pdf=args.pdf,
        time_limit_s=limit_s,
    )
    counts = {s: sum(r["status"] == s for r in rows) for s in ("analysed", "done earlier", "error")}
    print(
        f"{len(rows)} videos: {counts['analysed']} analysed, {counts['done earlier']} done earlier, "
        f"{counts['error']} failed; summary in {Path(args.out) / 'summary.csv'}"
    )
    for r in rows:
        if r["status"] == "error":
            print(f"  failed: {r['error']}")
    return 0 if counts["error"] == 0 else 1


def _load_report(ref: str, db: str | None) -> tuple[str, GaitReport]:
    """A report from a history id or a report.json path, with a label."""
    from gait.core.types import load_report
    from gait.workflows.history import connect, load_session

    if ref.isdigit() and not Path(ref).exists() and 1 <= int(ref) < 2**63:
        with connect(db) as conn:
            s = load_session(conn, int(ref))
        return f"{s.info.recorded_on}#{s.info.id}", s.report
    p = Path(ref)
    if p.is_dir():
        p = p / "report.json"
    if not p.is_file():
        raise GaitError(f"{ref}: not a saved session id nor a report.json file.")
    return p.parent.name or p.name, load_report(p)


def compare(args: argparse.Namespace) -> int:
    """``gait compare``: two sessions (history ids or report.json) side by side."""
    from gait.workflows.compare import compare_reports, comparison_text

    lb, before = _load_report(args.before, args.db)
    la, after = _load_report(args.after, args.db)
    print(comparison_text(compare_reports(before, after), lb[-12:], la[-12:]))
    return 0


def history(args: argparse.Namespace) -> int:
    """``gait history list|show|delete|pdf|erase|export``; returns the exit status."""
    from gait.workflows.history import connect, delete_session, list_sessions, load_session
    from gait.workflows.history_audit import local_actor

    if args.action in ("erase", "export"):
        return _athlete_data(args)
    with connect(args.db) as conn:
        if args.action == "list":
            sessions = list_sessions(conn, args.athlete)
            if not sessions:
                print("no saved sessions" + (f" of {args.athlete}" if args.athlete else ""))
            for s in sessions:
                cad = "" if s.cadence_spm is None else f"{s.cadence_spm:.0f} spm"
                print(f"{s.id:5d}  {s.recorded_on}  {s.athlete:<24} {s.video_name:<32} {cad:>8}  {s.notes}")
        elif args.action == "show":
            from gait.outputs.files import summary_text

            session = load_session(conn, args.id)
            print(
                f"session {session.info.id}: {session.info.athlete}, {session.info.recorded_on}  {session.info.notes}"
            )
            print(with_flags(summary_text(session.report)))
        elif args.action == "delete":
            delete_session(conn, args.id, local_actor())
            print(f"deleted session {args.id}")
        else:
            from gait.outputs.files import write_atomic
            from gait.workflows.analysis import handout_pdf

            if Path(args.out).is_dir():
                raise GaitError(f"--out {args.out}: is a folder; give the path of the .pdf file to write.")
            saved = load_session(conn, args.id)
            info = saved.info
            pdf = handout_pdf(
                saved.report,
                list(saved.key_frames),
                athlete=info.athlete,
                recorded_on=info.recorded_on,
                notes=info.notes,
                video_name=info.video_name or None,
            )
            print(f"wrote {write_atomic(args.out, pdf)}")
    return 0


def _athlete_data(args: argparse.Namespace) -> int:
    """``gait history erase ATHLETE`` and ``gait history export ATHLETE --out DIR``."""
    import os

    from gait.workflows.athlete_data import erase_athlete, export_athlete, forget_pose_caches
    from gait.workflows.history import connect
    from gait.workflows.history_audit import local_actor

    with connect(args.db) as conn:
        if args.action == "export":
            written = export_athlete(conn, args.athlete, Path(args.out), local_actor())
            print(f"wrote {len(written)} files into {args.out} (athlete.json holds everything stored)")
            return 0
        erased = erase_athlete(conn, args.athlete, local_actor())
    kept = os.environ.get("GAIT_POSE_CACHE_DIR")
    removed = forget_pose_caches(erased.video_sha256, [Path(kept)] if kept else [])
    print(
        f"erased {args.athlete.strip()}: {erased.n_sessions} sessions and their key frames"
        + (f", {len(removed)} kept pose files" if removed else "")
        + "; the history file was rewritten so nothing of them remains in it."
    )
    return 0
