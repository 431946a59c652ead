"""analyze_video(): wires the stages together and decides what the footage can support.

``analyze_pose`` is everything after pose extraction: a pure function of the PoseSequence and the settings, cheap
enough to re-run whenever a setting changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from gait import __version__
from gait import landmarks as L
from gait.cache import cache_key, load_cached_pose, save_cached_pose
from gait.clean import CleanPose, _quiet_nan_warnings, clean_pose
from gait.confidence import rate_contact_phase
from gait.config import AnalysisConfig
from gait.edits import apply_event_edits
from gait.errors import InsufficientDataError, NoPersonError
from gait.events import detect_events, detect_midstances_frontal, slow_rhythm_hint, tempo_change_ratio
from gait.feedback import GRADUAL_LOAD, RED_FLAGS, generate_cues
from gait.metrics.posture import (
    FRONTAL_VIEW_POSTURE,
    POSTURE_UNITS,
    SIDE_VIEW_POSTURE,
    add_frontal_posture,
    add_side_posture,
    add_torso_rotation,
)
from gait.metrics.registry import LENGTH_CM, TIME_METRICS, metrics_for_view
from gait.metrics.spatiotemporal import (
    CONTACT_TIME_METRICS,
    METRIC_UNITS,
    classify_foot_strike,
    compute_frontal_rows,
    compute_stride_rows,
    summarise,
)
from gait.orientation import check_orientation
from gait.parallel import extract_pose_parallel
from gait.types import GaitEvents, GaitReport, MetricSummary, PoseSequence, Quality, QualityReport, VideoInfo
from gait.validate import LabelledEvent
from gait.video import InputLimits, probe_video

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
        count) with the same pose settings and covers the whole clip (:mod:`gait.cache`), written otherwise.
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
            info, model=config.model, workers=workers, progress=progress, num_poses=config.max_people
        )
        if pose_cache is not None:
            save_cached_pose(pose, pose_cache, key)
    check_orientation(pose, info)
    progress("analysis", 0.0)
    report, clean = analyze_pose(pose, info, config, event_edits)
    if cache_note:
        report = replace(report, notes=(*report.notes, cache_note))
    progress("analysis", 1.0)
    return report, clean


def analyze_pose(
    pose: PoseSequence, info: VideoInfo, config: AnalysisConfig, event_edits: tuple[LabelledEvent, ...] | None = None
) -> tuple[GaitReport, CleanPose]:
    """Everything after pose extraction: clean → events → metrics → quality → report (pure, fast).

    ``event_edits``: the complete list of events to score instead of the detected ones (a review, a lab
    reference; :func:`gait.edits.apply_event_edits`); moved or added events are marked ``source="edited"``.
    """
    if not pose.detected.any():
        raise NoPersonError(f"{info.path}: no person was found in the video.")
    if pose.fps != info.effective_fps:  # capture rate changed since the pose was extracted: rescale time
        factor = pose.fps / info.effective_fps
        pose = pose.with_(times_s=pose.times_s * factor, fps=info.effective_fps)
    clean = clean_pose(pose, config)
    warnings: list[str] = []
    notes: list[str] = []
    side = clean.view == "side"
    events = detect_events(clean, config) if side else detect_midstances_frontal(clean, config)
    if event_edits is not None:
        events = apply_event_edits(events, event_edits, clean.pose)
    anchors = events.of(kind="contact") if side else events.of(kind="midstance")
    if len(anchors) < MIN_CONTACTS:
        hint = slow_rhythm_hint([e.time_s for e in anchors]) or (
            "Record 20-30 s of steady running with the whole body and both feet in frame (side-on, or from "
            "behind for the pelvis)."
        )
        raise InsufficientDataError(
            f"{info.path}: only {len(anchors)} steps could be found, too few for an analysis. {hint}"
        )
    if side:
        rows = compute_stride_rows(clean, events, config)
        add_side_posture(rows, clean, events)
        for r in rows:
            r["foot_strike_pattern"] = classify_foot_strike(r.get("foot_strike_angle_deg", math.nan))
    else:
        rows = compute_frontal_rows(clean, events)
        add_frontal_posture(rows, clean)
    add_torso_rotation(rows, clean)
    quality_of = _quality_checks(clean, events, rows, info, config, warnings, notes)
    metrics = summarise(rows, {**METRIC_UNITS, **POSTURE_UNITS}, quality_of)
    fs = metrics.get("foot_strike_angle_deg")
    if fs is not None and fs.value is not None:
        extra = {"pattern": classify_foot_strike(fs.value)}
        extra.update(
            {
                f"pattern_{foot}": classify_foot_strike(v)
                for foot, v in (("left", fs.left), ("right", fs.right))
                if v is not None
            }
        )
        metrics["foot_strike_angle_deg"] = MetricSummary(**{**fs.__dict__, "extra": extra})
    _no_flight(metrics, events.activity)
    report = GaitReport(
        video=info,
        view=clean.view,
        facing=clean.facing if clean.view == "side" else None,
        activity=events.activity,
        events=events.events,
        metrics=metrics,
        strides=tuple(_json_row(r) for r in rows),
        cues=generate_cues(metrics, rows, config, events.activity),
        quality=QualityReport(
            pose_detected_pct=clean.detected_pct,
            swaps_corrected=clean.swaps_corrected + events.relabelled_contacts,
            warnings=tuple(warnings),
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
        notes=tuple(notes),
        advice=(RED_FLAGS, GRADUAL_LOAD),
    )
    return report, clean


def _no_flight(metrics: dict[str, MetricSummary], activity: str) -> None:
    """Withhold a flight time that does not exist (walking: both feet are down together) or that the events
    cannot resolve (a negative mean while running), instead of reporting a negative time."""
    ft = metrics.get("flight_time_ms")
    if ft is None or ft.value is None:
        return
    if activity == "walking":
        reason = "walking has no flight phase: both feet are on the ground together (double support)"
    elif ft.value < 0:
        reason = "no measurable flight phase: each contact lasts into the next step at this frame rate"
    else:
        return
    metrics["flight_time_ms"] = MetricSummary(
        name=ft.name, value=None, unit=ft.unit, n=ft.n, quality="unavailable", reason=reason
    )


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}


def _quality_checks(
    clean: CleanPose,
    events: GaitEvents,
    rows: list[dict[str, Any]],
    info: VideoInfo,
    config: AnalysisConfig,
    warnings: list[str],
    notes: list[str],
) -> dict[str, tuple[Quality, str | None]]:
    """Decide each metric's quality (good/fair/poor/unavailable) and collect the warnings that explain it."""
    q: dict[str, tuple[Quality, str | None]] = {}
    n_left = sum(1 for r in rows if r["foot"] == "left")
    n_right = sum(1 for r in rows if r["foot"] == "right")
    n_side = min(n_left, n_right)
    base: Quality = "good" if n_side >= config.min_strides_per_side else "fair" if n_side >= 3 else "poor"
    if base != "good":
        warnings.append(
            f"Only {n_left} left and {n_right} right foot contacts: results are unreliable below "
            f"{config.min_strides_per_side} per side. Record 20-30 s of steady running."
        )
    if clean.detected_pct < config.min_pose_detected_pct:
        warnings.append(
            f"The runner was found in only {clean.detected_pct:.0f}% of frames. Keep the whole body in "
            "frame, in even light, with nobody else in view."
        )
        base = "poor" if base == "poor" else "fair"
    expected = info.n_frames
    if expected and clean.raw.n_frames < 0.95 * expected:
        warnings.append(
            f"Only {clean.raw.n_frames} of {expected} frames could be decoded: the file is damaged or "
            "incomplete, and the gaps are left out. Copy or export the video again if you can."
        )
        base = "poor" if base == "poor" else "fair"
    if clean.pose.n_people_max > 1:
        warnings.append(
            "More than one person was in view; the analysis follows the runner, but film with one "
            "person in view for the best results."
        )
    if clean.view == "side" and clean.view_confidence < 0.7:
        warnings.append(
            "The camera looks oblique rather than side-on: angles and lengths are foreshortened. Put "
            "the phone perpendicular to the belt."
        )
    feet = [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_TOE, L.RIGHT_TOE]
    with np.errstate(invalid="ignore"), _quiet_nan_warnings():
        out_of_frame = (
            np.nanmean(np.nanmax(clean.raw.image_xy_px[:, feet, 1], axis=1) > clean.raw.height)
            if clean.raw.detected.any()
            else 0.0
        )
    feet_unseen = out_of_frame > 0.5
    if out_of_frame > 0.1:
        warnings.append(
            f"The feet are cut off by the bottom of the frame in {100 * out_of_frame:.0f}% of frames. "
            "Move the phone back or lower so both feet stay in view."
        )
        base = "poor" if base == "poor" else "fair"
    for name in (*METRIC_UNITS, *POSTURE_UNITS):
        q[name] = (base, None)
    if clean.view == "side":
        for name in FRONTAL_VIEW_POSTURE:
            q[name] = ("unavailable", "needs a rear (or front) view: film from behind the treadmill")
    else:
        for name in (*METRIC_UNITS, *SIDE_VIEW_POSTURE):
            if name not in ("cadence_spm", "step_time_s"):
                q[name] = ("unavailable", "needs a side view: film side-on, perpendicular to the belt")
    # Torso rotation needs the depth of shoulders and hips, which one camera only guesses: on real clips it read
    # 25-69° for runners and a walker alike, side view included. Not reported until it is validated.
    q["torso_rotation_deg"] = (
        "unavailable",
        "not measured: one camera cannot see how far the shoulders twist against the hips (their depth is "
        "guessed); film from above or use a second camera",
    )
    _view_conflict(clean, config, q, warnings)
    _camera_checks(clean, q, warnings)
    # The clip lasts from its first frame to the end of its last one.
    duration_s = (
        float(clean.pose.times_s[-1] - clean.pose.times_s[0]) + 1.0 / clean.pose.fps if clean.pose.n_frames > 1 else 0.0
    )
    if duration_s < config.min_reliable_duration_s:
        warnings.append(
            f"The clip is only {duration_s:.0f} s long: with so few steps the numbers are rough and any cue is "
            f"given with lower severity. Film {config.min_reliable_duration_s:.0f}-30 s of steady running."
        )
        for name, (quality, reason) in q.items():
            if quality == "good":
                q[name] = ("fair", reason or f"only {duration_s:.0f} s of footage")
    body_h = _runner_height_frac(clean)
    if body_h is not None and body_h < 0.3:
        warnings.append(
            f"The runner fills only {100 * body_h:.0f}% of the frame height: move the phone closer "
            "(2.5-4 m) so the body is large in the picture."
        )
    if events.activity == "walking":
        notes.append("This clip shows walking, not running: the running cues do not apply.")
    edited = sum(e.source == "edited" for e in events.events)
    if edited:
        notes.append(f"{edited} events were placed or moved by hand (source: edited); the rest are as detected.")
    # Frame rate and slow motion.
    cadence = (
        60.0 / float(np.nanmean([r["step_time_s"] for r in rows]))
        if rows and np.isfinite([r["step_time_s"] for r in rows]).any()
        else math.nan
    )
    # Slow motion: in part of the clip (the rhythm changes speed) or all of it (an implausible cadence).
    slow: str | None = None
    if not feet_unseen:
        ratio = tempo_change_ratio(clean, config)
        early_spm, late_spm = _cadence_early_late(events)
        if ratio is not None and ratio >= config.tempo_change_max_ratio:
            slow = (
                f"The step rhythm slows by about {ratio:.1f}x part-way through the clip: part of it plays in slow "
                "motion. Trim the clip to the part at one speed, or export it at real speed, for real times."
            )
        else:
            slow = _implausible_cadence(cadence, events.activity, config)
            finite = math.isfinite(early_spm) and math.isfinite(late_spm) and min(early_spm, late_spm) > 0
            change = max(early_spm, late_spm) / min(early_spm, late_spm) if finite else 1.0
            if slow is None and change >= config.pace_change_warn_ratio:
                warnings.append(
                    f"The cadence changes from about {early_spm:.0f} to {late_spm:.0f} steps/min during the clip: "
                    "the averages mix both paces. Film at one steady speed for numbers you can compare."
                )
    if feet_unseen:
        for name in (*METRIC_UNITS, "hip_extension_deg"):
            q[name] = ("unavailable", "the feet are out of the frame in most of the clip")
    elif slow:
        warnings.append(slow)
        for name in TIME_METRICS:
            q[name] = ("unavailable", slow)
    elif clean.pose.fps < config.min_fps_contact_times:
        msg = (
            f"Filmed at {clean.pose.fps:.0f} fps: contact and flight times are only accurate to about "
            f"±{1000 / clean.pose.fps:.0f} ms. Film at 60 fps or more for these."
        )
        warnings.append(msg)
        for name in CONTACT_TIME_METRICS:
            if q[name][0] == "good":
                q[name] = ("fair", msg)
    if clean.view == "side":  # values at contact from low-confidence (blurred) legs are not "good"
        rate_contact_phase(clean.pose, events.of(kind="contact"), q, warnings)
    if not clean.px_per_cm:
        for cm, pct in LENGTH_CM.items():
            q[cm] = ("unavailable", f"needs the runner's height (--height-cm); see {pct} for a value in leg lengths")
        notes.append("No runner height given: lengths are reported as a percentage of leg length (hip to ankle).")
    if not config.belt_speed_kmh:
        q["step_length_m"] = ("unavailable", "needs the treadmill belt speed (--belt-speed-kmh)")
    return q


