"""Gait events: initial contact (IC) and toe-off (TO) per foot, with sub-frame times; running vs walking.

Method (side view), in the runner frame (forward +, up +):

1. Step period from the autocorrelation of the forward-most heel's position relative to the pelvis
   (:mod:`gait.kinematics.rhythm`); steps are searched at least the quickest window's period apart, so a slow-motion
   section cannot hide the real-time steps.
2. One candidate per maximum of the forward-most heel relative to the pelvis (Zeni et al. 2008, Gait Posture
   27:710); the foot that is ahead is the contact foot. This envelope does not depend on which leg the model
   called left or right, so label swaps cannot add or remove steps. A gap of about two steps is searched again
   with a lower prominence for the far foot's faint peak. A landing cut by the side of the picture is dropped.
3. Running: initial contact (IC) is the middle of the braking edge, where the landing foot has lost
   ``contact_speed_drop_frac`` of its late-swing forward speed relative to the pelvis
   (:func:`~gait.kinematics.foot_signals.speed_collapse`);
   a foot still high in the air at its forward-most point (swing-leg retraction) waits for the belt, and a foot
   still coming down at the braking edge (an overstrider who slows the foot in the air) lands where it stops
   descending onto the level it stands at (:mod:`gait.kinematics.landing`). Walking
   (classified from the events): IC is the forward-most heel itself, the method Zeni validated on walking.
4. Toe-off (TO) within each stance: the toe rises ``toe_off_lift_leg_frac`` leg lengths above its belt level,
   or else its rear-most position (Zeni). Crossings are interpolated linearly between frames, peaks by a
   parabola (sub-frame times).
5. Left/right labels alternate L, R, L, R: within each continuous run of steps the parity that best agrees with
   the model's labels is chosen, and disagreements are counted as relabelled contacts.

Rear and front views: :mod:`gait.kinematics.midstance`.
"""

from __future__ import annotations

import itertools
from typing import Literal

import numpy as np
from scipy.signal import find_peaks

from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.core.numeric import quiet_nan_warnings
from gait.core.types import FloatArray, Foot, GaitEvent, GaitEvents, PoseSequence
from gait.kinematics.cleaned import CleanPose
from gait.kinematics.event_sanity import keep_distinct_steps
from gait.kinematics.foot_signals import FootSignals, foot_signals, ground_tolerance_px, speed_collapse
from gait.kinematics.landing import belt_arrival, belt_catch, belt_speed_px, descends_cleanly, still_descending
from gait.kinematics.rhythm import step_period_s, windowed_step_periods_s
from gait.kinematics.subframe import alternate, crossing, interp_time, lift_off, peak_position


