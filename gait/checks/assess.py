"""What the footage can support: small checks, each returning a :class:`Finding`.

A finding is one footage problem in people's words (a warning or a note) and what it does to the metrics: their
quality and the reason a person can act on. :func:`assess` runs :data:`CHECKS` in order on a
:class:`Footage` (the cleaned pose, the events, the stride table, the video and the settings) and folds their
findings into every metric's ``(quality, reason)``; the pipeline only wires it in.

Adding a check: write ``check_<name>(footage) -> Finding | None`` below (a pure function; put a measurement
that several checks share on :class:`~gait.checks.findings.Footage` as a cached property), add it to :data:`CHECKS`
where its
effect belongs (a later finding that *sets* a quality overrides an earlier one; one that *lowers* never raises
one), take its thresholds from :class:`~gait.core.config.AnalysisConfig` (a footage limit: a named constant here),
and test it in ``tests/unit/checks/test_quality.py``.
"""

from __future__ import annotations

import math

from gait.checks.event_checks import check_event_sanity
from gait.checks.findings import (
    Check,
    Finding,
    Footage,
    QualityOf,
    apply,
    cadence_early_late,
    runner_height_frac,
    withhold_missing_flight,
)
from gait.checks.framing import (
    check_camera_motion,
    check_camera_pitch,
    check_camera_tilt,
    check_edge,
    check_perspective,
)
from gait.checks.leg_visibility import CONTACT_PHASE_METRICS, contact_phase_cap, contact_visibility
from gait.checks.motion_checks import check_duplicate_frames, check_pixel_rhythm
from gait.core.types import Quality
from gait.metrics.registry import (
    CONTACT_TIME_METRICS,
    LENGTH_CM,
    REGISTRY,
    TIME_METRICS,
    metrics_for_view,
    unsupported_by_view,
)

# Footage limits of the checks below (project defaults: where a warning starts to matter on the corpus clips).
POOR_BELOW_STRIDES_PER_SIDE = 3  # contacts of a foot; below: poor rather than fair
MIN_DECODED_FRAC = 0.95  # share of the container's frames that must decode
OBLIQUE_BELOW_CONFIDENCE = 0.7  # side-view confidence below which the camera looks oblique
FEET_CUT_WARN_FRAC = 0.1  # share of frames with a foot below the picture that is warned about
VIEW_CONFLICT_MIN_CONFIDENCE = 0.8  # how sure the footage's own view must be to contradict the chosen one
SMALL_RUNNER_FRAC = 0.3  # the runner's height as a share of the frame height below which it is warned about


def check_stride_count(f: Footage) -> Finding | None:
    """Fewer than ``min_strides_per_side`` contacts of a foot: every metric at most fair (poor below 3)."""
    n_left, n_right = f.strides.count("left"), f.strides.count("right")
    n_side = min(n_left, n_right)
    if n_side >= f.config.min_strides_per_side:
        return None
    warning = (
        f"Only {n_left} left and {n_right} right foot contacts: results are unreliable below "
        f"{f.config.min_strides_per_side} per side. Record 20-30 s of steady running."
    )
    foot = "left" if n_left <= n_right else "right"
    reason = f"only {n_side} {foot} foot contacts: too few steps to average"
    return Finding.on(REGISTRY, "fair" if n_side >= POOR_BELOW_STRIDES_PER_SIDE else "poor", reason, warning)


def check_detection_rate(f: Footage) -> Finding | None:
    """The runner found in too few frames: every metric at most fair."""
    pct = f.clean.detected_pct
    if pct >= f.config.min_pose_detected_pct:
        return None
    warning = (
        f"The runner was found in only {pct:.0f}% of frames. Keep the whole body in frame, in even light, with "
        "nobody else in view."
    )
    return Finding.on(REGISTRY, "fair", f"the runner was found in only {pct:.0f}% of frames", warning)


