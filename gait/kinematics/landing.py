"""When a landing foot meets the belt: the vertical arrest that completes the braking-edge rule of
:func:`gait.kinematics.foot_signals.speed_collapse` for runners who slow the foot in the air.

A runner whose foot is still moving forward fast when it lands is stopped by the belt: the braking edge of its
forward speed (relative to the pelvis) is the touch. A runner who reaches far ahead slows the foot in the air
first (swing-leg retraction) and starts moving it backward with the belt before it touches: its forward speed
collapses while the heel is still coming down, 2-4 frames (at 30 fps) before the touch. Then the touch is where
the foot stops descending: its lowest point comes within the ground tolerance of the level it stands at in the
stance that follows. That level is local (the stance's own lowest point), so a far foot standing higher in the
picture, or a belt that is not level in the image, does not move it.

The height of a foot is only as good as its landmarks: a foot whose height jumps up and down on its way to the
belt (a far foot hidden behind a console or the other leg) cannot time its own arrival, and the braking edge
stands.
"""

from __future__ import annotations

import numpy as np

from gait.core.types import FloatArray


def belt_arrival(low_up: FloatArray, after: float, stance_frames: int, tol: float, search_frames: int) -> float | None:
    """Sub-frame position where a landing foot comes down onto the belt, at or after ``after``.

    Parameters
    ----------
    low_up : height (px, up +) of the foot's lowest point (heel or toe), (N,), filtered.
    after : the braking-edge contact (sub-frame): the arrival is searched from there on.
    stance_frames : frames after ``after`` that certainly belong to the stance (its lowest point is the level the
        foot stands at).
    tol : ground tolerance (px): within this of the stance level counts as down.
    search_frames : how far after ``after`` the arrival may come.

    Returns
    -------
    float | None
        ``after`` itself when the foot is already down there; a later position where its height first comes within
        ``tol`` of the stance level (linear interpolation) when it is still descending cleanly onto it; None when the
        height cannot tell (gaps, or a height that rises by more than ``tol`` on the way down: landmark jitter).
    """
    n = len(low_up)
    i0 = int(np.floor(after))
    if i0 < 1 or i0 + 1 >= n:
        return None
    level_seg = low_up[i0 : min(n, i0 + max(2, stance_frames))]
    if not np.isfinite(level_seg).all():
        return None
    level = float(level_seg.min()) + tol
    h_after = float(np.interp(after, np.arange(n), low_up))
    if h_after <= level:
        return float(after)
    prev_pos, prev_h = float(after), h_after
    for i in range(i0 + 1, min(n, i0 + search_frames + 1)):
        h = float(low_up[i])
        if not np.isfinite(h) or h > prev_h + tol:
            return None  # not a clean descent: the landmarks cannot time it
        if h <= level:
            return prev_pos + (i - prev_pos) * (prev_h - level) / (prev_h - h) if prev_h != h else float(i)
        prev_pos, prev_h = float(i), h
    return None


def descends_cleanly(low_up: FloatArray, start: int, stop: int, tol: float) -> bool:
    """True when ``low_up`` never rises by more than ``tol`` from one frame to the next within [start, stop]
    (a foot coming down, not landmarks jumping)."""
    seg = low_up[max(0, start) : max(0, stop) + 1]
    return bool(seg.size >= 2 and np.isfinite(seg).all() and np.all(np.diff(seg) <= tol))


def still_descending(low_up: FloatArray, pos: float) -> float:
    """How fast (px per frame, down +) the foot's lowest point is coming down at ``pos`` (sub-frame), from the
    frames around it; NaN without landmarks there."""
    i = int(np.floor(pos))
    if i < 1 or i + 1 >= len(low_up):
        return float("nan")
    return float(-(low_up[i + 1] - low_up[i - 1]) / 2.0)


def belt_speed_px(fwd: FloatArray, on_belt: np.ndarray) -> float | None:
    """The belt's speed relative to the hips (px per frame, negative: backward) from a foot's forward position
    ``fwd`` while it is on the belt (``on_belt``, (N,) bool): the median frame-to-frame change; None when the foot
    is never seen on the belt moving backward."""
    both = on_belt[:-1] & on_belt[1:]
    v = np.diff(fwd)[both]
    v = v[np.isfinite(v)]
    if v.size < 3 or float(np.median(v)) >= 0:
        return None
    return float(np.median(v))


def belt_catch(fwd: FloatArray, belt_px: float, after: float, search_frames: int, frac: float) -> float | None:
    """Sub-frame position, at or after ``after``, where a foot moving backward relative to the hips first reaches
    ``frac`` of the belt's speed ``belt_px`` (speeds sit at half frames); None when it does not within
    ``search_frames``. A foot that moves with the belt is on it, or about to be."""
    v = np.diff(fwd)
    level = frac * belt_px
    for k in range(max(0, int(np.floor(after))), min(len(v), int(np.floor(after)) + search_frames + 1)):
        if np.isfinite(v[k]) and v[k] <= level:
            return k + 0.5
    return None
