"""The scene's vertical vanishing point (gait.capture.verticals) against a pinhole camera with a known pitch and
roll."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gait.capture.verticals import VerticalPoint, distinct, vertical_point

W, H = 720, 1280  # a portrait phone video
F = 0.72 * H  # the lens the estimate assumes


def camera(pitch_deg: float, roll_deg: float, f: float = F):
    """A projection world (X right, Y up, Z away) → picture (x right, y down) for a phone pitched up by
    ``pitch_deg`` and rolled by ``roll_deg`` (its top to the right), at the origin."""
    p, r = math.radians(pitch_deg), math.radians(roll_deg)
    fwd = np.array([0.0, math.sin(p), math.cos(p)])
    up0 = np.array([0.0, math.cos(p), -math.sin(p)])
    right0 = np.array([1.0, 0.0, 0.0])
    right = math.cos(r) * right0 - math.sin(r) * up0
    up = math.sin(r) * right0 + math.cos(r) * up0

    def project(pts: np.ndarray) -> np.ndarray:
        pts = np.atleast_2d(pts)
        z = pts @ fwd
        return np.column_stack([W / 2 + f * (pts @ right) / z, H / 2 - f * (pts @ up) / z])

    return project


def scene(pitch_deg: float, roll_deg: float, n_edges: int = 20, n_clutter: int = 25, seed: int = 1) -> np.ndarray:
    """Segments of a room's upright edges (door frames, cupboards) seen by that phone, with clutter: slanted
    edges within 20° of the picture's vertical."""
    rng = np.random.default_rng(seed)
    project = camera(pitch_deg, roll_deg)
    segs = []
    while len(segs) < n_edges:
        x, z = rng.uniform(-3, 3), rng.uniform(3, 8)
        y0 = rng.uniform(-1.0, 1.5)
        a, b = project(np.array([[x, y0, z], [x, y0 + rng.uniform(0.5, 1.5), z]]))
        if 0 <= min(a[0], b[0]) and max(a[0], b[0]) <= W and 0 <= min(a[1], b[1]) and max(a[1], b[1]) <= H:
            segs.append([*a, *b])
    for _ in range(n_clutter):
        x, y = rng.uniform(0, W), rng.uniform(0, H)
        tilt = math.radians(rng.uniform(-20, 20))
        length = rng.uniform(0.05, 0.2) * H
        segs.append([x, y, x + length * math.sin(tilt), y - length * math.cos(tilt)])
    return np.asarray(segs)


@pytest.mark.parametrize(("pitch", "roll"), [(0.0, 0.0), (12.0, 0.0), (25.0, -2.0), (-10.0, 3.0), (5.0, 6.0)])
def test_the_pitch_and_the_vertical_at_any_place_are_read_back(pitch: float, roll: float) -> None:
    vp = vertical_point(scene(pitch, roll), W, H)
    assert vp is not None
    assert vp.pitch_deg(F) == pytest.approx(pitch, abs=0.5)
    project = camera(pitch, roll)
    for x, y, z in [(-1.0, 0.0, 4.0), (1.2, -0.8, 3.0), (0.0, 0.5, 5.0)]:
        a, b = project(np.array([[x, y, z], [x, y + 0.3, z]]))  # a true vertical through a point of the picture
        truth = math.degrees(math.atan2(b[0] - a[0], a[1] - b[1]))
        assert vp.vertical_tilt_deg(*a) == pytest.approx(truth, abs=0.3)


def test_a_rolled_level_phone_tilts_every_vertical_the_same() -> None:
    vp = vertical_point(scene(0.0, 4.0), W, H)
    assert vp is not None
    tilts = [vp.vertical_tilt_deg(x, y) for x in (50, 360, 670) for y in (100, 640, 1200)]
    # The phone's top turned 4° to the right: in its picture the world's verticals lean 4° to the left.
    assert tilts == pytest.approx([-4.0] * len(tilts), abs=0.3)


def test_a_phone_looking_up_tilts_verticals_towards_the_middle() -> None:
    vp = vertical_point(scene(15.0, 0.0), W, H)
    assert vp is not None
    # Left of the middle the tops lean right, right of it they lean left; in the middle column they stand.
    assert vp.vertical_tilt_deg(100, 640) > 2.0
    assert vp.vertical_tilt_deg(620, 640) < -2.0
    assert vp.vertical_tilt_deg(360, 640) == pytest.approx(0.0, abs=0.3)


