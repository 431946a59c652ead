"""The stages both front ends run, in one place: the analysis of one or two clips, a re-score after an edit,
and the products of an analysis (key frames, annotated video, PDF handout, history row).

The CLI (:mod:`gait.cli`) and the app (``app.py``, :mod:`gait.ui`) call these and nothing else of the pipeline,
so the app applies the same checks as the CLI (minimum length, people tracked, the pose cache's key).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path

from gait.capture.pose_cache import CACHE_NOTE_START
from gait.core.config import AnalysisConfig
from gait.core.errors import GaitError
from gait.core.labels import LabelledEvent
from gait.core.types import GaitEvent, GaitReport
from gait.kinematics.cleaned import CleanPose
from gait.workflows.review import review_of

ProgressFn = Callable[[str, float], None]
KeyFrames = list[tuple[str, bytes]]
REAR_PREFIX = "Rear view: "
MOVE_MAX_FRAMES = 30  # an edited event this close to a removed one of its foot and kind is that one, moved


def rescore(
    report: GaitReport, clean: CleanPose, config: AnalysisConfig, event_edits: tuple[LabelledEvent, ...] | None
) -> tuple[GaitReport, CleanPose]:
    """The analysis again from its pose (no pose re-run), with ``event_edits`` (None: the detected events).

    Exactly what :func:`gait.pipeline.analyze_video` gives for the same video, settings and events.
    """
    from gait.pipeline import analyze_pose, stored_pixels, verticals_of

    new, new_clean = analyze_pose(
        clean.raw, report.video, config, event_edits, verticals_of(report), pixels=stored_pixels(report)
    )
    notes = tuple(n for n in report.notes if n.startswith(CACHE_NOTE_START) and n not in new.notes)
    return dataclasses.replace(new, notes=(*new.notes, *notes)), new_clean


def add_rear_view(
    side: GaitReport,
    rear_path: str | Path,
    config: AnalysisConfig,
    *,
    side_name: str = "",
    rear_name: str = "",
    progress: ProgressFn | None = None,
    pose_cache: str | Path | None = None,
    workers: int | None = None,
) -> tuple[GaitReport, GaitReport, CleanPose]:
    """Analyse the rear clip of the same run and merge it into the side report
    (:func:`gait.workflows.two_views.merge_views`).

    Returns
    -------
    (merged report, rear report, rear CleanPose)

    Raises
    ------
    GaitError
        The first clip is not side-on, or the second is not filmed from behind (or the front).
    """
    if side.view != "side":
        raise GaitError(
            f"{side_name or side.video.path}: looks like a {side.view} view; give the side-on clip first and the "
            "clip filmed from behind as the rear clip."
        )
    from gait import pipeline  # looked up at call time, so tests can stand in for the pose stage

    rear, rear_clean = pipeline.analyze_video(
        rear_path, config.with_(view="auto"), progress=progress, pose_cache=pose_cache, workers=workers
    )
    return merge_rear(side, rear, config, rear_name or Path(rear_path).name), rear, rear_clean


def merge_rear(side: GaitReport, rear: GaitReport, config: AnalysisConfig, rear_name: str) -> GaitReport:
    """One report from a side and a rear analysis; the rear clip's name is kept for the page and the PDF."""
    from gait.workflows.two_views import merge_views

    if rear.view not in ("rear", "front"):
        raise GaitError(
            f"The rear clip ({rear_name}) looks like a {rear.view} view, not a rear view: give a clip filmed from "
            "behind the treadmill as the rear clip."
        )
    merged = merge_views(side, rear, config)
    second = {**merged.settings["second_view"], "video_name": rear_name}
    return dataclasses.replace(merged, settings={**merged.settings, "second_view": second})


def rear_video_name(report: GaitReport) -> str | None:
    """The rear clip's name of a two-view report (None for one view)."""
    second = report.settings.get("second_view")
    if not isinstance(second, dict):
        return None
    video = second.get("video")
    path = video.get("path", "rear clip") if isinstance(video, dict) else "rear clip"
    return str(second.get("video_name") or Path(str(path)).name)


def with_review(report: GaitReport, detected: tuple[GaitEvent, ...], reviewed_by: str | None) -> GaitReport:
    """The report with its review recorded in ``settings["review"]``: who reviewed the events, which detected
    events were moved (from → to frame), which were added and which removed.

    Parameters
    ----------
    report : the analysis scored with a person's events (moved or added ones have ``source="edited"``).
    detected : the events gait found, before the review.
    reviewed_by : the reviewer's name (None or "" when not given).
    """
    kept = {(e.kind, e.foot, e.frame) for e in report.events}
    gone = [e for e in detected if (e.kind, e.foot, e.frame) not in kept]
    moved, added = [], []
    for e in (e for e in report.events if e.source == "edited"):
        same = [g for g in gone if g.kind == e.kind and g.foot == e.foot and abs(g.frame - e.frame) <= MOVE_MAX_FRAMES]
        if same:
            origin = min(same, key=lambda g: abs(g.frame - e.frame))
            gone.remove(origin)
            moved.append({"kind": e.kind, "foot": e.foot, "from_frame": origin.frame, "frame": e.frame})
        else:
            added.append({"kind": e.kind, "foot": e.foot, "frame": e.frame})
    removed = [{"kind": g.kind, "foot": g.foot, "frame": g.frame} for g in gone]
    review = {
        "reviewed_by": (reviewed_by or "").strip() or None,
        "edited": len(moved) + len(added),
        "moved": moved,
        "added": added,
        "removed": removed,
    }
    return dataclasses.replace(report, settings={**report.settings, "review": review})