def check_decoded_frames(f: Footage) -> Finding | None:
    """Frames the decoder could not read (a damaged file): every metric at most fair."""
    expected, got = f.info.n_frames, f.clean.raw.n_frames
    if not expected or got >= MIN_DECODED_FRAC * expected:
        return None
    warning = (
        f"Only {got} of {expected} frames could be decoded: the file is damaged or incomplete, and the gaps are "
        "left out. Copy or export the video again if you can."
    )
    return Finding.on(REGISTRY, "fair", f"only {got} of {expected} frames could be decoded", warning)


def check_people_in_view(f: Footage) -> Finding | None:
    """Another person in view (a warning only: the runner is followed)."""
    if f.clean.pose.n_people_max <= 1:
        return None
    return Finding(
        "More than one person was in view; the analysis follows the runner, but film with one person in view "
        "for the best results."
    )


def check_oblique_view(f: Footage) -> Finding | None:
    """A side view that looks oblique: the side-view metrics at most fair (their angles and lengths are
    foreshortened)."""
    if f.clean.view != "side" or f.clean.view_confidence >= OBLIQUE_BELOW_CONFIDENCE:
        return None
    warning = (
        "The camera looks oblique rather than side-on: angles and lengths are foreshortened. Put the phone "
        "perpendicular to the belt."
    )
    reason = "the camera looks oblique: angles and lengths are foreshortened"
    return Finding.on(metrics_for_view("side"), "fair", reason, warning)


def check_feet_in_frame(f: Footage) -> Finding | None:
    """Feet cut off by the bottom of the frame in over 10 % of frames: every metric at most fair (and
    :func:`check_feet_unseen` withholds what the feet time when it is most of the clip)."""
    share = f.feet_out_of_frame
    if share <= FEET_CUT_WARN_FRAC:
        return None
    warning = (
        f"The feet are cut off by the bottom of the frame in {100 * share:.0f}% of frames. Move the phone back "
        "or lower so both feet stay in view."
    )
    reason = f"the feet are out of the picture in {100 * share:.0f}% of frames"
    return Finding.on(REGISTRY, "fair", reason, warning)


def check_view_support(f: Footage) -> Finding:
    """Metrics the view cannot show are withheld (a rear view has no shin angle, a side view no pelvic drop)."""
    view = f.clean.view
    reason = (
        "needs a rear (or front) view: film from behind the treadmill"
        if view == "side"
        else "needs a side view: film side-on, perpendicular to the belt"
    )
    return Finding.on(unsupported_by_view(view), "unavailable", reason, lower_only=False)


def check_unvalidated(f: Footage) -> Finding:
    """Metrics measured but not validated (torso rotation) are withheld with the registry's reason."""
    affects: dict[str, tuple[Quality, str | None]] = {
        s.name: ("unavailable", s.unvalidated_reason) for s in REGISTRY.values() if not s.validated
    }
    return Finding(affects=affects, lower_only=False)


def check_view_conflict(f: Footage) -> Finding | None:
    """A view forced by the user that the footage confidently contradicts: warn, and withhold what only the
    forced view would measure (a side clip read as a rear view has no pelvic drop to give)."""
    chosen, seen, conf = f.config.view, f.clean.detected_view, f.clean.detected_view_confidence
    if (
        chosen == "auto"
        or not seen
        or seen == chosen
        or conf < VIEW_CONFLICT_MIN_CONFIDENCE
        or {chosen, seen} <= {"rear", "front"}
    ):
        return None
    warning = (
        f"You chose a {chosen} view, but the footage looks {seen}-on (confidence {conf:.1f}): the numbers that "
        f"need a {chosen} view are withheld. Analyse it again with the view set to automatic or to {seen}."
    )
    supported = set(metrics_for_view(seen))
    names = [n for n in metrics_for_view(chosen) if n not in supported]
    return Finding.on(names, "unavailable", f"the footage looks {seen}-on, not a {chosen} view", warning, False)


def check_clip_length(f: Footage) -> Finding | None:
    """A clip shorter than ``min_reliable_duration_s``: every metric at most fair (cues lowered with it)."""
    d, want = f.duration_s, f.config.min_reliable_duration_s
    if d >= want:
        return None
    warning = (
        f"The clip is only {d:.0f} s long: with so few steps the numbers are rough and any cue is given with "
        f"lower severity. Film {want:.0f}-30 s of steady running."
    )
    return Finding.on(REGISTRY, "fair", f"only {d:.0f} s of footage", warning)


