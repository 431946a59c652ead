"""Where the picture's verticals meet: how a phone pitched up or down (or rolled) tilts the vertical at the runner.

Walls, door frames, cupboards, posts and window edges are vertical. In the picture of a level phone they are
parallel to the picture's sides; a phone pitched up (filming from low down, the usual set-up with a phone on the
floor) makes them converge towards a point above the picture, a phone pitched down towards a point below it, and
a rolled phone turns them all. That point, the vertical vanishing point, gives the true vertical at every place in
the picture: the direction from the place towards the point. Trunk lean and shin angle are measured against the
picture's vertical, so at the runner they are off by the angle between the two.

Everything here is pure computation on line segments (x1, y1, x2, y2 in pixels of the full-size, upright frame);
:mod:`gait.capture.scene` finds the segments in the video.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Segments within this angle of the picture's vertical are candidates for world verticals.
MAX_SEGMENT_TILT_DEG = 20.0
#: A segment agrees with a vanishing point when its direction is within this angle of the direction to it.
INLIER_DEG = 1.0
#: A vanishing point is believed only with at least this many agreeing segments ...
MIN_INLIERS = 8
#: ... whose lengths add up to at least this many picture heights ...
MIN_INLIER_LENGTH_HEIGHTS = 1.5
#: ... spread across at least this share of the picture's width.
MIN_SPREAD_WIDTH = 0.2
#: Typical phone main camera: the longer side of a video frame spans about 70° (26 mm equivalent lens).
PHONE_FOCAL_LONG_SIDE = 0.72
RANSAC_TRIALS = 400


@dataclass(frozen=True)
class VerticalPoint:
    """The vertical vanishing point of a picture, homogeneous (x, y, w) in full-size pixels (w = 0: the verticals
    are parallel in the picture), with the evidence for it."""

    xyw: tuple[float, float, float]
    n_segments: int
    length_heights: float  # total length of the agreeing segments, in picture heights
    rms_deg: float  # how far the agreeing segments' directions scatter about the point
    width: int
    height: int

    def vertical_tilt_deg(self, x_px: float, y_px: float) -> float:
        """Angle (°) of the true vertical at picture point (x, y) from the picture's vertical, positive when its
        top leans towards the picture's right."""
        vx, vy, vw = self.xyw
        dx, dy = vx - x_px * vw, vy - y_px * vw
        if dy > 0 or (dy == 0 and dx < 0):  # the direction that points up the picture
            dx, dy = -dx, -dy
        return math.degrees(math.atan2(dx, -dy))

    def pitch_deg(self, focal_px: float | None = None) -> float:
        """How far the phone looks up (+) or down (−) from the horizontal, for a lens of ``focal_px`` pixels
        (default: a typical phone main camera, :data:`PHONE_FOCAL_LONG_SIDE`), the optical axis through the
        picture's centre: the verticals meet ``focal / tan(pitch)`` from the centre, above it when looking up."""
        f = focal_px or PHONE_FOCAL_LONG_SIDE * max(self.width, self.height)
        vx, vy, vw = self.xyw
        if abs(vw) < 1e-12:
            return 0.0
        px, py = vx / vw, vy / vw
        cx, cy = self.width / 2.0, self.height / 2.0
        pitch = math.degrees(math.atan2(f, math.hypot(px - cx, py - cy)))
        return pitch if py < cy else -pitch

    def to_dict(self) -> dict[str, float | int]:
        """For ``report.diagnostics``."""
        x, y, w = self.xyw
        return {
            "x": x,
            "y": y,
            "w": w,
            "n_segments": self.n_segments,
            "length_heights": self.length_heights,
            "rms_deg": self.rms_deg,
            "width": self.width,
            "height": self.height,
        }

    @classmethod
    def from_dict(cls, d: dict) -> VerticalPoint:
        """Inverse of :meth:`to_dict`."""
        return cls(
            xyw=(float(d["x"]), float(d["y"]), float(d["w"])),
            n_segments=int(d["n_segments"]),
            length_heights=float(d["length_heights"]),
            rms_deg=float(d["rms_deg"]),
            width=int(d["width"]),
            height=int(d["height"]),
        )


def near_vertical(segments: np.ndarray, height: int, min_length_frac: float = 0.05) -> np.ndarray:
    """The segments (n × 4) within :data:`MAX_SEGMENT_TILT_DEG` of the picture's vertical and at least
    ``min_length_frac`` of the picture's height long."""
    seg = np.asarray(segments, dtype=float).reshape(-1, 4)
    dx, dy = seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1]
    length = np.hypot(dx, dy)
    tilt = np.degrees(np.arctan2(np.abs(dx), np.abs(dy)))
    return seg[(length >= min_length_frac * height) & (tilt <= MAX_SEGMENT_TILT_DEG)]


