"""Cleaning functions on small arrays with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.kinematics.clean import correct_leg_swaps, fill_gaps, lowpass, remove_outliers


def test_fill_gaps_only_short_inner_gaps() -> None:
    x = np.arange(12, dtype=float)
    x[[0, 3, 4, 8, 9, 10]] = np.nan  # leading gap, a 2-gap, a 3-gap
    out = fill_gaps(x, max_gap_frames=2)
    assert np.isnan(out[0])
    np.testing.assert_allclose(out[3:5], [3.0, 4.0])
    assert np.isnan(out[8:11]).all()
    assert np.isnan(x[3])  # input untouched


def test_remove_outliers_drops_a_glitch_but_keeps_fast_smooth_motion() -> None:
    t = np.arange(60) / 30.0
    x = 100 * np.sin(2 * np.pi * 1.4 * t)  # a foot swinging ±100 px at stride frequency
    x[20] += 80.0
    out = remove_outliers(x, half_window=2, threshold=40.0)
    assert np.isnan(out[20])
    assert np.isfinite(np.delete(out, 20)).all()


def test_lowpass_cutoff_respects_nyquist() -> None:
    cfg = AnalysisConfig(cutoff_hz=12.0, cutoff_max_nyquist_fraction=0.55)
    assert cfg.cutoff_for(60.0) == 12.0
    assert cfg.cutoff_for(30.0) == pytest.approx(0.55 * 15.0)
    assert cfg.cutoff_for(15.0) == pytest.approx(0.55 * 7.5)
    t = np.arange(300) / 30.0
    slow, fast = np.sin(2 * np.pi * 1.5 * t), 0.5 * np.sin(2 * np.pi * 13.0 * t)
    out = lowpass(slow + fast, 30.0, 8.0)
    assert np.max(np.abs(out[30:-30] - slow[30:-30])) < 0.05  # the 13 Hz jitter is gone, zero phase


def test_lowpass_leaves_nan_gaps_and_filters_each_stretch() -> None:
    x = np.sin(np.arange(100) / 5.0)
    x[50:60] = np.nan
    out = lowpass(x, 30.0, 6.0)
    assert np.isnan(out[50:60]).all() and np.isfinite(out[:50]).all() and np.isfinite(out[60:]).all()


def _legs(n: int = 90, fps: float = 30.0) -> np.ndarray:
    """Two legs in antiphase (side view): left ahead when right behind."""
    t = np.arange(n) / fps
    xy = np.zeros((n, 33, 2))
    for k, (a, b) in enumerate(L.LEG_PAIRS):
        phase = 2 * np.pi * 1.4 * t
        xy[:, a, 0] = 500 + 120 * np.sin(phase) + 5 * k
        xy[:, b, 0] = 500 - 120 * np.sin(phase) + 5 * k
        xy[:, a, 1] = xy[:, b, 1] = 600 + 40 * k
    return xy


@pytest.mark.parametrize("interval", [(10, 11), (30, 36), (50, 70)])
def test_leg_swaps_are_undone(interval: tuple[int, int]) -> None:
    truth = _legs()
    swapped = truth.copy()
    s, e = interval
    for a, b in L.LEG_PAIRS:
        swapped[s:e, a], swapped[s:e, b] = truth[s:e, b], truth[s:e, a]
    fixed, flip, episodes = correct_leg_swaps(swapped, flip_cost_px=5.0)
    # Legs cross twice per stride; frames where they overlap can go either way, so compare the separated ones.
    sep = np.abs(truth[:, L.LEFT_ANKLE, 0] - truth[:, L.RIGHT_ANKLE, 0]) > 30
    np.testing.assert_allclose(fixed[sep], truth[sep])
    assert episodes >= 1 and flip[s:e][sep[s:e]].all()


def test_no_swap_no_correction() -> None:
    truth = _legs()
    fixed, flip, episodes = correct_leg_swaps(truth, flip_cost_px=5.0)
    assert episodes == 0 and not flip.any()
    np.testing.assert_array_equal(fixed, truth)


def test_the_cleaning_thresholds_are_named_settings() -> None:
    import dataclasses

    from gait.core.config import AnalysisConfig
    from gait.kinematics.clean import detect_view
    from gait.synthetic.runner import make_pose

    names = {f.name for f in dataclasses.fields(AnalysisConfig)}
    assert "min_visibility" not in names  # it was never read
    pose = make_pose(fps=60.0, duration_s=4.0).pose
    assert detect_view(pose, AnalysisConfig())[0] == "side"
    assert detect_view(pose, AnalysisConfig(view_side_ratio_max=0.0))[0] != "side"
