"""The pixels' own motion, without the pose model: a cross-check of the step rate, and duplicated frames.

Read from small grey frames of the one decode after pose extraction (:mod:`gait.checks.pixel_reads`), and passed
to the analysis as data (:class:`PixelMotion`):

- **Step rate from the pixels.** The mean absolute difference between consecutive frames inside the legs' region
  (the lower half of the runner's box over the clip) rises and falls once per step: legs swinging through, a foot
  landing. Its step period (:func:`gait.kinematics.rhythm.step_period_s`, the autocorrelation the pose rhythm uses)
  is an
  estimate that owes nothing to the landmarks, so a pose that misses steps, finds steps in noise or reads a
  slow-motion clip's few steps as many, disagrees with it (``check_pixel_rhythm`` in :mod:`gait.checks.motion_checks`).
- **Duplicated frames.** A frame (nearly) identical to the one before is a repeat: frame-rate conversion (e.g.
  24 → 30 fps repeats every 5th frame, evenly spaced, and leaves real time alone) or a slowed edit (repeats that
  stretch the action: the steps then come slower than any runner's). Repeats are counted and their spacing is
  described; their zero motion is bridged before the rhythm is read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from gait.core.types import FloatArray, PoseSequence
from gait.kinematics.rhythm import step_period_s

#: Longer side of the frames the motion is measured on (px): enough for legs, cheap to decode into.
MOTION_SIDE_PX = 160
#: Seconds of the clip read for its motion: a dozen strides and more.
MOTION_MAX_S = 30.0
#: A frame whose mean absolute difference from the one before is below this share of the clip's motion level
#: difference, and below DUPLICATE_MAX_GREY grey levels, repeats it (compression noise leaves a little).
DUPLICATE_MAX_FRAC = 0.1
DUPLICATE_MAX_GREY = 1.0
#: The percentile of the frame differences taken as the clip's motion level (above any share of repeats).
MOTION_LEVEL_PERCENTILE = 90.0
#: Share of the gaps between single repeats at their most common spacing (or twice it) above which they are
#: evenly spaced (a frame-rate conversion), not scattered (stutter, dropped frames).
EVEN_SPACING_MIN_SHARE = 0.8
#: Hips travelling more than this share of the body's height across the picture: not running in place.
RUNNER_TRAVEL_MAX_FRAC = 0.5


@dataclass(frozen=True)
class PixelMotion:
    """What the pixels say about the clip's motion, in its own frame clock."""

    fps: float  # frames per second of the clip's clock (the pose's)
    n_frames: int
    leg_energy: FloatArray  # (n_frames,) mean |difference| from the previous frame in the legs' region; NaN first
    duplicates: tuple[int, ...]  # rows (decoding order) that repeat the previous frame
    step_period_s: float | None  # from leg_energy, repeats bridged; None without a clear rhythm
    stationary: bool = True  # the runner stays in one place in the picture (a treadmill): the rhythm is theirs

    @property
    def step_rate_spm(self) -> float | None:
        """Steps per minute from the pixels (None without a rhythm)."""
        return 60.0 / self.step_period_s if self.step_period_s else None

    @property
    def duplicate_frac(self) -> float:
        """Share of frames that repeat the one before."""
        return len(self.duplicates) / self.n_frames if self.n_frames else 0.0

    @property
    def held_frames(self) -> int:
        """Repeats in runs of two or more (a freeze: the picture held), as opposed to single repeats."""
        d = set(self.duplicates)
        return sum(1 for k in d if k - 1 in d or k + 1 in d)

    @property
    def repeat_every(self) -> int | None:
        """The spacing (frames) of single repeats when it is regular (at least 3 of them and
        EVEN_SPACING_MIN_SHARE of the gaps at that spacing or twice it, ±1 frame): the mark of a frame-rate
        conversion (24 → 30 fps repeats one frame in 5). None otherwise."""
        d = set(self.duplicates)
        single = sorted(k for k in d if k - 1 not in d and k + 1 not in d)
        if len(single) < 3:
            return None
        gaps = np.diff(single)
        values, counts = np.unique(gaps, return_counts=True)
        g = int(values[np.argmax(counts)])
        if g < 2:
            return None
        regular = np.mean([min(abs(x - g), abs(x - 2 * g)) <= 1 for x in gaps])
        return g if regular >= EVEN_SPACING_MIN_SHARE else None

    @property
    def source_fps(self) -> float | None:
        """The rate the clip was filmed at before a conversion repeated one frame in ``repeat_every``."""
        g = self.repeat_every
        return self.fps * (1.0 - 1.0 / g) if g else None

    def to_dict(self) -> dict[str, Any]:
        """The report's ``pixel_motion`` block (report.json)."""
        rate = self.step_rate_spm
        return {
            "step_rate_spm": round(rate, 1) if rate is not None else None,
            "duplicate_frames": len(self.duplicates),
            "duplicate_frac": round(self.duplicate_frac, 3),
            "held_frames": self.held_frames,
            "repeat_every_frames": self.repeat_every,
            "source_fps": round(sf, 2) if (sf := self.source_fps) is not None else None,
            "n_frames": self.n_frames,
            "runner_in_place": self.stationary,
            "fps": self.fps,
            "duplicate_rows": list(self.duplicates),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PixelMotion:
        """The motion a report was made with (its ``diagnostics.pixel_motion``), to score it again; the energy
        curve itself is not kept."""
        rate = d.get("step_rate_spm")
        n = int(d["n_frames"])
        return cls(
            fps=float(d["fps"]),
            n_frames=n,
            leg_energy=np.full(n, np.nan),
            duplicates=tuple(int(k) for k in d.get("duplicate_rows", [])),
            step_period_s=60.0 / float(rate) if rate else None,
            stationary=bool(d.get("runner_in_place", True)),
        )


def legs_box(pose: PoseSequence) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) in full-size px: the lower half of the runner's box over the clip (hips to feet, with a
    margin), from the 5th-95th percentiles of the landmarks; None without a pose."""
    xy = pose.image_xy_px[pose.detected]
    if xy.size == 0 or not np.isfinite(xy).any():
        return None
    x = xy[..., 0][np.isfinite(xy[..., 0])]
    y = xy[..., 1][np.isfinite(xy[..., 1])]
    x0, x1 = np.percentile(x, [2, 98])
    y0, y1 = np.percentile(y, [2, 98])
    mx, my = 0.15 * (x1 - x0), 0.08 * (y1 - y0)
    return float(x0 - mx), float(0.5 * (y0 + y1)), float(x1 + mx), float(y1 + my)


def stays_in_place(pose: PoseSequence) -> bool:
    """True when the runner's hips stay within RUNNER_TRAVEL_MAX_FRAC of the body's height across the picture
    (5th-95th percentile): a treadmill. A walker crossing the picture moves the legs' region's pixels by the
    crossing itself, which is not a step rhythm."""
    from gait.core import landmarks as L

    hips = pose.image_xy_px[pose.detected][:, [L.LEFT_HIP, L.RIGHT_HIP]]
    body = pose.image_xy_px[pose.detected][..., 1]
    if hips.size == 0 or not np.isfinite(hips).any():
        return False
    x = np.nanmean(hips[..., 0], axis=1)
    x = x[np.isfinite(x)]
    height = float(np.nanpercentile(np.nanmax(body, axis=1) - np.nanmin(body, axis=1), 50))
    if x.size < 10 or not height > 0:
        return False
    travel = float(np.percentile(x, 95) - np.percentile(x, 5))
    return travel <= RUNNER_TRAVEL_MAX_FRAC * height


def duplicate_rows(frame_diff: FloatArray) -> list[int]:
    """Rows whose frame repeats the previous one: its difference (``frame_diff[k]``: frame k against k - 1) is
    tiny both absolutely and against the clip's motion level."""
    d = np.asarray(frame_diff, dtype=float)
    finite = d[np.isfinite(d)]
    if finite.size < 3:
        return []
    # The motion level is read high in the distribution: in a slowed edit most frames are repeats, and their
    # median would be the repeats' own compression noise.
    limit = min(DUPLICATE_MAX_GREY, DUPLICATE_MAX_FRAC * float(np.percentile(finite, MOTION_LEVEL_PERCENTILE)))
    return [int(k) for k in np.flatnonzero(np.isfinite(d) & (d <= limit))]


