"""analyze_video(): wires the stages together and decides what the footage can support.

``analyze_pose`` is everything after pose extraction: a pure function of the PoseSequence and the settings, cheap
enough to re-run whenever a setting changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from gait.capture.orientation import check_orientation
from gait.capture.parallel import extract_pose_parallel
from gait.capture.pose_cache import cache_key, load_cached_pose, save_cached_pose
from gait.capture.probe import InputLimits, probe_video
from gait.capture.scene import scene_verticals
from gait.capture.verticals import VerticalPoint
from gait.checks.assess import CHECKS, Footage, assess, withhold_missing_flight
from gait.checks.leg_blur import check_for_leg_blur, stored_landing_blur
from gait.checks.pixel_reads import PixelFindings, PixelReader, pixel_reader
from gait.coaching.rules import generate_cues
from gait.coaching.words import GRADUAL_LOAD, RED_FLAGS
from gait.core.config import AnalysisConfig
from gait.core.errors import InsufficientDataError, NoPersonError
from gait.core.labels import LabelledEvent
from gait.core.types import (
    EventKind,
    GaitEvent,
    GaitEvents,
    GaitReport,
    MetricSummary,
    PoseSequence,
    QualityReport,
    VideoInfo,
)
from gait.core.version import __version__
from gait.kinematics.clean import clean_pose
from gait.kinematics.cleaned import CleanPose
from gait.kinematics.contacts import detect_events
from gait.kinematics.edits import apply_event_edits
from gait.kinematics.midstance import detect_midstances_frontal
from gait.kinematics.pixel_motion import PixelMotion
from gait.kinematics.rhythm import slow_rhythm_hint
from gait.kinematics.sole_touch import SoleProbe, SoleTouch, decide_touch, sole_probes, touch_note, with_touches
from gait.metrics.assessment import with_assessments
from gait.metrics.measure import stride_table
from gait.metrics.plausibility import withhold_implausible
from gait.metrics.spatiotemporal import with_foot_strike_pattern
from gait.metrics.summary import summarise
from gait.metrics.table import StrideTable

ProgressFn = Callable[[str, float], None]
MIN_CONTACTS = 4  # fewer contacts in all → no analysis (InsufficientDataError)


def analyze_video(
    path: str | Path,
    config: AnalysisConfig | None = None,
    progress: ProgressFn | None = None,
    pose_cache: str | Path | None = None,
    limits: InputLimits | None = None,
    workers: int | None = None,
    event_edits: tuple[LabelledEvent, ...] | None = None,
) -> tuple[GaitReport, CleanPose]:
    """Analyse a treadmill running video end to end.

    Parameters
    ----------
    path : the video file.
    config : settings and thresholds (default :class:`AnalysisConfig`).
    progress : called as ``progress(stage, fraction)``; stages ``probe``, ``pose``, ``analysis``.
    pose_cache : ``.npz`` path; reused only when it was made from this exact video (content hash, size, frame
        count) with the same pose settings and covers the whole clip (:mod:`gait.capture.pose_cache`), written
        otherwise.
    limits : input limits (duration, resolution, file size).
    workers : processes for pose extraction (default: the available cores; 1 = this process only).
    event_edits : the complete list of events to score instead of the detected ones (see :func:`analyze_pose`).

    Returns
    -------
    (GaitReport, CleanPose)

    Raises
    ------
    GaitError
        Any input or footage problem, with a message saying what to do.
    """
    config = config or AnalysisConfig()
    progress = progress or (lambda stage, fraction: None)
    progress("probe", 0.0)
    info = probe_video(path, capture_fps=config.capture_fps, limits=limits)
    if info.duration_s < config.min_duration_s or 0 < info.n_frames < 10:
        raise InsufficientDataError(
            f"{info.path}: the video is only {info.duration_s:.1f} s ({info.n_frames} frames) long: too short for "
            "a gait analysis. Record 20-30 s of steady running."
        )
    key = cache_key(info, config) if pose_cache is not None else {}
    pose, cache_note = load_cached_pose(pose_cache, key, info)
    if pose is None:
        pose = extract_pose_parallel(
            info,
            model=config.model,
            workers=workers,
            progress=progress,
            num_poses=config.max_people,
            engine=config.engine,
            detect_every=config.detect_every_frames,
        )
        if pose_cache is not None:
            save_cached_pose(pose, pose_cache, key)
    check_orientation(pose, info)
    progress("analysis", 0.0)
    pixels = pixel_reader(info, (60.0 / config.max_cadence_spm, 60.0 / config.min_cadence_spm))
    verticals = scene_verticals(info, pose)
    report, clean = analyze_pose(pose, info, config, event_edits, verticals, pixels=pixels)
    if cache_note:
        report = replace(report, notes=(*report.notes, cache_note))
    progress("analysis", 1.0)
    return report, clean


def analyze_pose(
    pose: PoseSequence,
    info: VideoInfo,
    config: AnalysisConfig,
    event_edits: tuple[LabelledEvent, ...] | None = None,
    verticals: VerticalPoint | None = None,
    pixels: PixelReader | None = None,
) -> tuple[GaitReport, CleanPose]:
    """Everything after pose extraction: clean → events → metrics → quality → report (pure, fast).

    ``event_edits``: the complete list of events to score instead of the detected ones (a review, a lab
    reference; :func:`gait.kinematics.edits.apply_event_edits`); moved or added events are marked ``source="edited"``.
    ``verticals``: the scene's vertical vanishing point (:func:`gait.capture.scene.scene_verticals`; for a report
    scored again, :func:`verticals_of`), which the camera-pitch check reads. ``pixels``: what the picture itself
    says, read once the contacts are known: the pixels' own motion (which the pose-free rhythm and duplicate-frame
    checks read) and the legs' motion blur at the contacts (which caps the landing metrics); from the video
    (:func:`gait.checks.pixel_reads.pixel_reader`, one decode for both) or, for a report scored again, from what
    it stored (:func:`stored_pixels`). None: neither.
    """
    if not pose.detected.any():
        raise NoPersonError(f"{info.path}: no person was found in the video.")
    if pose.fps != info.effective_fps:  # capture rate changed since the pose was extracted: rescale time
        factor = pose.fps / info.effective_fps
        pose = pose.with_(times_s=pose.times_s * factor, fps=info.effective_fps)
    clean = clean_pose(pose, config)
    side = clean.view == "side"
    events = detect_events(clean, config) if side else detect_midstances_frontal(clean, config)
    anchors: EventKind = "contact" if side else "midstance"
    if event_edits is None:  # too few steps: refused before the pixels are read
        _require_steps(events.of(kind=anchors), info)
    contacts = events.of(kind="contact") if side else ()  # no contacts outside side view: no blur read then
    probes = sole_probes(events, clean.unfiltered_xy_px, clean.pose.times_s, clean.leg_length_px) if side else ()
    motion, blur, soles = pixels(pose, clean.pose, contacts, probes) if pixels is not None else (None, [], {})
    touch = decide_touch(probes, soles, events, clean.pose.times_s) if probes else SoleTouch()
    events = with_touches(events, touch, clean.pose.times_s, clean.pose.frame_index)
    if event_edits is not None:
        events = apply_event_edits(events, event_edits, clean.pose)
        _require_steps(events.of(kind=anchors), info)
    table = stride_table(clean, events, config)
    footage = Footage(clean, events, table, info, config, verticals, motion)
    quality_of, warnings, notes = assess(footage, (*CHECKS, check_for_leg_blur(blur)))
    metrics = with_foot_strike_pattern(summarise(table, quality_of), config)
    metrics = withhold_missing_flight(metrics, events.activity)
    metrics, implausible = withhold_implausible(metrics, events.activity)
    notes = [*notes, *filter(None, [touch_note(touch, len(contacts))])]
    findings = QualityFindings((*warnings, *implausible), tuple(notes), verticals, tuple(blur), motion, touch)
    return _report(info, config, clean, events, table, metrics, findings), clean


@dataclass(frozen=True)
class QualityFindings:
    """What the footage checks said (their warnings and notes) and the scene geometry they read."""

    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    verticals: VerticalPoint | None
    landing_blur: tuple[float, ...] = ()  # the legs' blur at each rated contact (gait.checks.leg_blur)
    motion: PixelMotion | None = None  # the pixels' own motion (gait.kinematics.pixel_motion)
    sole: SoleTouch | None = None  # the soles' edges around the contacts (gait.kinematics.sole_touch)


def _report(
    info: VideoInfo,
    config: AnalysisConfig,
    clean: CleanPose,
    events: GaitEvents,
    table: StrideTable,
    metrics: dict[str, MetricSummary],
    found: QualityFindings,
) -> GaitReport:
    """The report of an analysis: its parts put together (cues from the metrics and the stride rows)."""
    rows = table.rows()
    report = GaitReport(
        video=info,
        view=clean.view,
        facing=clean.facing if clean.view == "side" else None,
        activity=events.activity,
        events=events.events,
        metrics=metrics,
        strides=tuple(rows),
        cues=generate_cues(metrics, rows, config, events.activity),
        quality=QualityReport(
            pose_detected_pct=clean.detected_pct,
            swaps_corrected=clean.swaps_corrected + events.relabelled_contacts,
            warnings=found.warnings,
            scale="height" if clean.px_per_cm else "leg_length",
            px_per_cm=clean.px_per_cm,
            leg_length_px=clean.leg_length_px if math.isfinite(clean.leg_length_px) else None,
        ),
        settings={
            **config.to_dict(),
            "gait_version": __version__,
            "cutoff_hz_used": clean.cutoff_hz,
            "view_confidence": clean.view_confidence,
            "facing_confidence": clean.facing_confidence,
            "activity_confidence": events.activity_confidence,
        },
        notes=found.notes,
        advice=(RED_FLAGS, GRADUAL_LOAD),
        diagnostics={
            "strides": table.diagnostic_rows(),
            "scene_verticals": found.verticals.to_dict() if found.verticals is not None else None,
            "landing_blur": [round(v, 3) for v in found.landing_blur],
            "pixel_motion": found.motion.to_dict() if found.motion is not None else None,
            "sole_touch": found.sole.to_dict() if found.sole is not None else None,
        },
    )
    return with_assessments(report)  # the one judgement of every metric, made here once


def verticals_of(report: GaitReport) -> VerticalPoint | None:
    """The scene's vertical vanishing point a report was made with (its ``diagnostics``), to score it again."""
    found = report.diagnostics.get("scene_verticals")
    return VerticalPoint.from_dict(found) if isinstance(found, dict) else None