def _view_conflict(
    clean: CleanPose, config: AnalysisConfig, q: dict[str, tuple[Quality, str | None]], warnings: list[str]
) -> None:
    """A view forced by the user that the footage confidently contradicts: warn, and withhold what only the
    forced view would measure (a side clip read as a rear view has no pelvic drop to give)."""
    seen, conf = clean.detected_view, clean.detected_view_confidence
    if config.view == "auto" or not seen or seen == config.view or conf < 0.8:
        return
    if {config.view, seen} <= {"rear", "front"}:
        return  # both frontal: the same metrics
    warnings.append(
        f"You chose a {config.view} view, but the footage looks {seen}-on (confidence {conf:.1f}): the numbers "
        f"that need a {config.view} view are withheld. Re-run with --view auto or --view {seen}."
    )
    supported = set(metrics_for_view(seen))
    for name in metrics_for_view(config.view):
        if name not in supported:
            q[name] = ("unavailable", f"the footage looks {seen}-on, not a {config.view} view")


def _cadence_early_late(events: GaitEvents) -> tuple[float, float]:
    """Cadence (steps/min) over the first and the last third of the contacts (NaN with too few steps)."""
    t = np.array([e.time_s for e in events.events if e.kind == "contact"])
    steps = np.diff(t)
    if steps.size < 6 or not np.all(steps > 0):
        return math.nan, math.nan
    third = max(2, steps.size // 3)
    return 60.0 / float(np.median(steps[:third])), 60.0 / float(np.median(steps[-third:]))


def _camera_checks(clean: CleanPose, q: dict[str, tuple[Quality, str | None]], warnings: list[str]) -> None:
    """Footage problems seen in the runner's image position: a runner who drifts across the picture (a moving
    or handheld phone, or not a treadmill) and a stride that leaves the frame at its sides."""
    xy = clean.raw.image_xy_px[clean.raw.detected]
    if len(xy) < 10 or not np.isfinite(clean.leg_length_px):
        return
    with np.errstate(invalid="ignore"), _quiet_nan_warnings():
        hip_x = np.nanmean(xy[:, [L.LEFT_HIP, L.RIGHT_HIP], 0], axis=1)
        drift = float(np.nanpercentile(hip_x, 95) - np.nanpercentile(hip_x, 5)) / clean.leg_length_px
        limbs = xy[:, [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_TOE, L.RIGHT_TOE, L.LEFT_WRIST, L.RIGHT_WRIST], 0]
        margin = 0.01 * clean.raw.width
        at_edge = float(np.mean(np.any((limbs < margin) | (limbs > clean.raw.width - margin), axis=1)))
    lowered = "good"
    if drift > 0.6:
        warnings.append(
            f"The runner moves across the picture by {drift:.1f} leg lengths: the phone moves, or this is not a "
            "treadmill. Lengths and angles are less reliable; put the phone on a stand beside the treadmill."
        )
        lowered = "fair"
    if at_edge > 0.05:
        warnings.append(
            f"Hands or feet leave the side of the frame in {100 * at_edge:.0f}% of frames: the landing foot may be "
            "cut off. Move the phone back so the whole stride stays in view."
        )
        lowered = "fair"
    if lowered != "good":
        for name in metrics_for_view("side"):
            quality, reason = q.get(name, ("good", None))
            if quality == "good":
                q[name] = ("fair", reason or "the camera or framing makes this less reliable")


def _runner_height_frac(clean: CleanPose) -> float | None:
    """Median height of the runner's box (nose to lowest foot point) as a fraction of the frame height."""
    xy = clean.raw.image_xy_px[clean.raw.detected]
    if not len(xy):
        return None
    span = np.nanmax(xy[:, :, 1], axis=1) - np.nanmin(xy[:, :, 1], axis=1)
    return float(np.median(span)) / clean.raw.height


def _implausible_cadence(cadence: float, activity: str, config: AnalysisConfig) -> str | None:
    """A warning when the cadence cannot be real time (a slow-motion clip without its capture rate)."""
    if not math.isfinite(cadence):
        return None
    low = config.running_min_cadence_spm if activity == "running" else 60.0
    if cadence < low and not config.capture_fps:
        return (
            f"A cadence of {cadence:.0f} steps/min is implausible for {activity or 'gait'}: this looks like a "
            "slow-motion clip. Give the phone's capture rate (--capture-fps 120 or 240) to get real times."
        )
    if cadence > config.max_cadence_spm:
        return f"A cadence of {cadence:.0f} steps/min is implausible; check the clip's frame rate (--capture-fps)."
    return None
