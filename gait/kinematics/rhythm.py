"""The step rhythm: the step period of a signal, how it changes through a clip, and what a rhythm slower than
any gait says about the clip (slow motion)."""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.core.types import FloatArray
from gait.kinematics.clean import fill_gaps
from gait.kinematics.cleaned import CleanPose


def _faster_than_the_range(ac: FloatArray, k: int, lo: int) -> int:
    """``k``, or half of it when the rhythm is faster than the search allows (a sped-up clip, a wrong frame rate):
    the chosen lag is then two steps, and the step shows as a peak at half of it, below the range, as strong as
    the first-peak rule asks (0.8). Taken, the cadence reads as implausible, not as a plausible half. (A clip
    played 2x fast read 164 steps/min, "fair", instead of 338.) In real footage half a step is a trough."""
    lo2 = max(1, int(0.85 * k / 2))
    peaks, _ = find_peaks(ac[lo2 : lo + 2], height=0.8 * ac[k])  # up to lo itself (a slice's ends are no peaks)
    near = [int(p) + lo2 for p in peaks if abs(int(p) + lo2 - k / 2) <= 0.15 * k]
    return max(near, key=lambda p: ac[p]) if near else k


def step_period_s(
    signal: FloatArray, fps: float, min_s: float, max_s: float, half_lag_min_ratio: float = 0.3
) -> float | None:
    """Dominant period (s) of a step-periodic signal from its autocorrelation, or None if none stands out.

    Within [``min_s``, ``max_s``], except for a rhythm faster than ``min_s``: then half of a lag inside the range
    (see :func:`_faster_than_the_range`), so that a clip played fast reads as implausibly fast.

    ``half_lag_min_ratio``: a peak at half the chosen lag at least this strong (relative) is taken instead: the
    chosen lag was a stride of two unequal steps.
    """
    x = fill_gaps(signal, int(fps))
    x = x[np.isfinite(x)]
    if x.size < 4 * max(2, int(min_s * fps)):
        return None
    x = x - x.mean()
    n = x.size
    spec = np.fft.rfft(x, 2 * n)
    ac = np.fft.irfft(spec * np.conj(spec))[:n]
    if ac[0] <= 0:
        return None
    ac = ac / ac[0] / (1.0 - np.arange(n) / n).clip(0.25)  # unbiased-ish
    lo, hi = max(1, int(min_s * fps)), min(n - 2, int(max_s * fps) + 1)
    if hi <= lo + 1:
        return None
    found, props = find_peaks(ac[lo - 1 : hi], height=0.2)
    peaks = found + (lo - 1)  # absolute lags; a peak at lo itself counts (find_peaks never reports a slice's ends)
    if peaks.size == 0:
        return None
    # The first peak nearly as strong as the strongest is the step (later ones are its multiples).
    heights = props["peak_heights"]
    k = int(peaks[np.flatnonzero(heights >= 0.8 * heights.max())[0]])
    # Left and right steps differ (far foot, a limp), so the stride lag can beat the step lag by more than the
    # 0.8 above. A step-periodic signal still shows a clear peak at half the stride lag; a genuinely slower
    # rhythm (slow motion) has a trough there. So a strong enough peak near half the chosen lag is the step.
    half = [int(p) for p in peaks if abs(int(p) - k / 2) <= 0.15 * k]
    if half:
        j = max(half, key=lambda p: ac[p])
        if ac[j] >= half_lag_min_ratio * ac[k]:
            k = j
    k = _faster_than_the_range(ac, k, lo)
    # Parabolic refinement of the lag.
    y0, y1, y2 = ac[k - 1], ac[k], ac[k + 1]
    den = y0 - 2 * y1 + y2
    shift = 0.5 * (y0 - y2) / den if den < 0 else 0.0
    return float((k + shift) / fps)


def tempo_change_ratio(
    clean: CleanPose, config: AnalysisConfig, window_s: float = 4.0, hop_s: float = 1.0
) -> float | None:
    """How many times slower the step rhythm is in the slowest part of the clip than in the fastest.

    The step period is measured from the pelvis's vertical bounce (one cycle per step, on either side of the
    body) in sliding windows. Runners hold their rhythm on a treadmill; a ratio near 2, 4 or 8 means part of
    the clip plays in slow motion (phones often slow only the middle of a slow-motion clip). The second-longest
    and second-shortest window periods are compared, so one odd window cannot raise it. None for clips too
    short to tell (under ``3 × window_s``) or without a clear rhythm.
    """
    t = clean.pose.times_s
    if t.size == 0 or t[-1] - t[0] < 3 * window_s:
        return None
    bounce = clean.up([L.LEFT_HIP, L.RIGHT_HIP])
    periods = windowed_step_periods_s(bounce, t, clean.pose.fps, 60.0 / config.max_cadence_spm, window_s, hop_s)
    if len(periods) < 4:
        return None
    ordered = sorted(periods)
    return float(ordered[-2] / ordered[1])


def windowed_step_periods_s(
    signal: FloatArray, times_s: FloatArray, fps: float, min_s: float, window_s: float = 4.0, hop_s: float = 1.0
) -> list[float]:
    """The step period (s) of ``signal`` in each ``window_s`` window, ``hop_s`` apart (periods up to half a
    window; windows without a clear rhythm are left out)."""
    periods = []
    start = float(times_s[0]) if times_s.size else 0.0
    while times_s.size and start + window_s <= float(times_s[-1]) + 1e-9:
        m = (times_s >= start) & (times_s < start + window_s)
        p = step_period_s(signal[m], fps, min_s, window_s / 2)
        if p is not None:
            periods.append(p)
        start += hop_s
    return periods


def slow_rhythm_hint(contact_times_s: list[float], walking_min_cadence_spm: float = 60.0) -> str | None:
    """Why a clip with too few steps has them: the steps found come slower than anyone walks or runs (a
    slow-motion clip shows few steps in its length). None when there is no such sign.

    Parameters
    ----------
    contact_times_s : times of the few contacts (or midstances) found, in the clip's own time.
    walking_min_cadence_spm : slower than this is no human gait in real time (slow walking is ~80-100).
    """
    if len(contact_times_s) < 2:
        return None
    gap_s = float(np.median(np.diff(sorted(contact_times_s))))
    if gap_s <= 0 or 60.0 / gap_s >= walking_min_cadence_spm:
        return None
    return (
        f"The steps that were found come one every {gap_s:.1f} s ({60.0 / gap_s:.0f} steps/min), slower than "
        "anyone walks or runs: this looks like a slow-motion clip, which holds few steps for its length. Record "
        "20-30 s at normal speed, or a slow-motion clip long enough for a dozen steps and give the phone's "
        "capture rate, e.g. 240 fps."
    )
