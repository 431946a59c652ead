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

#: what the analysis calls once its contacts are known: (the pose, the cleaned pose the contacts were found in,
#: the contacts) → (the pixels' motion or None, the legs' blur at each contact that could be rated)
PixelReader = Callable[[PoseSequence, PoseSequence, Sequence[GaitEvent]], tuple[PixelMotion | None, list[float]]]


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
    side_px: int = MOTION_SIDE_PX,
    motion_max_s: float = MOTION_MAX_S,
) -> tuple[PixelMotion | None, list[float]]:
    """Decode the clip once for the pixels' motion and the legs' blur at the contacts.

    Parameters
    ----------
    info : the probed video.
    pose : the pose as extracted (the runner's box for the motion's legs region).
    legs_pose : the cleaned pose the contacts were found in (its rows are the decoded frames, in order).
    contacts : initial contacts (none outside side view: no blur is read then).
    step_period_bounds_s : the shortest and longest step period a runner can have (s, the clip's clock).
    side_px, motion_max_s : the small frames' longer side (px) and how many seconds of them are read.

    Returns
    -------
    (PixelMotion or None, list of float)
        The motion (None when too few frames could be read) and one blur value per contact that could be rated;
        an unreadable stretch ends the pass and what was read is used.
    """
    from gait.capture.video import frame_rgb, iter_decoded, small_grey

    wanted = contact_rows(legs_pose, contacts)
    last = max(wanted, default=-1)
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
            if row in wanted:  # colour conversion only where a landing is rated
                full = cv2.cvtColor(frame_rgb(frame, info), cv2.COLOR_RGB2GRAY)
                for leg in wanted[row]:
                    box = leg_box(legs_pose, row, leg)
                    if box is not None and full.shape[:2] == (legs_pose.height, legs_pose.width):
                        v = leg_blur(full[box[1] : box[3], box[0] : box[2]])
                        blur += [v] if math.isfinite(v) else []
            if row >= last and time_s >= motion_max_s:
                break
    except (GaitError, OSError, ValueError, RuntimeError, av.error.FFmpegError):
        pass  # an unreadable frame: what was read is used (no cross-check with too few frames)
    lo, hi = step_period_bounds_s
    motion = motion_of_small_frames(grey, np.asarray(times, dtype=float), scale, pose, lo, hi)
    return motion, blur


def pixel_reader(info: VideoInfo, step_period_bounds_s: tuple[float, float]) -> PixelReader:
    """:func:`read_pixels` with the video and the runner's step-period bounds bound: what
    :func:`gait.pipeline.analyze_pose` calls once its contacts are known."""

    def read(
        pose: PoseSequence, legs_pose: PoseSequence, contacts: Sequence[GaitEvent]
    ) -> tuple[PixelMotion | None, list[float]]:
        return read_pixels(info, pose, legs_pose, contacts, step_period_bounds_s)

    return read
