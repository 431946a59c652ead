"""Key frames of an analysis: a typical contact of each foot (the overstride line and shank angle) and a typical
midstance (the trunk lean; the pelvis in rear view), as annotated images for the app, the PDF and the history.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from gait.clean import CleanPose
from gait.render import Image, render_frames
from gait.types import GaitReport

KEY_FRAME_SIDE_PX = 640


def _typical(rows: list[dict[str, Any]], frame_key: str, metric: str) -> dict[str, Any] | None:
    """The row whose ``metric`` is closest to the median (the middle row when the metric is missing)."""
    rows = [r for r in rows if r.get(frame_key) is not None]
    if not rows:
        return None
    vals = np.array([np.nan if r.get(metric) is None else float(r[metric]) for r in rows])
    if np.isfinite(vals).any():
        return rows[int(np.nanargmin(np.abs(vals - np.nanmedian(vals))))]
    return rows[len(rows) // 2]


def select_key_frames(report: GaitReport) -> list[tuple[str, int]]:
    """(label, frame index) of the key frames, in display order; empty when no strides were found."""
    picks: list[tuple[str, int]] = []
    strides = list(report.strides)
    if report.view == "side":
        for foot in ("left", "right"):
            row = _typical([r for r in strides if r.get("foot") == foot], "contact_frame", "overstride_leg_pct")
            if row is not None:
                picks.append(
                    (f"{foot.capitalize()} foot contact: where it lands vs the hip line", row["contact_frame"])
                )
        row = _typical(strides, "midstance_frame", "trunk_lean_deg")
        if row is not None:
            picks.append((f"{row['foot'].capitalize()} midstance: trunk lean", row["midstance_frame"]))
    else:
        for foot in ("left", "right"):
            row = _typical([r for r in strides if r.get("foot") == foot], "midstance_frame", "pelvic_drop_deg")
            if row is not None:
                picks.append((f"{foot.capitalize()} midstance: pelvis level?", row["midstance_frame"]))
    return [(label, int(f)) for label, f in picks]


def crop_to_runner(img: Image, clean: CleanPose, frame_index: int, scale: float, margin: float = 0.18) -> Image:
    """Crop a frame to the runner's landmarks plus a margin (× body height); the whole frame when unknown."""
    rows = np.flatnonzero(clean.pose.frame_index == frame_index)
    if rows.size == 0:
        return img
    xy = clean.pose.image_xy_px[rows[0]] * scale
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) < 4:
        return img
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    pad = margin * (y1 - y0)
    h, w = img.shape[:2]
    a, b = int(max(0, x0 - pad)), int(min(w, x1 + pad))
    c, d = int(max(0, y0 - pad)), int(min(h, y1 + pad))
    return img[c:d, a:b] if b - a > 16 and d - c > 16 else img


def key_frame_images(
    report: GaitReport,
    clean: CleanPose,
    max_side_px: int = KEY_FRAME_SIDE_PX,
    blur_faces: bool = False,
    crop: bool = False,
) -> list[tuple[str, Image]]:
    """The annotated key frames (label, RGB image), decoded in one pass over the video.

    Parameters
    ----------
    crop : cut each frame to the runner (for print, where a small runner in a large room is hard to see).
    """
    picks = select_key_frames(report)
    images = render_frames(report, clean, [f for _, f in picks], max_side_px=max_side_px, blur_faces=blur_faces)
    out = []
    for label, f in picks:
        img = images[f]
        if crop:
            img = np.ascontiguousarray(crop_to_runner(img, clean, f, img.shape[1] / report.video.width))
        out.append((f"{label} (frame {f})", img))
    return out


def print_key_frames(report: GaitReport, clean: CleanPose, blur_faces: bool = False) -> list[tuple[str, bytes]]:
    """Key frames for the PDF handout and the history: cut to the runner, 1280 px source, as (label, JPEG)."""
    return [(label, to_jpeg(img)) for label, img in key_frame_images(report, clean, 1280, blur_faces, crop=True)]


def to_jpeg(img: Image, quality: int = 85) -> bytes:
    """JPEG bytes of an RGB image."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()