def motion_from_frames(
    grey: list[np.ndarray],
    box_px: tuple[int, int, int, int] | None,
    fps: float,
    min_s: float,
    max_s: float,
    stationary: bool = True,
    times_s: FloatArray | None = None,
) -> PixelMotion:
    """:class:`PixelMotion` of decoded grey frames (pure).

    Parameters
    ----------
    grey : frames (H, W) as float or uint8, in decoding order.
    box_px : (x0, y0, x1, y1) of the legs' region in these frames' pixels (None: the whole frame).
    fps : the clip's frame rate (its own clock). min_s, max_s : step periods searched (s).
    stationary : the runner stays in place (see :func:`stays_in_place`).
    times_s : each frame's time (the clip's clock); None: evenly spaced at ``fps``. A variable frame rate and
        repeated frames are read on the frames' own times, so neither a dropped frame nor a run of repeats
        (a slowed edit) makes a rhythm of its own.
    """
    n = len(grey)
    whole = np.full(n, np.nan)
    legs = np.full(n, np.nan)
    for k in range(1, n):
        a, b = grey[k - 1].astype(np.float32), grey[k].astype(np.float32)
        if a.shape != b.shape:
            continue
        diff = np.abs(b - a)
        whole[k] = float(diff.mean())
        if box_px is not None:
            x0, y0, x1, y1 = box_px
            region = diff[y0:y1, x0:x1]
            legs[k] = float(region.mean()) if region.size else np.nan
        else:
            legs[k] = whole[k]
    dups = duplicate_rows(whole)
    # A runner crossing the picture moves its pixels by the crossing itself: no step rhythm to read there.
    period = _rhythm(legs, dups, times_s, fps, min_s, max_s) if stationary else None
    return PixelMotion(
        fps=fps, n_frames=n, leg_energy=legs, duplicates=tuple(dups), step_period_s=period, stationary=stationary
    )


