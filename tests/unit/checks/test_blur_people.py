"""Blur read from the pixels, and "more than one person" only for someone really there (issue 23, failure 4).
Synthetic images and detections; the real clip with a 41 px motion blur is tests/integration/test_hard_blur.py."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from gait.capture.detections import RawDetections
from gait.capture.pose import assemble_pose
from gait.synthetic.runner import make_pose
from tests.support.runners import info_for


def texture(seed: int = 0, size: tuple[int, int] = (160, 120)) -> np.ndarray:
    """A sharp picture: random blocks and edges of several sizes (a leg, a shoe, a belt's texture)."""
    rng = np.random.default_rng(seed)
    img = np.zeros(size)
    for _ in range(60):
        y, x = rng.integers(0, size[0]), rng.integers(0, size[1])
        h, w = rng.integers(2, 30), rng.integers(2, 30)
        img[y : y + h, x : x + w] = rng.uniform(0, 255)
    return img


def line_blur(img: np.ndarray, length_px: int, vertical: bool = False) -> np.ndarray:
    kernel = np.zeros((length_px, length_px), np.float32)
    kernel[length_px // 2, :] = 1.0 / length_px
    if vertical:
        kernel = kernel.T.copy()
    return np.asarray(cv2.filter2D(img.astype(np.float32), -1, kernel), dtype=float)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_blur_effect_tells_a_smeared_picture_from_a_sharp_one(seed: int) -> None:
    from gait.checks.leg_blur import FAIR_ABOVE, POOR_ABOVE, blur_effect, leg_blur

    img = texture(seed)
    sharp = leg_blur(img)
    assert sharp < FAIR_ABOVE
    assert leg_blur(line_blur(img, 41)) > POOR_ABOVE
    assert leg_blur(line_blur(img, 41, vertical=True)) > POOR_ABOVE  # a blur in any one direction
    # Brightness and contrast do not change it.
    assert leg_blur(0.3 * img + 40.0) == pytest.approx(sharp, abs=1e-6)
    assert np.isnan(blur_effect(np.full((50, 50), 7.0))) and np.isnan(blur_effect(np.zeros((5, 5))))


def test_blur_cap_needs_most_landings_smeared() -> None:
    from gait.checks.leg_blur import blur_cap

    assert blur_cap([]) is None
    assert blur_cap([0.5, 0.52, 0.48, 0.9]) is None  # one smeared landing is not a blurred clip
    fair = blur_cap([0.65, 0.64, 0.66])
    assert fair is not None and fair[0] == "fair"
    poor = blur_cap([0.85, 0.84, 0.86, 0.5])
    assert poor is not None and poor[0] == "poor" and "motion-blurred" in poor[1] and "shutter" in poor[1]


def test_blur_lowers_the_landing_metrics_with_its_warning() -> None:
    from gait import AnalysisConfig, analyze_pose

    runner = make_pose(duration_s=8.0)
    info = info_for(runner.pose)
    sharp, _ = analyze_pose(
        runner.pose, info, AnalysisConfig(), pixels=lambda pose, legs, contacts, soles: (None, [0.45] * 10, {})
    )
    smeared, _ = analyze_pose(
        runner.pose, info, AnalysisConfig(), pixels=lambda pose, legs, contacts, soles: (None, [0.85] * 10, {})
    )
    assert not any("motion-blurred" in w for w in sharp.quality.warnings)
    assert any("motion-blurred" in w for w in smeared.quality.warnings)
    for name in ("shank_angle_at_contact_deg", "ground_contact_time_ms", "overstride_leg_pct", "foot_strike_angle_deg"):
        assert sharp.metrics[name].quality != "poor" and "blurred" not in (sharp.metrics[name].reason or "")
        assert smeared.metrics[name].quality == "poor" and "motion-blurred" in (smeared.metrics[name].reason or "")
    assert smeared.metrics["cadence_spm"].quality == sharp.metrics["cadence_spm"].quality
    assert smeared.diagnostics["landing_blur"] == [0.85] * 10


def _person(x0: float, y0: float, h: float = 300.0) -> np.ndarray:
    """One detection (33 landmarks × x, y, world x, y, z, visibility, presence) filling a box at (x0, y0)."""
    rng = np.random.default_rng(int(x0 + y0))
    c = np.zeros((33, 7), np.float32)
    c[:, 0] = x0 + rng.uniform(0, 0.4 * h, 33)
    c[:, 1] = y0 + np.linspace(0, h, 33)
    c[:, 5:] = 0.9
    return c


def detections(n: int, ghost_frames: range = range(0), other_frames: range = range(0)) -> RawDetections:
    raw = RawDetections()
    for k in range(n):
        people = [_person(300 + k, 100)]
        if k in ghost_frames:  # the landmarker reads the blurred runner twice, nearly on top of itself
            people.append(_person(310 + k, 110))
        if k in other_frames:  # someone else, beside the treadmill
            people.append(_person(900, 150))
        raw.times.append(k / 30.0)
        raw.index.append(k)
        raw.candidates.append(people)
        raw.n_people_max = max(raw.n_people_max, len(people))
    return raw


def test_a_ghost_of_the_runner_is_not_a_second_person() -> None:
    info = info_for(make_pose(duration_s=4.0, fps=30.0).pose)
    assert assemble_pose(info, detections(120), "full").n_people_max == 1
    ghosts = assemble_pose(info, detections(120, ghost_frames=range(40, 46)), "full")
    assert ghosts.n_people_max == 1
    long_ghost = assemble_pose(info, detections(120, ghost_frames=range(20, 100)), "full")
    assert long_ghost.n_people_max == 1  # on top of the runner all along: still the runner
    flicker = assemble_pose(info, detections(120, other_frames=range(50, 53)), "full")
    assert flicker.n_people_max == 1  # three frames of a poster: nobody followed


def test_someone_else_in_view_is_counted() -> None:
    info = info_for(make_pose(duration_s=4.0, fps=30.0).pose)
    pose = assemble_pose(info, detections(120, other_frames=range(30, 90)), "full")
    assert pose.n_people_max == 2
