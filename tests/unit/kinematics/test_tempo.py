"""Step rhythm: the step period when left and right steps differ, and every step found when part of a clip plays
in slow motion (the whole-clip period is then the slow one)."""

from __future__ import annotations

import numpy as np
import pytest

from gait import AnalysisConfig, analyze_pose
from gait.kinematics.rhythm import step_period_s
from gait.synthetic.runner import make_pose
from tests.support.runners import HEALTHY, info_for, slowed_in_the_middle


def unequal_steps(step_s: float, fps: float, near: float, far: float, duration_s: float = 12.0) -> np.ndarray:
    """A bounce with one bump per step, alternately ``near`` and ``far`` high (a far foot seen worse, a limp)."""
    t = np.arange(int(duration_s * fps)) / fps
    x = np.zeros_like(t)
    for k, t0 in enumerate(np.arange(0.0, duration_s, step_s)):
        x += (near if k % 2 == 0 else far) * np.exp(-0.5 * ((t - t0) / (0.12 * step_s)) ** 2)
    return x


@pytest.mark.parametrize("far", [1.0, 0.6, 0.35])
def test_the_step_period_not_the_stride_when_left_and_right_steps_differ(far: float) -> None:
    # With far = 0.35 the stride lag's autocorrelation beats the step lag's by more than 25 %: picked alone it
    # would halve the cadence (every other step missed).
    p = step_period_s(unequal_steps(0.36, 30.0, 1.0, far), 30.0, 0.2, 5.0)
    assert p is not None and abs(p - 0.36) < 0.01, p


def test_a_slower_rhythm_is_not_mistaken_for_unequal_steps() -> None:
    # A genuinely slow rhythm (2x slow motion) has a trough at half its period, so it keeps its period.
    p = step_period_s(unequal_steps(0.72, 30.0, 1.0, 1.0), 30.0, 0.2, 5.0)
    assert p is not None and abs(p - 0.72) < 0.02, p


def test_every_step_is_found_when_most_of_the_clip_plays_in_slow_motion() -> None:
    """Real time 3 s, slowed 2x for 6 s (12 s of playback), real time 3 s: the whole-clip rhythm is the slow
    one, and spacing steps by it dropped every other step of the real-time parts."""
    slowed = slowed_in_the_middle(2.0, real_s=(3.0, 6.0, 3.0))
    steady = make_pose(fps=60.0, duration_s=12.5, **HEALTHY)
    report, _ = analyze_pose(slowed, info_for(slowed, 60.0), AnalysisConfig(height_cm=175.0))
    n_truth = sum(1 for v in steady.truth["contacts"].values() for t in v if t <= 12.0)
    contacts = [e for e in report.events if e.kind == "contact"]
    assert abs(len(contacts) - n_truth) <= 1, (len(contacts), n_truth)
    # Times are withheld as slow motion (in part or, by the median cadence, in whole): never averaged.
    assert report.metrics["cadence_spm"].value is None and "slow" in (report.metrics["cadence_spm"].reason or "")


@pytest.mark.parametrize(
    ("fps", "cadence"),
    [(fps, c) for fps in (30.0, 60.0) for c in (150.0, 170.0, 280.0, 290.0, 300.0, 310.0, 320.0, 340.0)]
    + [(60.0, 400.0)],  # at 30 fps a 400 steps/min step is 4.5 frames: too few to resolve its peak
)
def test_the_step_rhythm_is_found_even_where_it_is_too_fast_to_be_real(fps: float, cadence: float) -> None:
    """A step signal beyond the plausible top (300 steps/min) reads at its cadence, never at half of it: half
    would look like a plausible runner (a clip played 2x fast of a 145-160 steps/min runner read 145-160)."""
    from gait.kinematics.rhythm import step_period_s

    rng = np.random.default_rng(int(cadence))
    t = np.arange(int(20 * fps)) / fps
    step_hz = cadence / 60.0
    # A step bump plus a weaker stride component (the two feet differ) and landmark noise.
    x = np.cos(2 * np.pi * step_hz * t) + 0.3 * np.cos(np.pi * step_hz * t) + 0.1 * rng.standard_normal(t.size)
    period = step_period_s(x, fps, 60.0 / 300.0, 60.0 / 12.0)
    assert period is not None and 60.0 / period == pytest.approx(cadence, rel=0.05), (cadence, period)