def _rhythm(
    legs: FloatArray, dups: list[int], times_s: FloatArray | None, fps: float, min_s: float, max_s: float
) -> float | None:
    """The step period (s) of the legs' frame-difference energy, read on the frames that show new motion.

    Repeats are left out (their zero is the clock's, not the runner's). A difference across a gap in the
    timestamps (dropped frames, a variable frame rate) is divided by the frames it spans, above the noise floor.
    Single repeats at a
    regular spacing are a frame-rate conversion: the new frames are then evenly spaced in real time. Runs of
    repeats (a slowed edit) keep their display times, so the rhythm is the one the clip shows. The result is
    resampled onto an even grid before the autocorrelation (:func:`gait.kinematics.rhythm.step_period_s`).
    """
    n = len(legs)
    t = np.arange(n) / fps if times_s is None else np.asarray(times_s, dtype=float)
    keep = np.isfinite(legs)
    keep[list(dups)] = False
    rows = np.flatnonzero(keep & (np.arange(n) > 0))
    if rows.size <= 8:
        return None
    nominal = float(np.median(np.diff(t)))
    if not nominal > 0:
        return None
    gap = (t[rows] - t[rows - 1]) / nominal
    after_repeat = np.isin(rows - 1, dups)
    floor = float(np.percentile(legs[rows], 5))  # sensor and compression noise: no motion, whatever the gap
    rate = floor + (legs[rows] - floor) / np.where(after_repeat, 1.0, np.maximum(gap, 1.0))
    tt = t[rows]
    converted = PixelMotion(fps, n, legs, tuple(dups), None).repeat_every is not None
    if converted:
        tt = np.linspace(tt[0], tt[-1], tt.size)
    step = float(np.median(np.diff(tt)))
    if not step > 0:
        return None
    grid = np.arange(tt[0], tt[-1], step)
    return step_period_s(np.interp(grid, tt, rate), 1.0 / step, min_s, max_s) if grid.size > 8 else None


def motion_of_small_frames(
    grey: list[np.ndarray],
    times_s: FloatArray,
    scale: float,
    pose: PoseSequence,
    min_period_s: float,
    max_period_s: float,
) -> PixelMotion | None:
    """The motion (:func:`motion_from_frames`) of small grey frames decoded from the clip (``scale``: their width
    over the clip's) in the legs' region of ``pose``; None with fewer than 10 frames (no cross-check then).

    ``min_period_s``/``max_period_s`` bound the step period in the clip's own clock (the pose's ``fps``).
    """
    if len(grey) < 10:
        return None
    box = legs_box(pose)
    box_px = None
    if box is not None and math.isfinite(scale):
        h, w = grey[0].shape
        x0, y0, x1, y1 = (int(round(v * scale)) for v in box)
        box_px = (max(0, x0), max(0, y0), min(w, max(x0 + 1, x1)), min(h, max(y0 + 1, y1)))
    still = stays_in_place(pose)
    return motion_from_frames(grey, box_px, pose.fps, min_period_s, max_period_s, still, np.asarray(times_s))