def distinct(segments: np.ndarray, height: int, near_frac: float = 0.01, near_deg: float = 1.0) -> np.ndarray:
    """The segments less the repeats: the same edge found in several frames of a still scene counts once (a
    repeat's midpoint is within ``near_frac`` picture heights of a longer one's line, its direction within
    ``near_deg``)."""
    seg = np.asarray(segments, dtype=float).reshape(-1, 4)
    if len(seg) == 0:
        return seg
    length = np.hypot(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1])
    seg = seg[np.argsort(-length)]
    mid = (seg[:, :2] + seg[:, 2:]) / 2.0
    direction = np.degrees(np.arctan2(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1])) % 180.0
    lines = _lines(seg)
    keep: list[int] = []
    for i in range(len(seg)):
        if keep:
            k = np.asarray(keep)
            off_line = np.abs(lines[k, 0] * mid[i, 0] + lines[k, 1] * mid[i, 1] + lines[k, 2])
            turn = np.abs((direction[k] - direction[i] + 90.0) % 180.0 - 90.0)
            along = np.hypot(*(mid[k] - mid[i]).T)
            if np.any((off_line <= near_frac * height) & (turn <= near_deg) & (along <= 0.5 * height)):
                continue
        keep.append(i)
    return seg[keep]


def _lines(seg: np.ndarray) -> np.ndarray:
    """Homogeneous lines through each segment, scaled so that (a, b) is a unit normal."""
    p1 = np.column_stack([seg[:, 0], seg[:, 1], np.ones(len(seg))])
    p2 = np.column_stack([seg[:, 2], seg[:, 3], np.ones(len(seg))])
    lines = np.cross(p1, p2)
    return lines / np.hypot(lines[:, 0], lines[:, 1])[:, None]


def _angle_errors_deg(seg: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Angle between each segment and the line from its midpoint towards the homogeneous point ``v``."""
    mx, my = (seg[:, 0] + seg[:, 2]) / 2.0, (seg[:, 1] + seg[:, 3]) / 2.0
    tx, ty = v[0] - mx * v[2], v[1] - my * v[2]
    sx, sy = seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1]
    cross = np.abs(sx * ty - sy * tx)
    dot = np.abs(sx * tx + sy * ty)
    return np.degrees(np.arctan2(cross, dot))


def vertical_point(
    segments: np.ndarray, width: int, height: int, seed: int = 0, trials: int = RANSAC_TRIALS
) -> VerticalPoint | None:
    """The point the picture's verticals meet at, from near-vertical line segments (n × 4, full-size pixels).

    A robust fit (RANSAC over pairs of segments, scored by the total length of the segments that point at the
    candidate within :data:`INLIER_DEG`, then least squares over those): slanted edges, trees and people do not
    move it. None when too few, too short or too bunched segments agree (:data:`MIN_INLIERS`,
    :data:`MIN_INLIER_LENGTH_HEIGHTS`, :data:`MIN_SPREAD_WIDTH`): the picture shows no verticals to go by.
    """
    seg = distinct(near_vertical(segments, height), height)
    if len(seg) < MIN_INLIERS:
        return None
    lines = _lines(seg)
    length = np.hypot(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1])
    rng = np.random.default_rng(seed)
    best_score, best_inliers = 0.0, np.zeros(len(seg), dtype=bool)
    for _ in range(trials):
        i, j = rng.choice(len(seg), size=2, replace=False)
        v = np.cross(lines[i], lines[j])
        if not np.isfinite(v).all() or np.linalg.norm(v) == 0:
            continue
        inliers = _angle_errors_deg(seg, v) <= INLIER_DEG
        score = float(length[inliers].sum())
        if score > best_score:
            best_score, best_inliers = score, inliers
    if best_inliers.sum() < MIN_INLIERS:
        return None
    v = _refine(lines[best_inliers], length[best_inliers])
    inliers = _angle_errors_deg(seg, v) <= INLIER_DEG
    if inliers.sum() >= MIN_INLIERS:
        v = _refine(lines[inliers], length[inliers])
    mid_x = (seg[inliers, 0] + seg[inliers, 2]) / 2.0
    total = float(length[inliers].sum()) / height
    spread = float(np.percentile(mid_x, 95) - np.percentile(mid_x, 5)) / width if inliers.any() else 0.0
    if inliers.sum() < MIN_INLIERS or total < MIN_INLIER_LENGTH_HEIGHTS or spread < MIN_SPREAD_WIDTH:
        return None
    rms = float(np.sqrt(np.mean(_angle_errors_deg(seg[inliers], v) ** 2)))
    scale = np.linalg.norm(v)
    return VerticalPoint(
        xyw=(float(v[0] / scale), float(v[1] / scale), float(v[2] / scale)),
        n_segments=int(inliers.sum()),
        length_heights=total,
        rms_deg=rms,
        width=width,
        height=height,
    )


def _refine(lines: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The homogeneous point nearest all ``lines`` (weighted least squares: the smallest singular vector)."""
    a = lines * np.sqrt(weights)[:, None]
    return np.linalg.svd(a)[2][-1]
