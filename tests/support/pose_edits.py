"""Synthetic poses changed as footage changes them: a panning phone, feet cut off by the frame, a hood over the ears."""

from __future__ import annotations

import numpy as np

from gait.core import landmarks as L
from gait.core.types import PoseSequence

FEET = [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_TOE, L.RIGHT_TOE, L.LEFT_ANKLE, L.RIGHT_ANKLE]


def panned(pose: PoseSequence, px_per_s: float, sway_px: float = 40.0) -> PoseSequence:
    """The same runner filmed by a phone panning at ``px_per_s`` (the body drifts the other way across the
    picture) with a handheld sway; the image is made wide enough to keep the body in it."""
    t = pose.times_s - pose.times_s[0]
    shift = -px_per_s * t + sway_px * np.sin(2 * np.pi * 0.7 * t)
    xy = pose.image_xy_px.copy()
    xy[..., 0] += shift[:, None] - float(np.nanmin(shift)) + 50.0
    width = int(np.nanmax(xy[..., 0])) + 50
    return pose.with_(image_xy_px=xy, width=width)


def feet_cut_off(pose: PoseSequence, bottom_px: float) -> PoseSequence:
    """The picture ends at ``bottom_px``: a foot landmark below it is a guess (visibility 0.1), and the guessed
    foot points backwards (toe and heel exchanged)."""
    xy, vis = pose.image_xy_px.copy(), pose.visibility.copy()
    for heel, toe in ((L.LEFT_HEEL, L.LEFT_TOE), (L.RIGHT_HEEL, L.RIGHT_TOE)):
        out = (xy[:, heel, 1] >= bottom_px) | (xy[:, toe, 1] >= bottom_px)
        xy[out, heel], xy[out, toe] = xy[out, toe].copy(), xy[out, heel].copy()
        vis[out, heel] = vis[out, toe] = 0.1
    for j in FEET:
        vis[xy[:, j, 1] >= bottom_px, j] = 0.1
    return pose.with_(image_xy_px=xy, visibility=vis, presence=vis.copy(), height=int(bottom_px))


def hooded(pose: PoseSequence) -> PoseSequence:
    """A hood over the ears: the model guesses them ahead of the nose, with low visibility."""
    xy, vis = pose.image_xy_px.copy(), pose.visibility.copy()
    ahead = xy[:, L.NOSE, 0] - xy[:, [L.LEFT_EAR, L.RIGHT_EAR], 0].mean(axis=1)
    for ear in (L.LEFT_EAR, L.RIGHT_EAR):
        xy[:, ear, 0] = xy[:, L.NOSE, 0] + ahead
        vis[:, ear] = 0.2
    return pose.with_(image_xy_px=xy, visibility=vis, presence=vis.copy())
