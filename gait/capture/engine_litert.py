"""BlazePose with LiteRT: the two models of the ``.task`` bundle run by our own code.

Written from MediaPipe's published pose graphs (pose detector → alignment-point rect → 1.25 × square crop →
landmark model → heatmap refinement → projection back to the image), as pure numpy functions plus one small class
holding the two interpreters. Nothing is smoothed here: the cleaning stage owns filtering.

Conventions: a region of interest (:class:`Roi`) is a square in image pixels, its centre, side and rotation in
radians (positive turns the crop's axes clockwise on screen, image y pointing down); crop pixel ``(u, v)`` of an
``S × S`` crop maps to ``centre + R(rotation) @ ((u / S - 0.5) * side, (v / S - 0.5) * side)``.
"""

from __future__ import annotations

import functools
import math
import os
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gait.capture.models import DEFAULT_MODEL, resolve_model

FloatArray = NDArray[np.float32]

DETECTOR_SIZE_PX = 224
LANDMARK_SIZE_PX = 256
HEATMAP_KERNEL = 7
N_MODEL_LANDMARKS = 39  # 33 body landmarks + 2 alignment points (hip centre, scale/rotation) + 4 unused
ROI_SCALE = 1.25
MIN_DETECTION_SCORE = 0.5
MIN_PRESENCE = 0.5
NMS_IOU = 0.3
#: a crop is upright (rotation 0) while the body axis it would follow is within this of vertical
UPRIGHT_MAX_DEG = 45.0
#: a crop's side is snapped to one of this many sizes an octave (0.54 % apart: about one pixel of the model's input at
#: its edge), and its centre to a grid of one input pixel: two runs whose crops come within a step of each other read
#: the same crop, and from then on the same landmarks (without it, a person's crops after someone crossed in front,
#: or after the seam of two workers, followed their own path to the end of the clip, and a far foot's landing 180
#: frames later moved 2 frames; ``tests/integration/test_crossing.py``). A coarser grid (16 sizes an octave, 8 input
#: pixels) merged the paths too, and moved the accuracy figures about as much as a few pixels' shift of the picture
#: does (``python -m benchmarks.engine_spread``, docs/ACCURACY.md)
SNAP_SIDES_PER_OCTAVE = 128
SNAP_CENTRE_FRAC = 1 / LANDMARK_SIZE_PX


@dataclass(frozen=True)
class Roi:
    """A square region of the image, in pixels, turned by ``rotation_rad``."""

    cx_px: float
    cy_px: float
    side_px: float
    rotation_rad: float = 0.0

    def corners_px(self) -> FloatArray:
        """(4, 2) the crop's corners in image pixels (top-left, top-right, bottom-right, bottom-left)."""
        unit = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]], dtype=np.float32)
        return np.asarray(crop_to_image(unit + 0.5, self), dtype=np.float32)

    def box_px(self) -> tuple[float, float, float, float]:
        """Axis-aligned bounding box of the crop (x0, y0, x1, y1)."""
        c = self.corners_px()
        return float(c[:, 0].min()), float(c[:, 1].min()), float(c[:, 0].max()), float(c[:, 1].max())


# --- the detector ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def ssd_anchors(size_px: int = DETECTOR_SIZE_PX, strides: tuple[int, ...] = (8, 16, 32, 32, 32)) -> FloatArray:
    """(N, 2) anchor centres in [0, 1] of BlazePose's detector (2254 for 224 × 224).

    Two anchors per cell and layer (aspect ratio 1 and its interpolated scale, fixed size); layers of one stride
    share a grid, so their anchors are consecutive per cell.
    """
    out: list[FloatArray] = []
    k = 0
    while k < len(strides):
        same = 1
        while k + same < len(strides) and strides[k + same] == strides[k]:
            same += 1
        n = int(math.ceil(size_px / strides[k]))
        ys, xs = np.meshgrid((np.arange(n) + 0.5) / n, (np.arange(n) + 0.5) / n, indexing="ij")
        cells = np.stack([xs.ravel(), ys.ravel()], axis=1)
        out.append(np.repeat(cells, 2 * same, axis=0))
        k += same
    return np.concatenate(out).astype(np.float32)


def letterbox(rgb: NDArray[np.uint8], size_px: int) -> tuple[NDArray[np.uint8], tuple[float, float]]:
    """The frame fitted into a ``size_px`` square, centred on black (resampled corner to corner, as the crops
    are); and the padding (x, y) as fractions of the square."""
    h, w = rgb.shape[:2]
    side = float(max(h, w))
    square = crop(rgb, Roi(w / 2.0, h / 2.0, side), size_px)
    return square, ((side - w) / 2.0 / side, (side - h) / 2.0 / side)