def motion_of(report: GaitReport) -> PixelMotion | None:
    """The pixels' motion a report was made with (its ``diagnostics``), to score it again."""
    found = report.diagnostics.get("pixel_motion")
    try:
        return PixelMotion.from_dict(found) if isinstance(found, dict) else None
    except (KeyError, TypeError, ValueError):  # a report from before the motion was kept in full
        return None


def stored_pixels(report: GaitReport) -> PixelReader:
    """What the pixels gave a report (its ``diagnostics``: their motion, the legs' blur at its contacts, the soles'
    edges around them), read back to score it again without the video."""
    motion = motion_of(report)
    blur = stored_landing_blur(report.diagnostics)
    found = report.diagnostics.get("sole_touch")
    try:
        soles = SoleTouch.from_dict(found).heights_px if isinstance(found, dict) else {}
    except (KeyError, TypeError, ValueError):  # not what this version writes: the pose's contacts stand
        soles = {}

    def read(
        pose: PoseSequence, legs_pose: PoseSequence, contacts: Sequence[GaitEvent], probes: Sequence[SoleProbe]
    ) -> PixelFindings:
        wanted = {(p.foot, p.first_row) for p in probes}
        heights = {k: h for k, h in soles.items() if k in wanted}
        return motion, blur(legs_pose, tuple(contacts)) if blur is not None and contacts else [], heights

    return read


def _require_steps(anchors: tuple[GaitEvent, ...], info: VideoInfo) -> None:
    """Refuse an analysis with fewer than :data:`MIN_CONTACTS` steps, saying what to film instead."""
    if len(anchors) < MIN_CONTACTS:
        hint = slow_rhythm_hint([e.time_s for e in anchors]) or (
            "Record 20-30 s of steady running with the whole body and both feet in frame (side-on, or from "
            "behind for the pelvis)."
        )
        raise InsufficientDataError(
            f"{info.path}: only {len(anchors)} steps could be found, too few for an analysis. {hint}"
        )
