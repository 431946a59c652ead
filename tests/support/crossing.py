"""A second person walking across the frame in front of the runner, made from the runner's own pixels.

The passer-by is the runner from another moment of the clip, cut out along their landmarks (limbs as thick strokes,
trunk and head filled), mirrored so they face the other way, scaled up as if nearer the camera and slid
horizontally from one edge of the frame to the other, pasted over the runner: while they pass, the runner is partly
then wholly hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gait.core import landmarks as L

#: the strokes of the cut-out: limb segments between these landmarks
_LIMBS = (
    (L.LEFT_SHOULDER, L.LEFT_ELBOW),
    (L.LEFT_ELBOW, L.LEFT_WRIST),
    (L.RIGHT_SHOULDER, L.RIGHT_ELBOW),
    (L.RIGHT_ELBOW, L.RIGHT_WRIST),
    (L.LEFT_HIP, L.LEFT_KNEE),
    (L.LEFT_KNEE, L.LEFT_ANKLE),
    (L.RIGHT_HIP, L.RIGHT_KNEE),
    (L.RIGHT_KNEE, L.RIGHT_ANKLE),
    (L.LEFT_ANKLE, L.LEFT_TOE),
    (L.RIGHT_ANKLE, L.RIGHT_TOE),
    (L.LEFT_HEEL, L.LEFT_TOE),
    (L.RIGHT_HEEL, L.RIGHT_TOE),
)
_TRUNK = (L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.RIGHT_HIP, L.LEFT_HIP)


@dataclass(frozen=True)
class Crossing:
    """When and how the passer-by crosses.

    ``enter``: the frame their leading edge enters the picture; ``frames``: how long until their trailing edge
    leaves on the other side; ``scale``: their size against the runner's; ``lag``: the moment of the clip they are
    cut from, this many frames after the runner's own; ``left_to_right``: the direction they walk."""

    enter: int
    frames: int
    scale: float = 1.2
    lag: int = 37
    left_to_right: bool = True


def person_mask(shape: tuple[int, int], xy: np.ndarray) -> np.ndarray:
    """A float mask (0-1) of a person drawn from their image landmarks (33, 2): limbs as strokes a fifth of the
    trunk's length thick, the trunk filled, the head a disc; edges softened by a few pixels."""
    import cv2

    mask = np.zeros(shape, np.uint8)
    shoulders = (xy[L.LEFT_SHOULDER] + xy[L.RIGHT_SHOULDER]) / 2
    hips = (xy[L.LEFT_HIP] + xy[L.RIGHT_HIP]) / 2
    trunk = float(np.linalg.norm(shoulders - hips))
    width = max(3, int(round(0.3 * trunk)))
    for a, b in _LIMBS:
        cv2.line(mask, _pt(xy[a]), _pt(xy[b]), 255, width, cv2.LINE_AA)
    quad = np.array([_pt(xy[i]) for i in _TRUNK], np.int32)
    cv2.fillConvexPoly(mask, cv2.convexHull(quad), 255)
    for i in _TRUNK:
        cv2.circle(mask, _pt(xy[i]), width // 2 + 2, 255, -1)
    head = (xy[L.NOSE] + xy[L.LEFT_EAR] + xy[L.RIGHT_EAR]) / 3
    cv2.line(mask, _pt(shoulders), _pt(head), 255, int(0.4 * trunk))  # neck
    cv2.circle(mask, _pt(head), int(0.27 * trunk), 255, -1)
    soft = cv2.GaussianBlur(mask, (0, 0), 1.5)
    return np.asarray(soft, np.float32) / 255.0


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def passer_xy(runner_xy: Sequence[np.ndarray | None], k: int, crossing: Crossing, width: int) -> np.ndarray | None:
    """The passer-by's image landmarks (33, 2) in frame ``k`` (None while they are not in the picture): the
    runner's landmarks of the frame they are cut from, mirrored, scaled and moved as their pixels are."""
    xy = np.asarray(runner_xy[_source_frame(runner_xy, k + crossing.lag)])[:, :2]
    a = _placement(xy, k, crossing, width)
    if a is None:
        return None
    return np.asarray(_mirror(xy, width) @ a[:, :2].T + a[:, 2])


def _mirror(xy: np.ndarray, width: int) -> np.ndarray:
    out = np.array(xy[:, :2], dtype=np.float64)
    out[:, 0] = width - 1 - out[:, 0]
    return out


def _placement(xy: np.ndarray, k: int, crossing: Crossing, width: int) -> np.ndarray | None:
    """The affine map (2, 3) from the mirrored source frame to frame ``k`` (None while the passer-by is not in
    the picture), placing the cut-out of the person with landmarks ``xy`` (33, 2)."""
    t = (k - crossing.enter) / crossing.frames
    if not 0.0 <= t <= 1.0:
        return None
    src = _mirror(xy, width)
    s = crossing.scale
    half_w = s * (0.5 * float(np.ptp(src[:, 0])) + 0.05 * float(np.ptp(src[:, 1])))  # + the strokes' width
    cx = float(np.mean(src[:, 0]))
    # the passer's centre goes from one half-width beyond the left edge to one beyond the right edge
    x = -half_w + t * (width + 2 * half_w)
    if not crossing.left_to_right:
        x = width - x
    # scaled about the runner's feet, then a little lower in the picture: nearer the camera
    feet = float(src[:, 1].max())
    return np.array([[s, 0.0, x - s * cx], [0.0, s, (1.0 - s) * feet + 0.02 * feet]])


def with_passer_by(
    images: Sequence[np.ndarray], runner_xy: Sequence[np.ndarray | None], crossing: Crossing
) -> list[np.ndarray]:
    """``images`` (RGB, one size) with the passer-by pasted over them while they cross.

    ``runner_xy``: the runner's image landmarks (33, 2+) in each image (None where not found), which place the
    cut-out; the passer-by at frame ``k`` is the runner of frame ``k + lag`` (wrapping round the clip, skipping
    frames where the runner was not found)."""
    import cv2

    h, w = images[0].shape[:2]
    out = []
    for k, img in enumerate(images):
        src_k = _source_frame(runner_xy, k + crossing.lag)
        xy = np.asarray(runner_xy[src_k])[:, :2]
        a = _placement(xy, k, crossing, w)
        if a is None:
            out.append(img)
            continue
        src_img = np.ascontiguousarray(images[src_k][:, ::-1])
        mask = person_mask((h, w), _mirror(xy, w))
        warped = cv2.warpAffine(src_img, a, (w, h), flags=cv2.INTER_LINEAR)
        alpha = cv2.warpAffine(mask, a, (w, h), flags=cv2.INTER_LINEAR)[:, :, None]
        out.append((alpha * warped + (1.0 - alpha) * img).astype(np.uint8))
    return out


def _source_frame(runner_xy: Sequence[np.ndarray | None], k: int) -> int:
    n = len(runner_xy)
    for j in range(n):
        if runner_xy[(k + j) % n] is not None:
            return (k + j) % n
    raise ValueError("the runner is not found in any frame")
