"""Gait events from behind or in front: one midstance per step (the pelvis's low point), feet alternating."""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.core.types import Foot, GaitEvent, GaitEvents
from gait.kinematics.cleaned import CleanPose
from gait.kinematics.contacts import leg_px
from gait.kinematics.rhythm import step_period_s
from gait.kinematics.subframe import alternate, interp_time, peak_position


def detect_midstances_frontal(clean: CleanPose, config: AnalysisConfig) -> GaitEvents:
    """Midstance events from a rear or front view.

    From behind or in front, the fore-aft foot motion is not visible, so contact and toe-off are not detected.
    Midstance is the lowest point of the pelvis in each step (running: the spring-mass low point); the stance foot
    is the lower one in the image (the swing heel is kicked up). Labels alternate as in side view.
    """
    pose = clean.pose
    t, fps = pose.times_s, pose.fps
    hip_up = clean.up([L.LEFT_HIP, L.RIGHT_HIP])
    leg = leg_px(clean, config)
    period = step_period_s(hip_up, fps, 60.0 / config.max_cadence_spm, 60.0 / config.min_cadence_spm)
    if period is None:
        return GaitEvents(events=(), activity="unknown", swaps_corrected=clean.swaps_corrected)
    dist = max(1, int(config.step_spacing_period_frac * period * fps))
    prom = config.midstance_prominence_leg_frac * leg
    peaks = find_peaks(np.nan_to_num(-hip_up, nan=-np.inf), distance=dist, prominence=prom)[0]
    votes: list[Foot] = []
    weights: list[float] = []
    pos: list[float] = []
    for i in peaks:
        heel_l, heel_r = pose.image_xy_px[i, L.LEFT_HEEL, 1], pose.image_xy_px[i, L.RIGHT_HEEL, 1]
        diff = heel_l - heel_r  # image y down: the larger y is the lower foot, on the belt
        votes.append("left" if diff > 0 else "right")
        weights.append(
            float(min(1.0, abs(diff) / (config.midstance_vote_full_leg_frac * leg))) if np.isfinite(diff) else 0.0
        )
        pos.append(peak_position(-hip_up, int(i)))
    times = [interp_time(t, p) for p in pos]
    labels = alternate(votes, weights, times, config.run_gap_periods * period)
    events = tuple(
        GaitEvent(foot=f, kind="midstance", frame=int(pose.frame_index[round(p)]), time_s=tt, track=v)
        for f, v, p, tt in zip(labels, votes, pos, times, strict=True)
    )
    return GaitEvents(
        events=events,
        activity="unknown",
        swaps_corrected=clean.swaps_corrected,
        relabelled_contacts=sum(a != b for a, b in zip(labels, votes, strict=True)),
    )
