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
from gait.errors import InsufficientDataError, NoPersonError
from gait.events import detect_events, detect_midstances_frontal, tempo_change_ratio
from gait.feedback import GRADUAL_LOAD, RED_FLAGS, generate_cues
from gait.metrics.posture import (
    FRONTAL_VIEW_POSTURE,
    POSTURE_UNITS,
    SIDE_VIEW_POSTURE,
    TORSO_ROTATION_UNCERTAINTY_DEG,
    add_frontal_posture,
    add_side_posture,
    add_torso_rotation,
)
from gait.metrics.spatiotemporal import (
    CONTACT_TIME_METRICS,
    METRIC_UNITS,
    TIME_METRICS,
    classify_foot_strike,
    compute_frontal_rows,
    compute_stride_rows,
    summarise,
)
from gait.orientation import check_orientation
from gait.parallel import extract_pose_parallel
from gait.types import GaitEvents, GaitReport, MetricSummary, PoseSequence, Quality, QualityReport, VideoInfo
from gait.video import InputLimits, probe_video

ProgressFn = Callable[[str, float], None]
LENGTH_CM = {"overstride_cm": "overstride_leg_pct", "vertical_oscillation_cm": "vertical_oscillation_leg_pct"}
MIN_CONTACTS = 4  # fewer contacts in all → no analysis (InsufficientDataError)


def analyze_video(
    path: str | Path,
    config: AnalysisConfig | None = None,
    progress: ProgressFn | None = None,
    pose_cache: str | Path | None = None,
    limits: InputLimits | None = None,
    workers: int | None = None,
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
    report, clean = analyze_pose(pose, info, config)
    if cache_note:
        report = replace(report, notes=(*report.notes, cache_note))
    progress("analysis", 1.0)
    return report, clean


def analyze_pose(pose: PoseSequence, info: VideoInfo, config: AnalysisConfig) -> tuple[GaitReport, CleanPose]:
    """Everything after pose extraction: clean → events → metrics → quality → report (pure, fast)."""
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
    anchors = events.of(kind="contact") if side else events.of(kind="midstance")
    if len(anchors) < MIN_CONTACTS:
        raise InsufficientDataError(
            f"{info.path}: only {len(anchors)} steps could be found, too few for an analysis. Record 20-30 s of "
            "steady running with the whole body and both feet in frame (side-on, or from behind for the pelvis)."
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
    q["torso_rotation_deg"] = (
        base,
        f"depth of shoulders and hips is inferred from one camera: about ±{TORSO_ROTATION_UNCERTAINTY_DEG:.0f}°",
    )
    body_h = _runner_height_frac(clean)
    if body_h is not None and body_h < 0.3:
        warnings.append(
            f"The runner fills only {100 * body_h:.0f}% of the frame height: move the phone closer "
            "(2.5-4 m) so the body is large in the picture."
        )
    if events.activity == "walking":
        notes.append("This clip shows walking, not running: the running cues do not apply.")
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
        if ratio is not None and ratio >= config.tempo_change_max_ratio:
            slow = (
                f"The step rhythm slows by about {ratio:.1f}x part-way through the clip: part of it plays in slow "
                "motion. Trim the clip to the part at one speed, or export it at real speed, for real times."
            )
        else:
            slow = _implausible_cadence(cadence, events.activity, config)
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
