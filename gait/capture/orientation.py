"""Is the body upright in the picture? A sideways or upside-down body (a missing or wrong rotation tag) would
otherwise be measured as if upright, giving confident nonsense (a trunk lean of 172°, a lean of −97°).

Upright means head above hips above ankles in image coordinates (y grows downwards). The body axis is the
direction from the nose to the midpoint of the ankles; its angle from straight down is 0° for an upright runner
(a forward lean of a few degrees to about 30° for a sprinter), ±90° for a body lying sideways in the picture and
180° upside down.
"""

from __future__ import annotations

import math

import numpy as np

from gait.core import landmarks as L
from gait.core.errors import GaitError
from gait.core.types import PoseSequence, VideoInfo

#: a body axis further than this from vertical (degrees) is not an upright runner
MAX_UPRIGHT_DEG = 55.0
#: the share of pose frames that must agree before the clip is refused
MIN_AGREEING_FRACTION = 0.6
MIN_FRAMES = 10


class OrientationError(GaitError):
    """The body is sideways or upside down in the picture (the video's rotation is wrong)."""


def body_axis_deg(pose: PoseSequence) -> np.ndarray:
    """Per frame, the angle (degrees, −180..180) of the nose → ankle-midpoint vector from image-down.

    NaN where the pose is not seen. Positive angles point the feet to the image's left (x decreasing).
    """
    xy = pose.image_xy_px
    head = xy[:, L.NOSE]
    hips = 0.5 * (xy[:, L.LEFT_HIP] + xy[:, L.RIGHT_HIP])
    ankles = 0.5 * (xy[:, L.LEFT_ANKLE] + xy[:, L.RIGHT_ANKLE])
    # Two segments (head → hips → ankles) so a bent body still gives its overall axis.
    v = (hips - head) + (ankles - hips)
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arctan2(-v[:, 0], v[:, 1]))


def orientation_of(pose: PoseSequence) -> str:
    """``"upright"``, ``"sideways"``, ``"upside_down"``, or ``"unknown"`` (too few frames with a pose)."""
    ang = body_axis_deg(pose)
    ang = ang[np.isfinite(ang)]
    if ang.size < MIN_FRAMES:
        return "unknown"
    a = np.abs(ang)
    if np.mean(a > 180.0 - MAX_UPRIGHT_DEG) >= MIN_AGREEING_FRACTION:
        return "upside_down"
    if np.mean((a > MAX_UPRIGHT_DEG) & (a <= 180.0 - MAX_UPRIGHT_DEG)) >= MIN_AGREEING_FRACTION:
        return "sideways"
    return "upright"


def check_orientation(pose: PoseSequence, info: VideoInfo) -> None:
    """Refuse a clip in which the body is sideways or upside down in the picture.

    Raises
    ------
    OrientationError
        With the direction found, the rotation tag read from the file, and what to do.
    """
    found = orientation_of(pose)
    if found in ("upright", "unknown"):
        return
    tag = (
        f"the file's rotation tag ({info.rotation_deg}°) turns it the wrong way"
        if info.rotation_deg
        else "the file has no rotation tag to turn it upright"
    )
    ang = body_axis_deg(pose)
    med = float(np.nanmedian(ang)) if np.isfinite(ang).any() else math.nan
    what = "upside down" if found == "upside_down" else f"sideways (the body lies at about {abs(med):.0f}°)"
    raise OrientationError(
        f"{info.path}: the runner is {what} in the picture: {tag}, so angles would be wrong. Rotate the video "
        "upright in the phone's editor (or export it again) and retry."
    )