def unletterbox(xy: FloatArray, pad: tuple[float, float], width: int, height: int) -> FloatArray:
    """Letterboxed [0, 1] coordinates (…, 2) to image pixels."""
    px, py = pad
    x = (xy[..., 0] - px) / (1.0 - 2.0 * px) * width
    y = (xy[..., 1] - py) / (1.0 - 2.0 * py) * height
    return np.stack([x, y], axis=-1).astype(np.float32)


def sigmoid(x: NDArray[Any]) -> NDArray[Any]:
    """Logistic function, clipped to avoid overflow."""
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(x, dtype=np.float64), -100.0, 100.0)))


def decode_detections(
    raw: FloatArray, logits: FloatArray, anchors: FloatArray, size_px: int = DETECTOR_SIZE_PX, min_score: float = 0.5
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Detector tensors to boxes (M, 4: x0, y0, x1, y1), keypoints (M, 4, 2) and scores (M,), in [0, 1] of its
    input, for the anchors scoring at least ``min_score``.

    ``raw`` is (N, 12): box centre offset x, y, size w, h, then 4 keypoint offsets, all in input pixels and
    relative to each anchor's centre."""
    scores = sigmoid(logits.reshape(-1))
    keep = np.flatnonzero(scores >= min_score)
    r = raw.reshape(-1, 12)[keep] / size_px
    a = anchors[keep]
    cx, cy = r[:, 0] + a[:, 0], r[:, 1] + a[:, 1]
    boxes = np.stack([cx - r[:, 2] / 2, cy - r[:, 3] / 2, cx + r[:, 2] / 2, cy + r[:, 3] / 2], axis=1)
    kps = r[:, 4:12].reshape(-1, 4, 2) + a[:, None, :]
    return boxes.astype(np.float32), kps.astype(np.float32), scores[keep].astype(np.float32)


def box_iou(a: NDArray[Any], b: NDArray[Any]) -> NDArray[Any]:
    """IoU of one box (4,) with boxes (M, 4), (x0, y0, x1, y1)."""
    ix = np.clip(np.minimum(a[2], b[:, 2]) - np.maximum(a[0], b[:, 0]), 0, None)
    iy = np.clip(np.minimum(a[3], b[:, 3]) - np.maximum(a[1], b[:, 1]), 0, None)
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def weighted_nms(
    boxes: FloatArray, kps: FloatArray, scores: FloatArray, iou: float = NMS_IOU
) -> list[tuple[FloatArray, FloatArray, float]]:
    """Blend overlapping detections: each group (IoU above ``iou`` with its best) becomes the score-weighted mean
    of its boxes and keypoints, with the best score. Best first."""
    order = np.argsort(-scores, kind="stable")
    out = []
    while order.size:
        best = order[0]
        group = order[box_iou(boxes[best], boxes[order]) > iou]
        group = np.union1d(group, [best])
        w = scores[group][:, None]
        box = (boxes[group] * w).sum(0) / w.sum()
        kp = (kps[group] * w[:, :, None]).sum(0) / w.sum()
        out.append((box.astype(np.float32), kp.astype(np.float32), float(scores[best])))
        order = np.setdiff1d(order, group, assume_unique=False)
        order = order[np.argsort(-scores[order], kind="stable")]
    return out


# --- regions of interest ---------------------------------------------------------------------------------------


def roi_from_alignment(
    centre_px: NDArray[Any], scale_px: NDArray[Any], upright_max_deg: float | None = UPRIGHT_MAX_DEG, snap: bool = True
) -> Roi:
    """The crop around a person from their two alignment points (hip centre; a point at the body's radius in the
    direction of the head).

    The side is ``2 × ROI_SCALE × radius``; the rotation turns the hip→head axis to vertical, unless it is within
    ``upright_max_deg`` of vertical already, where the crop stays upright (``None``: always follow the axis, as
    MediaPipe does). Side and centre are then :func:`snapped` to a grid (``snap=False``: as MediaPipe crops).
    """
    dx, dy = float(scale_px[0] - centre_px[0]), float(scale_px[1] - centre_px[1])
    rotation = normalize_rad(math.pi / 2 - math.atan2(-dy, dx))
    if upright_max_deg is not None and abs(rotation) <= math.radians(upright_max_deg):
        rotation = 0.0
    roi = Roi(float(centre_px[0]), float(centre_px[1]), 2.0 * math.hypot(dx, dy) * ROI_SCALE, rotation)
    return snapped(roi) if snap else roi


def snapped(roi: Roi) -> Roi:
    """``roi`` with its side on the grid of :data:`SNAP_SIDES_PER_OCTAVE` sizes an octave and its centre on a grid of
    :data:`SNAP_CENTRE_FRAC` of that side (image pixels); the rotation is kept."""
    if not (roi.side_px > 0 and math.isfinite(roi.side_px) and math.isfinite(roi.cx_px) and math.isfinite(roi.cy_px)):
        return roi
    side = 2.0 ** (round(math.log2(roi.side_px) * SNAP_SIDES_PER_OCTAVE) / SNAP_SIDES_PER_OCTAVE)
    step = side * SNAP_CENTRE_FRAC
    return Roi(round(roi.cx_px / step) * step, round(roi.cy_px / step) * step, side, roi.rotation_rad)


def normalize_rad(a: float) -> float:
    """An angle in [-π, π)."""
    return a - 2 * math.pi * math.floor((a + math.pi) / (2 * math.pi))


def crop_to_image(uv: NDArray[Any], roi: Roi) -> NDArray[Any]:
    """Crop coordinates in [0, 1] (…, 2) to image pixels."""
    c, s = math.cos(roi.rotation_rad), math.sin(roi.rotation_rad)
    x = (uv[..., 0] - 0.5) * roi.side_px
    y = (uv[..., 1] - 0.5) * roi.side_px
    return np.stack([c * x - s * y + roi.cx_px, s * x + c * y + roi.cy_px], axis=-1)


def crop_matrix(roi: Roi, size_px: int) -> NDArray[np.float64]:
    """2 × 3 affine map from crop pixels to image pixels (for ``cv2.warpAffine`` with ``WARP_INVERSE_MAP``)."""
    c, s = math.cos(roi.rotation_rad), math.sin(roi.rotation_rad)
    k = roi.side_px / size_px
    return np.array(
        [
            [c * k, -s * k, roi.cx_px - (c - s) * roi.side_px / 2],
            [s * k, c * k, roi.cy_px - (s + c) * roi.side_px / 2],
        ]
    )


def crop(
    rgb: NDArray[np.uint8], roi: Roi, size_px: int = LANDMARK_SIZE_PX, replicate: bool = False
) -> NDArray[np.uint8]:
    """The ``roi`` of the frame resampled to ``size_px`` square, corner to corner (outside the frame: black, or
    the nearest edge pixel with ``replicate``)."""
    import cv2

    out: NDArray[np.uint8] = cv2.warpAffine(
        rgb,
        crop_matrix(roi, size_px),
        (size_px, size_px),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE if replicate else cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    ).astype(np.uint8, copy=False)
    return out


# --- landmarks -------------------------------------------------------------------------------------------------


def refine_from_heatmap(
    uv: FloatArray, heatmap: FloatArray, kernel: int = HEATMAP_KERNEL, min_confidence: float = 0.5
) -> FloatArray:
    """Landmarks (K, 2) in crop [0, 1] moved to the confidence-weighted mean of their heatmap (H, W, K) around
    them, where the heatmap is confident (its sigmoid peaks at ``min_confidence`` or more within the kernel).

    The kernel is cut at the heatmap's edges; landmarks outside the heatmap are left alone."""
    h, w, n = heatmap.shape
    half = (kernel - 1) // 2
    cols, rows = (uv[:, 0] * w).astype(int), (uv[:, 1] * h).astype(int)  # truncated towards zero
    inside = (cols >= 0) & (cols < w) & (rows >= 0) & (rows < h)
    padded = np.full((h + 2 * half, w + 2 * half, n), -1e4, dtype=np.float32)  # sigmoid 0 beyond the edges
    padded[half : half + h, half : half + w] = heatmap
    offsets = np.arange(kernel)
    k = np.flatnonzero(inside)
    r = rows[k, None] + offsets  # padded coordinates of the window rows (k, kernel)
    c = cols[k, None] + offsets
    conf = sigmoid(padded[r[:, :, None], c[:, None, :], k[:, None, None]])  # (k, kernel, kernel)
    total = conf.sum(axis=(1, 2))
    ok = (conf.max(axis=(1, 2)) >= min_confidence) & (total > 0)
    out = uv.copy()
    if ok.any():
        conf, total, r, c, k = conf[ok], total[ok], r[ok] - half, c[ok] - half, k[ok]
        out[k, 0] = (conf * c[:, None, :]).sum(axis=(1, 2)) / total / w
        out[k, 1] = (conf * r[:, :, None]).sum(axis=(1, 2)) / total / h
    return out


@dataclass(frozen=True)
class PoseResult:
    """One person's landmarks in one frame."""

    data: FloatArray  # (33, 7): image x, y px; world x, y, z m; visibility; presence
    alignment_px: FloatArray  # (2, 2): hip centre and scale point in image pixels (for the next crop)
    presence: float  # the model's pose-presence score


def decode_landmarks(
    landmarks: FloatArray, heatmap: FloatArray, world: FloatArray, presence: float, roi: Roi, size_px: int
) -> PoseResult:
    """The landmark model's tensors (195,), (64, 64, 39), (117,) to image pixels, metres and scores."""
    lm = landmarks.reshape(N_MODEL_LANDMARKS, 5)
    uv = refine_from_heatmap((lm[:, :2] / size_px).astype(np.float32), heatmap)
    xy = crop_to_image(uv, roi)
    wl = world.reshape(N_MODEL_LANDMARKS, 3)[:33]
    c, s = math.cos(roi.rotation_rad), math.sin(roi.rotation_rad)
    wx = c * wl[:, 0] - s * wl[:, 1]
    wy = s * wl[:, 0] + c * wl[:, 1]
    data = np.column_stack([xy[:33], wx, wy, wl[:, 2], sigmoid(lm[:33, 3]), sigmoid(lm[:33, 4])])
    return PoseResult(data.astype(np.float32), xy[33:35].astype(np.float32), float(presence))


# --- the models ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def bundle_models(path: str) -> tuple[bytes, bytes]:
    """The detector and landmark ``.tflite`` bytes of a ``.task`` bundle."""
    with zipfile.ZipFile(path) as z:
        return z.read("pose_detector.tflite"), z.read("pose_landmarks_detector.tflite")


class BlazePose:
    """The bundle's two models in LiteRT interpreters (one thread each; one instance per worker thread)."""

    def __init__(
        self,
        model: str | os.PathLike[str] = DEFAULT_MODEL,
        upright_max_deg: float | None = UPRIGHT_MAX_DEG,
        snap: bool = True,
    ):
        from ai_edge_litert.interpreter import Interpreter

        det, lmk = bundle_models(str(resolve_model(model)))
        self.detector = Interpreter(model_content=det, num_threads=1)
        self.landmarker = Interpreter(model_content=lmk, num_threads=1)
        self.detector.allocate_tensors()
        self.landmarker.allocate_tensors()
        self._det_out = [d["index"] for d in self.detector.get_output_details()]
        self._lmk_out = {tuple(d["shape"][1:]): d["index"] for d in self.landmarker.get_output_details()}
        self.upright_max_deg = upright_max_deg
        self.snap = snap

    def detect(self, rgb: NDArray[np.uint8]) -> list[tuple[Roi, float]]:
        """People found by the detector in a frame: their crops and scores, best first."""
        h, w = rgb.shape[:2]
        img, pad = letterbox(rgb, DETECTOR_SIZE_PX)
        x = (img.astype(np.float32) / 127.5 - 1.0)[None]
        self.detector.set_tensor(self.detector.get_input_details()[0]["index"], x)
        self.detector.invoke()
        raw, logits = (self.detector.get_tensor(i)[0] for i in self._det_out)
        if raw.shape[-1] != 12:
            raw, logits = logits, raw
        boxes, kps, scores = decode_detections(raw, logits, ssd_anchors(), min_score=MIN_DETECTION_SCORE)
        out = []
        for _, kp, score in weighted_nms(boxes, kps, scores):
            pts = unletterbox(kp[:2], pad, w, h)
            out.append((roi_from_alignment(pts[0], pts[1], self.upright_max_deg, self.snap), score))
        return out

    def landmarks(self, rgb: NDArray[np.uint8], roi: Roi) -> PoseResult:
        """The landmarks of the person in ``roi``."""
        x = crop(rgb, roi, LANDMARK_SIZE_PX, replicate=True).astype(np.float32) / 255.0
        self.landmarker.set_tensor(self.landmarker.get_input_details()[0]["index"], x[None])
        self.landmarker.invoke()
        get = self.landmarker.get_tensor
        o = self._lmk_out
        return decode_landmarks(
            get(o[(195,)])[0],
            get(o[(64, 64, 39)])[0],
            get(o[(117,)])[0],
            float(get(o[(1,)])[0, 0]),
            roi,
            LANDMARK_SIZE_PX,
        )

    def next_roi(self, result: PoseResult) -> Roi:
        """The crop for the next frame from this frame's alignment points."""
        return roi_from_alignment(result.alignment_px[0], result.alignment_px[1], self.upright_max_deg, self.snap)