def test_clutter_alone_gives_no_vanishing_point() -> None:
    assert vertical_point(scene(0.0, 0.0, n_edges=0, n_clutter=60, seed=3), W, H) is None


def test_edges_bunched_in_one_place_give_no_vanishing_point() -> None:
    segs = scene(10.0, 0.0, n_edges=20, n_clutter=0)
    bunched = segs.copy()
    bunched[:, [0, 2]] = 300 + (segs[:, [0, 2]] - segs[:, [0]].mean()) * 0.02  # all within a few pixels of x=300
    assert vertical_point(bunched, W, H) is None


def test_the_same_edge_seen_in_many_frames_counts_once() -> None:
    few = scene(10.0, 0.0, n_edges=5, n_clutter=0)
    assert len(distinct(np.tile(few, (6, 1)), H)) == 5
    assert vertical_point(np.tile(few, (6, 1)), W, H) is None  # 5 edges, however many frames show them


def test_parallel_verticals_mean_a_level_phone() -> None:
    segs = np.array([[x, 200.0, x, 600.0] for x in np.linspace(50, 670, 12)])
    vp = vertical_point(segs, W, H)
    assert vp is not None
    assert vp.pitch_deg() == pytest.approx(0.0, abs=0.1)
    assert vp.vertical_tilt_deg(100, 900) == pytest.approx(0.0, abs=0.1)


def test_round_trip_through_the_report() -> None:
    vp = vertical_point(scene(12.0, 1.0), W, H)
    assert vp is not None
    assert VerticalPoint.from_dict(vp.to_dict()) == vp


def _scene_video(path, segs: np.ndarray, n_frames: int = 10) -> None:
    """A 30 fps H.264 clip (a key frame every 5 frames) of ``segs`` drawn dark on a light background."""
    from fractions import Fraction

    import av
    import cv2

    img = np.full((H, W, 3), 230, np.uint8)
    for x1, y1, x2, y2 in segs:
        cv2.line(img, (int(x1), int(y1)), (int(x2), int(y2)), (20, 20, 20), 3)
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=Fraction(30))
        s.width, s.height, s.pix_fmt = W, H, "yuv420p"
        s.options = {"preset": "ultrafast", "g": "5"}
        for _ in range(n_frames):
            for packet in s.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                c.mux(packet)
        for packet in s.encode():
            c.mux(packet)


def test_the_scene_is_read_from_the_video_with_the_runner_left_out(tmp_path) -> None:
    from gait.capture.probe import probe_video
    from gait.capture.scene import scene_verticals
    from gait.synthetic.runner import make_pose
    from tests.support.runners import HEALTHY, first_frames

    room = scene(15.0, 0.0, n_edges=50, n_clutter=0)
    box = (430.0, 500.0, 700.0, 1250.0)  # where the runner is: long parallel edges leaning 12°, like a limb
    runner = np.array([[x, box[1] + 20, x + 0.2 * 700, box[1] + 20 + 700] for x in np.linspace(440, 540, 12)])
    room = room[~((room[:, 0] > box[0] - 20) & (room[:, 1] > box[1] - 20))]  # the room is behind the runner
    video = tmp_path / "room.mp4"
    _scene_video(video, np.concatenate([room, runner]))
    info = probe_video(video)
    full = make_pose(fps=30.0, duration_s=3.0, **HEALTHY).pose
    n = 10  # the clip's frames
    pose = first_frames(full, n)
    corners = np.array([[box[0], box[1]], [box[2], box[3]]])
    here = pose.with_(image_xy_px=np.broadcast_to(np.resize(corners, (33, 2)), (n, 33, 2)).copy())
    vp = scene_verticals(info, here)
    assert vp is not None and vp.pitch_deg(F) == pytest.approx(15.0, abs=1.0)
    # The test can fail: with the runner's box elsewhere, their "limbs" are taken for the room's edges.
    elsewhere = here.with_(image_xy_px=here.image_xy_px - np.array([400.0, 450.0]))
    wrong = scene_verticals(info, elsewhere)
    assert wrong is None or abs(wrong.pitch_deg(F) - 15.0) > 1.0