def check_runner_size(f: Footage) -> Finding | None:
    """A runner small in the picture (a warning only)."""
    body_h = runner_height_frac(f.clean)
    if body_h is None or body_h >= SMALL_RUNNER_FRAC:
        return None
    return Finding(
        f"The runner fills only {100 * body_h:.0f}% of the frame height: move the phone closer (2.5-4 m) so the "
        "body is large in the picture."
    )


def check_walking(f: Footage) -> Finding | None:
    """A walking clip: a note that the running cues do not apply."""
    if f.events.activity != "walking":
        return None
    return Finding(note="This clip shows walking, not running: the running cues do not apply.")


def check_edited_events(f: Footage) -> Finding | None:
    """Events placed by hand: a note saying how many."""
    edited = sum(e.source == "edited" for e in f.events.events)
    if not edited:
        return None
    return Finding(note=f"{edited} events were placed or moved by hand (source: edited); the rest are as detected.")


def check_feet_unseen(f: Footage) -> Finding | None:
    """Feet out of the frame in most of the clip: everything timed or measured by a foot is withheld."""
    if not f.feet_unseen:
        return None
    names = [s.name for s in REGISTRY.values() if s.computed_in == "spatiotemporal" or "feet" in s.needs]
    return Finding.on(names, "unavailable", "the feet are out of the frame in most of the clip", lower_only=False)


def check_slow_motion(f: Footage) -> Finding | None:
    """Slow motion in part or all of the clip (without its capture rate), or steps faster than real time: the
    times are withheld."""
    why = f.slow_motion
    if why is None:
        return None
    return Finding.on(TIME_METRICS, "unavailable", why, why, lower_only=False)


def check_too_fast(f: Footage) -> Finding | None:
    """Steps faster than any runner's (a clip played fast, a wrong frame rate): the steps themselves were not
    found, so every metric read from them is poor too (lowered only: what is withheld stays withheld)."""
    if f.slow_motion is None:
        return None
    if not (math.isfinite(f.cadence_spm) and f.cadence_spm > f.config.max_cadence_spm):
        return None
    why = "the steps could not be followed: the clip plays faster than real time"
    return Finding.on([n for n in REGISTRY if n not in TIME_METRICS], "poor", why)


def check_pace_change(f: Footage) -> Finding | None:
    """The cadence changes by ``pace_change_warn_ratio`` or more between the first and last third (a warning:
    the averages mix two paces)."""
    if f.feet_unseen or f.slow_motion is not None:
        return None
    early, late = cadence_early_late(f.events)
    finite = math.isfinite(early) and math.isfinite(late) and min(early, late) > 0
    if not finite or max(early, late) / min(early, late) < f.config.pace_change_warn_ratio:
        return None
    return Finding(
        f"The cadence changes from about {early:.0f} to {late:.0f} steps/min during the clip: the averages mix "
        "both paces. Film at one steady speed for numbers you can compare."
    )


#: Values read at one instant of the stride (the landing or the push-off), and the times between such instants.
INSTANT_METRICS = (
    "overstride_cm",
    "overstride_leg_pct",
    "shank_angle_at_contact_deg",
    "foot_strike_angle_deg",
    "knee_flexion_at_contact_deg",
    "trunk_lean_at_contact_deg",
    "hip_extension_deg",
    *CONTACT_TIME_METRICS,
)


def check_instant_frame_rate(f: Footage) -> Finding | None:
    """Below ``min_fps_landing`` a frame lasts longer than the landing (the foot is flat 30-50 ms after touching
    down): the values read at the landing and push-off, and the contact and flight times, are poor (measured on the
    treadmill clip at 10 fps: shin angle -12° instead of 8°, hip extension -5° instead of +4°)."""
    fps = f.clean.pose.fps
    if f.slow_motion is not None or fps >= f.config.min_fps_landing:
        return None
    msg = (
        f"Filmed at {fps:.0f} fps: a frame lasts {1000 / fps:.0f} ms, longer than the landing itself, so the values "
        "read at landing and push-off (shin, knee, foot angle, overstride, hip extension) and the contact and flight "
        "times cannot be measured. Film at 30 fps or more (60 is better)."
    )
    reason = f"filmed at {fps:.0f} fps: a frame outlasts the landing"
    return Finding.on(INSTANT_METRICS, "poor", reason, msg)