def review_line(report: GaitReport) -> str | None:
    """One sentence for the PDF and the page: who reviewed the events and what changed (None: not reviewed)."""
    review = review_of(report)
    if review is None:
        return None

    def count(key: str) -> int:
        value = review.get(key)
        return len(value) if isinstance(value, list) else 0

    who = review.get("reviewed_by")
    head = f"Events reviewed by {who}" if who else "Events reviewed by hand (reviewer not named)"
    if not (count("moved") or count("added")) and review.get("edited"):
        return f"{head}: {review['edited']} placed by hand, {count('removed')} removed; the rest are as detected."
    return (
        f"{head}: {count('moved')} moved, {count('added')} added, {count('removed')} removed; the rest are as detected."
    )


def key_frames(
    report: GaitReport,
    clean: CleanPose,
    blur_faces: bool = True,
    contact_frames: Mapping[str, int] | None = None,
    prefix: str = "",
) -> KeyFrames:
    """Key frames for the page, the PDF and the history: (label, JPEG), cut to the runner.

    Parameters
    ----------
    contact_frames : foot → the contact frame to show for that foot (default: its most typical contact).
    prefix : put before each label (e.g. "Rear view: " for the second clip).
    """
    from gait.outputs.keyframes import print_key_frames

    frames = print_key_frames(report, clean, blur_faces=blur_faces, contact_frames=contact_frames)
    return [(prefix + label, jpeg) for label, jpeg in frames]


def write_annotated(
    report: GaitReport,
    clean: CleanPose,
    target: str | Path,
    slow_factor: float = 1.0,
    blur_faces: bool = False,
    progress: ProgressFn | None = None,
) -> Path:
    """The annotated MP4 of an analysis (:func:`gait.outputs.annotated_video.render_annotated`)."""
    from gait.outputs.annotated_video import render_annotated

    return render_annotated(report, clean, target, slow_factor=slow_factor, blur_faces=blur_faces, progress=progress)


def handout_pdf(
    report: GaitReport,
    frames: KeyFrames,
    *,
    athlete: str | None = None,
    recorded_on: str | None = None,
    notes: str = "",
    video_name: str | None = None,
    clean: CleanPose | None = None,
) -> bytes:
    """The PDF handout: the report, its key frames (both views' for two), the curves when the pose is here and
    the line saying who reviewed the events."""
    from gait.metrics.curves import stride_curves
    from gait.metrics.geometry import runner_xy
    from gait.outputs.pdf import report_pdf

    curves = None
    if clean is not None and report.view == "side":
        curves = stride_curves(runner_xy(clean), clean.pose.times_s, report.events)
        curves = None if curves.is_empty() else curves
    return report_pdf(
        report,
        frames,
        athlete=athlete,
        recorded_on=recorded_on,
        notes=notes,
        video_name=video_name,
        curves=curves,
        reviewed=review_line(report),
        rear_video_name=rear_video_name(report),
    )


def save_row(
    conn: sqlite3.Connection,
    athlete: str,
    report: GaitReport,
    frames: KeyFrames,
    *,
    recorded_on: str | None = None,
    notes: str = "",
    video_name: str | None = None,
    video_sha256: str = "",
    saved_by: str = "",
) -> int:
    """Save the analysis (edited and two-view ones as they are) in the history, as saved by ``saved_by``; returns
    the session id."""
    from gait.workflows.history import save_session

    return save_session(
        conn,
        athlete,
        report,
        recorded_on=recorded_on,
        notes=notes,
        key_frames=tuple(frames),
        video_name=video_name,
        video_sha256=video_sha256,
        saved_by=saved_by,
    )


def contact_choice(report: GaitReport, frame: int) -> dict[str, int]:
    """``{foot: frame}`` for a chosen key-frame contact; a clear error when no contact is at that frame."""
    contacts = [e for e in report.events if e.kind == "contact"]
    match = [e for e in contacts if e.frame == frame]
    if not match:
        near = ", ".join(str(e.frame) for e in sorted(contacts, key=lambda e: abs(e.frame - frame))[:5])
        raise GaitError(f"Frame {frame} is not a foot contact of this clip; the nearest contacts are at frames {near}.")
    return {match[0].foot: frame}
