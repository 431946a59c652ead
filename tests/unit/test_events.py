"""Step detection details: a faint far-foot step inside a two-step gap is recovered, and nothing is invented."""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from gait.events import _fill_missed_steps

PERIOD = 10.0  # frames per step


def front_signal(n_steps: int = 12, faint: int | None = 5, faint_amp: float = 0.1) -> np.ndarray:
    """The forward-most heel vs the hips: one peak per step; step ``faint`` barely comes forward."""
    t = np.arange(int(n_steps * PERIOD))
    x = np.cos(2 * np.pi * t / PERIOD)
    if faint is not None:
        around = np.abs(t - faint * PERIOD) < PERIOD / 2
        x[around] = -0.9 + faint_amp * (x[around] + 1)  # prominence 0.3 instead of 2
    return x


def test_a_faint_step_in_a_two_step_gap_is_recovered() -> None:
    x = front_signal()
    peaks = list(find_peaks(x, prominence=0.5)[0])
    assert 50 not in peaks  # the normal search misses it
    filled = _fill_missed_steps(x, peaks, PERIOD, 0.05)
    assert filled == sorted([*peaks, 50])
    assert np.all(np.diff(filled) == PERIOD)


def test_nothing_is_added_without_a_gap_or_across_a_long_absence() -> None:
    x = front_signal(faint=None)
    peaks = list(find_peaks(x, prominence=0.5)[0])
    assert _fill_missed_steps(x, peaks, PERIOD, 0.05) == peaks
    # The runner out of view for five steps: the gap is left alone, and no step is made up at its edges.
    y = front_signal(faint=None)
    y[31:79] = -np.inf  # as detect_events passes it: no pose → -inf
    p = list(find_peaks(y, prominence=0.5)[0])
    assert _fill_missed_steps(y, p, PERIOD, 0.05) == sorted(p)
    # A flat gap (no local maximum) adds nothing either.
    z = front_signal(faint=None)
    z[45:56] = -1.0
    q = list(find_peaks(z, prominence=0.5)[0])
    assert _fill_missed_steps(z, q, PERIOD, 0.05) == q