def check_frame_rate(f: Footage) -> Finding | None:
    """Below ``min_fps_contact_times``: contact and flight times at most fair (±1 frame)."""
    fps = f.clean.pose.fps
    if f.feet_unseen or f.slow_motion is not None or fps >= f.config.min_fps_contact_times:
        return None
    if fps < f.config.min_fps_landing:
        return None  # check_instant_frame_rate says more
    msg = (
        f"Filmed at {fps:.0f} fps: a frame lasts {1000 / fps:.0f} ms, so contact and flight times cannot be read "
        'closer than that (each one\'s "good to" says how close this video gets). Film at 60 fps or more for these.'
    )
    return Finding.on(CONTACT_TIME_METRICS, "fair", msg, msg)


def check_contact_visibility(f: Footage) -> Finding | None:
    """Legs seen with low confidence at contact (motion blur): values at contact at most fair or poor
    (:mod:`gait.checks.leg_visibility`)."""
    if f.clean.view != "side":
        return None
    cap = contact_phase_cap(contact_visibility(f.clean.pose, f.events.of(kind="contact")))
    if cap is None:
        return None
    quality, msg = cap
    return Finding.on(CONTACT_PHASE_METRICS, quality, msg, msg)


def check_scale(f: Footage) -> Finding | None:
    """No runner height: lengths in cm are withheld (their leg-length counterparts stay) and a note says so."""
    if f.clean.px_per_cm:
        return None
    affects: dict[str, tuple[Quality, str | None]] = {
        cm: ("unavailable", f"needs the runner's height; see {pct} for a value in leg lengths")
        for cm, pct in LENGTH_CM.items()
    }
    note = "No runner height given: lengths are reported as a percentage of leg length (hip to ankle)."
    return Finding(affects=affects, lower_only=False, note=note)


def check_belt_speed(f: Footage) -> Finding | None:
    """No belt speed: step length is withheld."""
    if f.config.belt_speed_kmh:
        return None
    return Finding.on(
        [s.name for s in REGISTRY.values() if "belt_speed" in s.needs],
        "unavailable",
        "needs the treadmill belt speed",
        lower_only=False,
    )


#: The checks, in the order their effects apply.
CHECKS: tuple[Check, ...] = (
    check_stride_count,
    check_detection_rate,
    check_decoded_frames,
    check_people_in_view,
    check_oblique_view,
    check_feet_in_frame,
    check_view_support,
    check_unvalidated,
    check_view_conflict,
    check_camera_motion,
    check_edge,
    check_camera_pitch,
    check_camera_tilt,
    check_perspective,
    check_clip_length,
    check_runner_size,
    check_walking,
    check_edited_events,
    check_feet_unseen,
    check_slow_motion,
    check_event_sanity,
    check_pixel_rhythm,
    check_duplicate_frames,
    check_too_fast,
    check_pace_change,
    check_instant_frame_rate,
    check_frame_rate,
    check_contact_visibility,
    check_scale,
    check_belt_speed,
)


def assess(footage: Footage, checks: tuple[Check, ...] = CHECKS) -> tuple[QualityOf, list[str], list[str]]:
    """Run the checks on the footage.

    Returns
    -------
    (quality_of, warnings, notes)
        Metric name → (quality, reason or None) for every registry metric; the warnings and notes, in order.
    """
    findings = [x for check in checks if (x := check(footage)) is not None]
    warnings = [x.warning for x in findings if x.warning]
    notes = [x.note for x in findings if x.note]
    return apply(findings), warnings, notes


__all__ = ["CHECKS", "Check", "Finding", "Footage", "apply", "assess", "withhold_missing_flight"]
