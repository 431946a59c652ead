"""Key frames of an analysis: a typical contact of each foot (the overstride line and shank angle) and a typical
midstance (the trunk lean; the pelvis in rear view), as annotated images for the app, the PDF and the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from gait.core.types import GaitReport
from gait.kinematics.cleaned import CleanPose
from gait.outputs.annotated_video import Image, render_frames

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


def select_key_frames(report: GaitReport, contact_frames: Mapping[str, int] | None = None) -> list[tuple[str, int]]:
    """(label, frame index) of the key frames, in display order; empty when no strides were found.

    ``contact_frames``: foot → the contact frame a person chose for that foot (instead of the most typical one);
    ignored when that foot has no stride at that frame.
    """
    picks: list[tuple[str, int]] = []
    strides = list(report.strides)
    chosen = dict(contact_frames or {})
    if report.view == "side":
        for foot in ("left", "right"):
            own = [r for r in strides if r.get("foot") == foot]
            picked = [r for r in own if foot in chosen and r.get("contact_frame") == chosen[foot]]
            row = picked[0] if picked else _typical(own, "contact_frame", "overstride_leg_pct")
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


FEET = tuple(range(27, 33))  # ankles, heels, toes
HIPS = (23, 24)


def crop_box(
    clean: CleanPose, frame_index: int, scale: float, size: tuple[int, int], margin: float = 0.18
) -> tuple[int, int, int, int] | None:
    """The crop (x0, y0, x1, y1) that keeps the whole runner: body, both feet, the hip line, plus a margin.

    The feet are taken over the neighbouring frames too (a foot the model lost for one frame still counts), and
    the box reaches a margin below the lowest foot, so the landing foot and the belt under it stay in view.
    None when the runner is not known in this frame.
    """
    rows = np.flatnonzero(clean.pose.frame_index == frame_index)
    if rows.size == 0:
        return None
    k = int(rows[0])
    xy = clean.pose.image_xy_px[k] * scale
    body = xy[np.isfinite(xy).all(axis=1)]
    if len(body) < 4:
        return None
    near = clean.pose.image_xy_px[max(0, k - 2) : k + 3][:, list(FEET + HIPS)].reshape(-1, 2) * scale
    near = near[np.isfinite(near).all(axis=1)]
    pts = np.vstack([body, near]) if len(near) else body
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    pad = margin * (y1 - y0)
    w, h = size
    label_room = 0.22 * (y1 - y0)  # the angle labels are written to the right of the joints
    box = (
        int(max(0, x0 - pad)),
        int(max(0, y0 - pad)),
        int(min(w, x1 + pad + label_room)),
        int(min(h, y1 + 1.2 * pad)),
    )
    return box if box[2] - box[0] > 16 and box[3] - box[1] > 16 else None


def crop_to_runner(img: Image, clean: CleanPose, frame_index: int, scale: float, margin: float = 0.18) -> Image:
    """Crop a frame to the runner, both feet and the hip line plus a margin; the whole frame when unknown."""
    box = crop_box(clean, frame_index, scale, (img.shape[1], img.shape[0]), margin)
    if box is None:
        return img
    x0, y0, x1, y1 = box
    return img[y0:y1, x0:x1]


def key_frame_images(
    report: GaitReport,
    clean: CleanPose,
    max_side_px: int = KEY_FRAME_SIDE_PX,
    blur_faces: bool = False,
    crop: bool = False,
    contact_frames: Mapping[str, int] | None = None,
) -> list[tuple[str, Image]]:
    """The annotated key frames (label, RGB image), decoded in one pass over the video.

    Parameters
    ----------
    crop : cut each frame to the runner (for print, where a small runner in a large room is hard to see).
    contact_frames : foot → the contact frame to show (see :func:`select_key_frames`).
    """
    picks = select_key_frames(report, contact_frames)
    images = render_frames(report, clean, [f for _, f in picks], max_side_px=max_side_px, blur_faces=blur_faces)
    out = []
    for label, f in picks:
        img = images[f]
        if crop:
            img = np.ascontiguousarray(crop_to_runner(img, clean, f, img.shape[1] / report.video.width))
        out.append((f"{label} (frame {f})", img))
    return out


def print_key_frames(
    report: GaitReport, clean: CleanPose, blur_faces: bool = False, contact_frames: Mapping[str, int] | None = None
) -> list[tuple[str, bytes]]:
    """Key frames for the PDF handout and the history: cut to the runner, 1280 px source, as (label, JPEG).

    ``contact_frames``: foot → the contact frame a person chose for the PDF (default: the most typical one).
    """
    images = key_frame_images(report, clean, 1280, blur_faces, crop=True, contact_frames=contact_frames)
    return [(label, to_jpeg(img)) for label, img in images]


def to_jpeg(img: Image, quality: int = 85) -> bytes:
    """JPEG bytes of an RGB image."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


def cue_frame_images(
    report: GaitReport, clean: CleanPose, max_side_px: int = KEY_FRAME_SIDE_PX, blur_faces: bool = False
) -> dict[int, Image]:
    """The "Show me" frames of every watch/flag cue: cut to the runner (both feet, hip line), the cue's title
    in a banner strip above the picture, so a small runner in a tall frame is still easy to see.

    Returns
    -------
    dict
        frame index → RGB image (frames of info cues are the annotated frame cut to the runner, no banner).
    """
    from gait.outputs.annotated_video import SEVERITY_COLOURS, draw_banner

    titles: dict[int, tuple[str, str]] = {}
    for cue in report.cues:
        for f in cue.frames:
            best = titles.get(int(f))
            rank = ("info", "good", "watch", "flag")
            if best is None or rank.index(cue.severity) > rank.index(best[1]):
                titles[int(f)] = (cue.title, cue.severity)
    images = render_frames(report, clean, sorted(titles), max_side_px=max_side_px, blur_faces=blur_faces)
    out: dict[int, Image] = {}
    for f, img in images.items():
        scale = img.shape[1] / report.video.width
        box = crop_box(clean, f, scale, (img.shape[1], img.shape[0]))
        size = max(0.5, max(img.shape[:2]) / 1400)
        banner_h = int(48 * size)
        if box is None:
            out[f] = img
            continue
        x0, y0, x1, y1 = box
        body = img[max(y0, banner_h) : y1, x0:x1]  # below the full-frame banner
        title, severity = titles[f]
        if severity in ("watch", "flag"):
            strip = np.zeros((banner_h, body.shape[1], 3), np.uint8)
            draw_banner(strip, title, SEVERITY_COLOURS[severity], size)
            body = np.vstack([strip, body])
        out[f] = np.ascontiguousarray(body)
    return out
