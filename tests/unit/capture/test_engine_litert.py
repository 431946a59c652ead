"""The pure pre- and post-processing of our BlazePose loop (gait/capture/engine_litert.py) against known geometry."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gait.capture.engine_litert import (
    Roi,
    crop,
    crop_matrix,
    crop_to_image,
    decode_detections,
    decode_landmarks,
    letterbox,
    refine_from_heatmap,
    roi_from_alignment,
    ssd_anchors,
    unletterbox,
    weighted_nms,
)


def test_anchors_are_blazepose_s_2254_grid_centres() -> None:
    a = ssd_anchors()
    assert a.shape == (2254, 2)
    # 28 × 28 cells with 2 anchors, 14 × 14 with 2, 7 × 7 with 6 (three stride-32 layers share one grid)
    assert np.allclose(a[0], [0.5 / 28, 0.5 / 28]) and np.allclose(a[1], a[0])
    assert np.allclose(a[2], [1.5 / 28, 0.5 / 28])
    assert np.allclose(a[28 * 28 * 2], [0.5 / 14, 0.5 / 14])
    last7 = a[28 * 28 * 2 + 14 * 14 * 2 :]
    assert len(last7) == 7 * 7 * 6 and np.allclose(last7[:6], [0.5 / 7, 0.5 / 7])
    assert np.allclose(a[-1], [6.5 / 7, 6.5 / 7])


def test_box_and_keypoint_decode_is_relative_to_the_anchor() -> None:
    anchors = ssd_anchors()
    raw = np.zeros((2254, 12), np.float32)
    logits = np.full((2254, 1), -10.0, np.float32)
    k = 100
    raw[k, :4] = [22.4, -11.2, 44.8, 89.6]  # centre +0.1, -0.05; size 0.2 × 0.4 (in 224 px units)
    raw[k, 4:6] = [0.0, 22.4]  # hip centre 0.1 below the anchor
    raw[k, 6:8] = [0.0, -44.8]  # scale point 0.2 above
    logits[k] = 3.0
    boxes, kps, scores = decode_detections(raw, logits, anchors)
    assert boxes.shape == (1, 4) and scores[0] == pytest.approx(1 / (1 + math.exp(-3.0)), rel=1e-5)
    cx, cy = anchors[k] + [0.1, -0.05]
    assert np.allclose(boxes[0], [cx - 0.1, cy - 0.2, cx + 0.1, cy + 0.2], atol=1e-6)
    assert np.allclose(kps[0, 0], anchors[k] + [0, 0.1], atol=1e-6)
    assert np.allclose(kps[0, 1], anchors[k] + [0, -0.2], atol=1e-6)


def test_weighted_nms_blends_overlaps_and_keeps_separate_people() -> None:
    boxes = np.array([[0.1, 0.1, 0.3, 0.5], [0.12, 0.1, 0.32, 0.5], [0.6, 0.1, 0.8, 0.5]], np.float32)
    kps = np.zeros((3, 4, 2), np.float32)
    kps[:, 0, 0] = [0.2, 0.22, 0.7]
    scores = np.array([0.9, 0.6, 0.8], np.float32)
    out = weighted_nms(boxes, kps, scores)
    assert len(out) == 2
    (box0, kp0, s0), (box1, _, s1) = out
    assert s0 == pytest.approx(0.9) and s1 == pytest.approx(0.8)
    assert box0[0] == pytest.approx((0.1 * 0.9 + 0.12 * 0.6) / 1.5, abs=1e-6)
    assert kp0[0, 0] == pytest.approx((0.2 * 0.9 + 0.22 * 0.6) / 1.5, abs=1e-6)
    assert np.allclose(box1, boxes[2])


def test_roi_from_alignment_points_upright_and_rotated() -> None:
    hip = np.array([300.0, 500.0])
    tilt = math.radians(20.0)  # the body axis leans 20° to the right of vertical (image y down)
    head = hip + 200.0 * np.array([math.sin(tilt), -math.cos(tilt)])
    followed = roi_from_alignment(hip, head, upright_max_deg=None, snap=False)
    assert followed.rotation_rad == pytest.approx(tilt, abs=1e-9)
    assert followed.side_px == pytest.approx(2 * 200 * 1.25)
    assert (followed.cx_px, followed.cy_px) == (300.0, 500.0)
    # the crop's top-centre lies on the body axis, towards the head
    top = crop_to_image(np.array([0.5, 0.0]), followed)
    axis = (head - hip) / 200.0
    assert np.allclose((top - hip) / np.linalg.norm(top - hip), axis, atol=1e-9)
    assert roi_from_alignment(hip, head).rotation_rad == 0.0  # upright: within 45° of vertical
    lying = hip + 200.0 * np.array([1.0, -0.2])
    assert abs(roi_from_alignment(hip, lying).rotation_rad) > math.radians(45)  # followed when far from upright


def test_crops_are_snapped_to_a_grid_so_nearby_crops_become_one() -> None:
    """Crops within a grid step of each other are the same crop (then the same landmarks: two tracking paths that
    come close merge), and a snapped crop is never further from the exact one than half a step."""
    from gait.capture.engine_litert import SNAP_CENTRE_FRAC, SNAP_SIDES_PER_OCTAVE, snapped

    hip = np.array([300.0, 500.0])
    head = hip + np.array([0.0, -200.0])
    exact = roi_from_alignment(hip, head, snap=False)
    snap = roi_from_alignment(hip, head)
    assert snap == snapped(exact) and snap != exact
    assert abs(math.log2(snap.side_px / exact.side_px)) <= 0.5 / SNAP_SIDES_PER_OCTAVE + 1e-12
    step = snap.side_px * SNAP_CENTRE_FRAC
    assert abs(snap.cx_px - exact.cx_px) <= step / 2 + 1e-9 and abs(snap.cy_px - exact.cy_px) <= step / 2 + 1e-9
    assert snapped(snap) == snap  # on the grid already
    rng = np.random.default_rng(0)
    same = [roi_from_alignment(hip + d, head + d) == snap for d in rng.uniform(-0.05, 0.05, size=(20, 2)) * step]
    assert sum(same) >= 15  # a fraction of a step apart: mostly the very same crop
    far = roi_from_alignment(hip + 3 * step, head + 3 * step)
    assert far.cx_px == pytest.approx(snap.cx_px + 3 * step) and far.cy_px == pytest.approx(snap.cy_px + 3 * step)


def test_crop_matrix_matches_the_crop_mapping_and_the_pixels() -> None:
    roi = Roi(320.0, 240.0, 200.0, math.radians(30.0))
    m = crop_matrix(roi, 256)
    for u, v in [(0, 0), (256, 0), (128, 128), (40, 200)]:
        assert np.allclose(m @ [u, v, 1.0], crop_to_image(np.array([u / 256, v / 256]), roi), atol=1e-9)
    img = np.zeros((480, 640, 3), np.uint8)
    spot = crop_to_image(np.array([0.3, 0.7]), roi)
    img[int(round(spot[1])) - 2 : int(round(spot[1])) + 3, int(round(spot[0])) - 2 : int(round(spot[0])) + 3] = 255
    out = crop(img, roi, 256)
    vs, us = np.nonzero(out[:, :, 0] > 100)
    assert abs(us.mean() - 0.3 * 256) < 2.0 and abs(vs.mean() - 0.7 * 256) < 2.0


@pytest.mark.parametrize("shape", [(1280, 720), (480, 640), (300, 300)])
def test_letterbox_round_trip(shape: tuple[int, int]) -> None:
    h, w = shape
    img = np.zeros((h, w, 3), np.uint8)
    x, y = int(w * 0.7), int(h * 0.2)
    img[y - 6 : y + 7, x - 6 : x + 7] = 255
    box, pad = letterbox(img, 224)
    assert box.shape == (224, 224, 3)
    vs, us = np.nonzero(box[:, :, 0] > 100)
    back = unletterbox(np.array([(us.mean() + 0.5) / 224, (vs.mean() + 0.5) / 224]), pad, w, h)
    scale = max(h, w) / 224
    assert np.allclose(back, [x + 0.5, y + 0.5], atol=1.5 * scale)
    if h > w:
        assert pad[1] == 0 and pad[0] == pytest.approx((h - w) / 2 / h)


def test_heatmap_refinement_moves_to_the_confident_peak_only() -> None:
    hm = np.full((64, 64, 2), -10.0, np.float32)
    yy, xx = np.mgrid[0:64, 0:64]
    hm[:, :, 0] = 16.0 * np.exp(-((xx - 20) ** 2 + (yy - 30) ** 2) / 2.0) - 12.0  # confident peak at (20, 30)
    uv = np.array([[21.5 / 64, 29.0 / 64], [10 / 64, 10 / 64]], np.float32)
    out = refine_from_heatmap(uv, hm)
    assert out[0, 0] * 64 == pytest.approx(20.0, abs=0.05) and out[0, 1] * 64 == pytest.approx(30.0, abs=0.05)
    assert np.array_equal(out[1], uv[1])  # nowhere confident: left alone


def test_landmarks_and_world_landmarks_are_turned_with_the_crop() -> None:
    roi = Roi(500.0, 400.0, 256.0, math.radians(90.0))
    lm = np.zeros((39, 5), np.float32)
    lm[:, 0], lm[:, 1] = 128.0 + 64.0, 128.0  # right of the crop's centre
    lm[:, 3], lm[:, 4] = 0.0, 5.0
    world = np.zeros((39, 3), np.float32)
    world[:, 0] = 0.3
    res = decode_landmarks(lm.ravel(), np.full((64, 64, 39), -10.0, np.float32), world.ravel(), 0.9, roi, 256)
    # turned 90° clockwise on screen: the crop's right is the image's down
    assert np.allclose(res.data[:, :2], [500.0, 464.0], atol=1e-3)
    assert np.allclose(res.data[:, 2:5], [0.0, 0.3, 0.0], atol=1e-6)
    assert np.allclose(res.data[:, 5], 0.5) and np.allclose(res.data[:, 6], 1 / (1 + math.exp(-5.0)), atol=1e-6)
    assert res.presence == pytest.approx(0.9)