def _touch(
    low_up: FloatArray,
    fwd: FloatArray,
    brake: float,
    step_frames: int,
    tol: float,
    fps: float,
    config: AnalysisConfig,
) -> float:
    """The braking-edge contact, or later where a foot that slowed in the air (swing-leg retraction) comes down
    onto the belt (:func:`gait.kinematics.landing.belt_arrival`), when its height descends cleanly enough to tell and
    the
    foot is not already moving back with the belt by then (a far foot's height can drift down while it stands)."""
    lo = int(np.floor(brake)) - 3
    if not still_descending(low_up, brake) >= config.touch_descent_tol_frac * tol:
        return brake  # the belt stopped a foot already down (or the height cannot tell): the braking edge stands
    level = config.touch_level_tol_frac * tol
    arrival = belt_arrival(low_up, brake, max(2, step_frames // 2), level, search_frames=max(2, step_frames // 2))
    if arrival is None or not descends_cleanly(low_up, lo, int(np.ceil(arrival)), tol):
        return brake
    belt = belt_speed_px(fwd, np.isfinite(low_up) & (low_up <= tol))
    catch = None if belt is None else belt_catch(fwd, belt, brake, step_frames // 2, config.touch_belt_speed_frac)
    if catch is not None and arrival > catch + config.touch_after_catch_frames:
        return brake
    # Closer than that the two rules agree (the low-pass rounds an abrupt stop by about as much): the braking
    # edge, validated on hand labels, stands.
    return arrival if arrival - brake >= config.touch_min_shift_s * fps else brake


def _cut_by_side_edge(clean: CleanPose, foot: Foot, i: int, margin_frac: float) -> bool:
    """True when the heel or toe of ``foot`` is at or beyond the picture's left or right edge around frame ``i``
    (the model's landmarks there are guesses about a foot it cannot see)."""
    s = L.SIDE[foot]
    x = clean.unfiltered_xy_px[max(0, i - 1) : i + 2, [s["heel"], s["toe"]], 0]  # legs un-swapped
    margin = margin_frac * clean.raw.width
    return bool(np.any((x < margin) | (x > clean.raw.width - margin)))


def _fill_missed_steps(x: FloatArray, peaks: list[int], period_frames: float, min_prom: float) -> list[int]:
    """Add the step the peak search missed inside a gap of about two steps (``x``: the forward envelope, -inf
    where there is no pose).

    The far foot, partly hidden, sometimes barely gets ahead of the hips, so its forward peak is less prominent
    than the search asks for. Where two detected steps are 1.6-3.5 step periods apart, the clearest local
    maximum at least half a period from both (prominence ≥ ``min_prom``) is taken as the missed step; repeated
    until no gap changes. Larger gaps (the runner out of view) are left alone.
    """
    out = sorted(int(p) for p in peaks)
    changed = True
    while changed:
        changed = False
        for a, b in itertools.pairwise(list(out)):
            gap = b - a
            if not 1.6 * period_frames < gap <= 3.5 * period_frames:
                continue
            lo, hi = int(np.ceil(a + 0.5 * period_frames)), int(np.floor(b - 0.5 * period_frames))
            if hi - lo < 0:
                continue
            seg_lo, seg_hi = max(0, lo - 1), min(len(x), hi + 2)
            cand, props = find_peaks(x[seg_lo:seg_hi], prominence=min_prom)
            cand = cand + seg_lo
            finite = np.isfinite(x[np.clip(cand - 1, 0, len(x) - 1)]) & np.isfinite(x[np.clip(cand + 1, 0, len(x) - 1)])
            keep = (cand >= lo) & (cand <= hi) & finite  # not the edge of a stretch without pose
            if keep.any():
                best = cand[keep][np.argmax(props["prominences"][keep])]
                out = sorted([*out, int(best)])
                changed = True
                break
    return out


def detect_events(clean: CleanPose, config: AnalysisConfig) -> GaitEvents:
    """Detect initial contacts and toe-offs of both feet.

    Parameters
    ----------
    clean : the cleaned pose (side view).
    config : thresholds (ground tolerance, plausible cadence range).

    Returns
    -------
    GaitEvents
        Events in time order; ``activity`` is ``running``/``walking``, or ``unknown`` with too few steps.
    """
    pose = clean.pose
    t = pose.times_s
    fps = pose.fps
    sig = foot_signals(clean)
    leg = leg_px(clean, config)
    tol = ground_tolerance_px(clean, leg, config)
    with quiet_nan_warnings():
        front = np.nanmax(np.vstack([sig.heel_fwd["left"], sig.heel_fwd["right"]]), axis=0)
    period = step_period_s(front, fps, 60.0 / config.max_cadence_spm, 60.0 / config.min_cadence_spm)
    if period is None:
        return GaitEvents(events=(), activity="unknown", swaps_corrected=clean.swaps_corrected)
    # Steps are at least this far apart anywhere in the clip. With a slow-motion section the whole-clip period
    # can be the slow one, and spacing peaks by it would drop every other step where the clip plays in real
    # time; so the quickest rhythm of any window counts. (Too short a spacing costs little: every peak must
    # still stand out by ``prom``; too long a spacing loses steps.)
    quickest = min([period, *windowed_step_periods_s(front, t, fps, 60.0 / config.max_cadence_spm)])
    win = int(round(config.contact_lookback_period_frac * period * fps))
    brake_pos, zeni_pos, ic_vote, ic_weight, reach = _contact_candidates(
        clean, sig, front, period, quickest, leg, tol, win, config
    )
    # Closer than any runner's step, and than the clip's own quickest rhythm allows (a clip played fast has real
    # steps closer than a runner's: that is for the cadence check to say, not a duplicate).
    min_gap = min(config.min_step_time_s, config.step_spacing_period_frac * quickest) * fps

    stride_frames = int(round(2 * period * fps))
    lift_tol = min(tol, config.toe_off_lift_leg_frac * leg)
    # Running: contact at the braking edge. Walking: the foot slows before heel strike, and the forward-most
    # heel (Zeni et al. 2008, a method validated on walking) marks it; so a clip that classifies as walking
    # is re-timed that way.
    gap_s = config.run_gap_periods * period
    # Candidates closer than any step are one landing found twice (or noise): the clearest is kept.
    # Judged on the forward-most points (the landings themselves): a braking edge can be misplaced (a time warp,
    # a glitch) while its landing is real, and contacts that still collide are reported (gait.checks.event_checks).
    keep = keep_distinct_steps(zeni_pos, reach, min_gap)
    votes, weights = [ic_vote[k] for k in keep], [ic_weight[k] for k in keep]
    dropped = len(zeni_pos) - len(keep)
    events, relabelled = _assemble(
        sig, [brake_pos[k] for k in keep], votes, weights, t, pose, gap_s, stride_frames, lift_tol
    )
    activity, confidence = classify_activity(events)
    if activity == "walking":
        events, relabelled = _assemble(
            sig, [zeni_pos[k] for k in keep], votes, weights, t, pose, gap_s, stride_frames, lift_tol
        )
        activity, confidence = classify_activity(events)
    return GaitEvents(
        events=tuple(events),
        activity=activity,
        activity_confidence=confidence,
        swaps_corrected=clean.swaps_corrected,
        relabelled_contacts=relabelled,
        dropped_contacts=dropped,
    )


def leg_px(clean: CleanPose, config: AnalysisConfig) -> float:
    """The length unit of the event thresholds: the leg, or a share of the frame height when none is seen."""
    if np.isfinite(clean.leg_length_px):
        return float(clean.leg_length_px)
    return config.fallback_leg_frame_frac * clean.pose.height


def _contact_candidates(
    clean: CleanPose,
    sig: FootSignals,
    front: FloatArray,
    period: float,
    quickest: float,
    leg: float,
    tol: float,
    win: int,
    config: AnalysisConfig,
) -> tuple[list[float], list[float], list[Foot], list[float], list[float]]:
    """One candidate contact per forward peak of the leading heel: its braking-edge and its Zeni positions
    (sub-frame), the foot the model's labels vote for, the vote's weight, and how far the heel reaches ahead of
    the pelvis there (px: the candidate's strength)."""
    fps = clean.pose.fps
    dist = max(1, int(config.step_spacing_period_frac * quickest * fps))
    brake_pos: list[float] = []
    zeni_pos: list[float] = []
    ic_vote: list[Foot] = []
    ic_weight: list[float] = []
    cut: list[bool] = []
    reach: list[float] = []
    searchable = np.nan_to_num(front, nan=-np.inf)  # no peak inside a stretch without pose
    peaks = find_peaks(searchable, distance=dist, prominence=config.step_prominence_leg_frac * leg)[0]
    missed_prom = config.missed_step_prominence_leg_frac * leg
    for i in _fill_missed_steps(searchable, list(peaks), period * fps, missed_prom):
        if not np.isfinite(front[i + 1 : i + 3]).all() or i + 2 >= len(front):
            continue  # the last pose before the runner is lost: nothing after it shows that the foot landed
        diff = sig.heel_fwd["left"][i] - sig.heel_fwd["right"][i]
        foot: Foot = "left" if diff > 0 else "right"
        pos = peak_position(front, int(i))
        h = sig.low_height[foot]
        zeni, brake = pos, None
        if np.isfinite(h[i]) and h[i] > tol:  # still in the air (swing-leg retraction): wait for the belt
            later = crossing(h, int(i), min(len(h), int(i) + win + 1), tol, +1)
            if later is None and int(i) + win >= len(h) - 1:
                continue  # the foot comes down after the clip ends: its contact is not in this clip
            zeni = later if later is not None else pos
        if not (np.isfinite(h[i]) and h[i] > config.airborne_leg_frac * leg):  # far off the belt: wait for it
            brake = speed_collapse(sig.foot_fwd[foot], int(i), win, config.contact_speed_drop_frac)
            if brake is not None:  # a foot slowed in the air touches down when it stops descending
                brake = _touch(h, sig.foot_fwd[foot], brake, int(round(period * fps)), tol, fps, config)
        zeni_pos.append(zeni)
        brake_pos.append(brake if brake is not None else zeni)
        ic_vote.append(foot)
        full = config.foot_vote_full_leg_frac * leg
        ic_weight.append(float(min(1.0, abs(diff) / full)) if np.isfinite(diff) else 0.0)
        cut.append(_cut_by_side_edge(clean, foot, int(i), config.frame_edge_margin_frac))
        reach.append(float(front[i]))
    # A few landings cut by the side of the picture (a walker leaving it) are left out. When most are, the runner
    # stands at the edge: all are kept, and the quality checks warn and lower what they touch.
    if 0 < sum(cut) <= config.frame_edge_max_cut_frac * len(cut):
        kept = [k for k, c in enumerate(cut) if not c]
        brake_pos, zeni_pos = [brake_pos[k] for k in kept], [zeni_pos[k] for k in kept]
        ic_vote, ic_weight = [ic_vote[k] for k in kept], [ic_weight[k] for k in kept]
        reach = [reach[k] for k in kept]
    return brake_pos, zeni_pos, ic_vote, ic_weight, reach


def _assemble(
    sig: FootSignals,
    positions: list[float],
    votes: list[Foot],
    weights: list[float],
    t: FloatArray,
    pose: PoseSequence,
    max_gap_s: float,
    stride_frames: int,
    lift_tol: float,
) -> tuple[list[GaitEvent], int]:
    """Contacts at ``positions`` (sub-frame) with alternating labels, and their toe-offs, in time order; with
    the number of contacts whose label was changed to alternate."""
    ic_pos = [float(np.clip(p, 0, len(t) - 1)) for p in positions]
    ic_times = [interp_time(t, p) for p in ic_pos]
    labels = alternate(votes, weights, ic_times, max_gap_s)
    relabelled = sum(1 for a, b in zip(labels, votes, strict=True) if a != b)
    events = [
        GaitEvent(foot=f, kind="contact", frame=int(pose.frame_index[round(p)]), time_s=tt, track=v)
        for f, v, p, tt in zip(labels, votes, ic_pos, ic_times, strict=True)
    ]
    events += _toe_offs(sig, ic_pos, votes, labels, t, pose.frame_index, stride_frames, lift_tol)
    events.sort(key=lambda e: e.time_s)
    return events, relabelled


def _toe_offs(
    sig: FootSignals,
    ic_pos: list[float],
    ic_track: list[Foot],
    labels: list[Foot],
    t: FloatArray,
    frames: np.ndarray,
    stride_frames: int,
    tol: float,
) -> list[GaitEvent]:
    """One toe-off per stance, within contact → the same foot's next contact (at most a stride): when the toe of
    the landing foot leaves the belt for its swing, or else its rear-most position (Zeni)."""
    out: list[GaitEvent] = []
    for k, (p, v) in enumerate(zip(ic_pos, ic_track, strict=True)):
        i0 = round(p)
        nxt = [q for q, vv in zip(ic_pos[k + 1 :], ic_track[k + 1 :], strict=True) if vv == v]
        i1 = min(len(t), round(nxt[0]) if nxt else i0 + stride_frames, i0 + stride_frames)
        h = sig.toe_height[v]
        lift = lift_off(h, i0 + max(1, stride_frames // 5), i1, tol, max(2, stride_frames // 7))
        if lift is not None:
            pos = lift
        else:  # no clear lift in view: the rear-most toe (Zeni) if it is inside the window
            toe = sig.toe_fwd[v][i0:i1]
            if toe.size < 3 or not np.isfinite(toe).any():
                continue
            i = i0 + int(np.nanargmin(toe))
            if i >= i1 - 1:
                continue
            pos = peak_position(-sig.toe_fwd[v], i)
        frame = int(frames[round(pos)])
        out.append(GaitEvent(foot=labels[k], kind="toe_off", frame=frame, time_s=interp_time(t, pos), track=v))
    return out


def classify_activity(events: list[GaitEvent]) -> tuple[Literal["running", "walking", "unknown"], float]:
    """``running`` when steps have a flight phase (the stance foot's TO before the other foot's IC), ``walking``
    when they have double support; with a confidence = share of steps that agree."""
    flights = []
    contacts = [e for e in events if e.kind == "contact"]
    for a, b in itertools.pairwise(contacts):
        if a.foot == b.foot:
            continue
        to = [e for e in events if e.kind == "toe_off" and e.foot == a.foot and a.time_s < e.time_s]
        if to:
            flights.append(b.time_s - to[0].time_s)
    if len(flights) < 2:
        return "unknown", 0.0
    running = float(np.mean(np.asarray(flights) > 0))
    return ("running", running) if running >= 0.5 else ("walking", 1.0 - running)
