"""Sub-frame positions on sampled signals and left/right alternation: the small tools event detection in every
view is built from (pure functions of arrays)."""

from __future__ import annotations

import numpy as np

from gait.core.types import FloatArray, Foot

SIDES: tuple[Foot, Foot] = ("left", "right")


def interp_time(times: FloatArray, pos: float) -> float:
    """Time at a fractional frame position."""
    i = int(np.floor(pos))
    i = min(max(i, 0), len(times) - 2)
    frac = pos - i
    return float(times[i] + frac * (times[i + 1] - times[i]))


def peak_position(x: FloatArray, i: int) -> float:
    """Sub-frame position of a local maximum at index ``i`` (parabola through three samples)."""
    if 0 < i < len(x) - 1 and np.isfinite(x[i - 1 : i + 2]).all():
        y0, y1, y2 = x[i - 1], x[i], x[i + 1]
        den = y0 - 2 * y1 + y2
        if den < 0:
            return i + float(np.clip(0.5 * (y0 - y2) / den, -0.5, 0.5))
    return float(i)


def crossing(h: FloatArray, start: int, stop: int, tol: float, direction: int) -> float | None:
    """First sub-frame position, walking from ``start`` towards ``stop`` (step ``direction``), where ``h``
    comes down to ``tol`` or below. Linear interpolation between the two frames around the crossing."""
    prev = start
    for i in range(start, stop, direction):
        if not (0 <= i < len(h)) or not np.isfinite(h[i]):
            return None
        if h[i] <= tol:
            if i == start:
                return float(i)
            a, b = h[prev], h[i]
            frac = (a - tol) / (a - b) if a != b else 0.0
            return prev + direction * float(np.clip(frac, 0.0, 1.0))
        prev = i
    return None


def lift_off(h: FloatArray, start: int, stop: int, tol: float, min_air: int) -> float | None:
    """Sub-frame position where ``h`` first rises above ``tol`` after ``start`` and stays above for ``min_air``
    frames (a toe leaving the belt for the swing, not a wobble of the landmark)."""
    for i in range(max(start, 1), min(stop, len(h) - min_air)):
        if h[i - 1] <= tol < h[i] and np.all(h[i : i + min_air] > tol):
            a, b = h[i - 1], h[i]
            return i - 1 + float((tol - a) / (b - a))
    return None


def alternate(votes: list[Foot], weights: list[float], times: list[float], max_gap_s: float) -> list[Foot]:
    """Alternating L/R labels for a time-ordered list of contacts, per continuous run, agreeing best with votes."""
    labels: list[Foot] = []
    start = 0
    n = len(votes)
    for k in range(1, n + 1):
        if k == n or times[k] - times[k - 1] > max_gap_s:
            best: list[Foot] = []
            best_score = -np.inf
            for first in SIDES:
                other: Foot = "right" if first == "left" else "left"
                cand: list[Foot] = [first if (j - start) % 2 == 0 else other for j in range(start, k)]
                score = sum(w for c, v, w in zip(cand, votes[start:k], weights[start:k], strict=True) if c == v)
                if score > best_score:
                    best, best_score = cand, score
            labels.extend(best)
            start = k
    return labels
