"""The one decode of the clip after pose extraction: what the checks read from the pixels themselves.

Two checks read the picture, not the landmarks: the pose-free step rate and repeated frames
(:mod:`gait.kinematics.pixel_motion`, small grey frames of the first :data:`MOTION_MAX_S` seconds) and the legs'
motion blur at the landings (:mod:`gait.checks.leg_blur`, the landing leg's box in each contact's frame, full
size). Each used to decode and colour-convert the clip on its own; at 1080p60 the two passes cost 16 ms of CPU a
frame, more than a third of the pose pass (benchmarks/RESULTS.md). Here one pass serves both: it runs once the
contacts are known (the analysis asks for it through a :data:`PixelReader`), shrinks every frame's luma for the
motion (no colour conversion) and converts to colour only the frames a landing is rated in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import av
import cv2
import numpy as np

from gait.checks.leg_blur import leg_blur, leg_box
from gait.core.errors import GaitError
from gait.core.posedata import PoseSequence
from gait.core.types import GaitEvent, VideoInfo
from gait.kinematics.pixel_motion import MOTION_MAX_S, MOTION_SIDE_PX, PixelMotion, motion_of_small_frames
from gait.kinematics.sole_touch import SoleProbe, sole_height_px

#: the sole's edge height (px) over each probe's frames, keyed by its foot and first row (gait.kinematics.sole_touch)
SoleHeights = dict[tuple[str, int], tuple[float, ...]]
#: what the pixels say: the pixels' motion or None, the legs' blur at each contact that could be rated, the soles'
#: edge heights around the contacts
PixelFindings = tuple[PixelMotion | None, list[float], SoleHeights]
#: what the analysis calls once its contacts are known: (the pose, the cleaned pose the contacts were found in,
#: the contacts, where to read the soles) → what the pixels say
PixelReader = Callable[[PoseSequence, PoseSequence, Sequence[GaitEvent], Sequence[SoleProbe]], PixelFindings]


def contact_rows(legs_pose: PoseSequence, contacts: Sequence[GaitEvent]) -> dict[int, list[str]]:
    """Pose row → the legs (landmark tracks) that land there: each contact's nearest frame."""
    wanted: dict[int, list[str]] = {}
    for e in contacts:
        row = int(np.argmin(np.abs(legs_pose.times_s - e.time_s)))
        wanted.setdefault(row, []).append(e.track or e.foot)
    return wanted


def read_pixels(
    info: VideoInfo,
    pose: PoseSequence,
    legs_pose: PoseSequence,
    contacts: Sequence[GaitEvent],
    step_period_bounds_s: tuple[float, float],
    probes: Sequence[SoleProbe] = (),
    side_px: int = MOTION_SIDE_PX,
    motion_max_s: float = MOTION_MAX_S,
) -> PixelFindings:
    """Decode the clip once for the pixels' motion, the legs' blur at the contacts and the soles around them.

    Parameters
    ----------
    info : the probed video.
    pose : the pose as extracted (the runner's box for the motion's legs region).
    legs_pose : the cleaned pose the contacts were found in (its rows are the decoded frames, in order).
    contacts : initial contacts (none outside side view: no blur is read then).
    step_period_bounds_s : the shortest and longest step period a runner can have (s, the clip's clock).
    probes : where to read the sole's edge around each contact (:func:`gait.kinematics.sole_touch.sole_probes`).
    side_px, motion_max_s : the small frames' longer side (px) and how many seconds of them are read.

    Returns
    -------
    (PixelMotion or None, list of float, SoleHeights)
        The motion (None when too few frames could be read), one blur value per contact that could be rated, and
        the sole's edge height over each probe's frames (NaN where no edge was found; a probe with none is left
        out); an unreadable stretch ends the pass and what was read is used.
    """
    from gait.capture.video import frame_luma, frame_rgb, iter_decoded, small_grey

    wanted = contact_rows(legs_pose, contacts)
    soles: dict[int, list[tuple[SoleProbe, int]]] = {}
    for p in probes:
        for j, row in enumerate(p.rows()):
            soles.setdefault(row, []).append((p, j))
    heights = {(p.foot, p.first_row): [math.nan] * len(p.bands) for p in probes}
    last = max(max(wanted, default=-1), max(soles, default=-1))
    grey: list[np.ndarray] = []
    times: list[float] = []
    blur: list[float] = []
    scale = math.nan
    try:
        for row, (_, time_s, frame) in enumerate(iter_decoded(info)):
            if time_s < motion_max_s:
                grey.append(small_grey(frame, info, side_px))
                times.append(time_s)
                scale = grey[-1].shape[1] / max(1, info.width)
            if row in soles:  # the luma as it is: no colour conversion for the soles
                luma, gain = frame_luma(frame, info)
                if luma.shape[:2] == (legs_pose.height, legs_pose.width):  # the picture the landmarks are in
                    for p, j in soles[row]:
                        heights[(p.foot, p.first_row)][j] = sole_height_px(luma, p.bands[j], p.leg_px, gain)
            if row in wanted:  # colour conversion only where a landing is rated
                full = cv2.cvtColor(frame_rgb(frame, info), cv2.COLOR_RGB2GRAY)
                if full.shape[:2] == (legs_pose.height, legs_pose.width):
                    blur += _landing_blur(full, legs_pose, row, wanted[row])
            if row >= last and time_s >= motion_max_s:
                break
    except (GaitError, OSError, ValueError, RuntimeError, av.error.FFmpegError):
        pass  # an unreadable frame: what was read is used (no cross-check with too few frames)
    lo, hi = step_period_bounds_s
    motion = motion_of_small_frames(grey, np.asarray(times, dtype=float), scale, pose, lo, hi)
    read = {key: tuple(h) for key, h in heights.items() if np.isfinite(h).any()}
    return motion, blur, read


def _landing_blur(full: np.ndarray, legs_pose: PoseSequence, row: int, legs: list[str]) -> list[float]:
    """The blur of each landing leg's box in a full-size grey frame (:func:`gait.checks.leg_blur.leg_blur`)."""
    found = []
    for leg in legs:
        box = leg_box(legs_pose, row, leg)
        if box is not None:
            v = leg_blur(full[box[1] : box[3], box[0] : box[2]])
            found += [v] if math.isfinite(v) else []
    return found


def pixel_reader(info: VideoInfo, step_period_bounds_s: tuple[float, float]) -> PixelReader:
    """:func:`read_pixels` with the video and the runner's step-period bounds bound: what
    :func:`gait.pipeline.analyze_pose` calls once its contacts are known."""

    def read(
        pose: PoseSequence, legs_pose: PoseSequence, contacts: Sequence[GaitEvent], probes: Sequence[SoleProbe]
    ) -> PixelFindings:
        return read_pixels(info, pose, legs_pose, contacts, step_period_bounds_s, probes)

    return read
