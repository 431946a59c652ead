"""The touch read from the sole's edge in the picture, where the pose's heel arrives before the foot does.

Horizontal motion blur smears a fast foot along the belt, and the pose model then places the heel on its stance
level a frame or two before the foot is down (the lab runner of docs/ACCURACY.md: contacts 1.8-2.2 frames early,
the shin read 15-17° too far forward). The height of the sole's horizontal edges survives that blur. For each
contact the pose finds, this module reads, in the frames around it, the lowest strong horizontal intensity step in
narrow column bands at the heel, the middle and the toe of the foot (x from each frame's landmarks, y from the
stance that follows); the touch is where that edge first comes within a tolerance of the level it holds in stance.

The reading is used only where the picture supports it and the pose was late to see the touch
(:func:`decide_touch`): on a clip most of whose soles stand still on a level in stance (:data:`STAND_SHARE`; on dark
shoes on a dark belt the "lowest edge" jumps from frame to frame and the reading is noise), each landing whose pose
contact leads its sole's touch by more than the pose rule's own rounding (:data:`MIN_LEAD_S`) is moved to the touch;
the others keep the pose's contact. (Judged per clip, on the median lead, a few pixels' difference in the landmarks
moved every landing of a clip by two frames or none: docs/ACCURACY.md.) Both gates were chosen on the six labelled
clips (docs/ACCURACY.md says so and gives the numbers).

Pure functions; the frames are read in the one decode after pose extraction (:mod:`gait.checks.pixel_reads`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from gait.core import landmarks as L
from gait.core.types import FloatArray, GaitEvents
from gait.kinematics.contacts import classify_activity

#: how long before and after each contact's frame the frames are read (s; 2 and 6 frames at 30 fps, never fewer)
BEFORE_S, AFTER_S = 2 / 30, 6 / 30
BEFORE_FRAMES, AFTER_FRAMES = 2, 6
#: the edge is "on its stance level" within this share of the leg length (at least :data:`MIN_TOL_PX`)
TOL_LEG = 0.012
MIN_TOL_PX = 3.0
#: the edge's search window around the stance's foot height, in leg lengths (above, below)
WINDOW_LEG = (0.12, 0.10)
#: a step counts as an edge when it is at least this many grey levels and half the band's strongest
MIN_STEP_GREY = 8.0
#: the clip's share of landings whose sole holds its stance level for 3 frames, below which the reading is noise
STAND_SHARE = 0.8
#: lead (s) of a pose contact over its sole's touch beyond which the pose's heel was smeared: more than the pose
#: rule's own rounding (its low-pass rounds an abrupt stop by ~25 ms); a frame at 30 fps
MIN_LEAD_S = 1 / 30
_MIN_LEAD_TEXT = f"{MIN_LEAD_S * 1000:.0f} ms"  # as the reasons and the note say it
#: fewer landings than this that could be read: the clip's pose contacts stand
MIN_LANDINGS = 4

Band = tuple[float, float, float]  # (x px, stance y px, half width px)


@dataclass(frozen=True)
class SoleProbe:
    """Where to look for one contact's sole: the frames around it and the column bands in each."""

    event: int  # the contact's place in the events
    foot: str
    first_row: int  # pose row of the first frame read (the contact's frame − ``before``)
    contact_row: float  # the pose's contact (sub-frame pose row)
    bands: tuple[tuple[Band, ...], ...]  # per frame read, the bands (heel, middle, toe)
    leg_px: float
    before: int = BEFORE_FRAMES  # frames read before the contact's frame

    def rows(self) -> range:
        """The pose rows read, in order."""
        return range(self.first_row, self.first_row + len(self.bands))


@dataclass(frozen=True)
class SoleTouch:
    """What the sole's edge said about a clip's contacts and whether the analysis used it."""

    heights_px: dict[tuple[str, int], tuple[float, ...]] = field(default_factory=dict)  # (foot, first row) → edge y
    touch_rows: dict[int, float] = field(default_factory=dict)  # event → the sole's first frame down (pose row)
    stand_share: float = math.nan
    median_lead_frames: float = math.nan
    used: bool = False
    reason: str = "not read"

    def to_dict(self) -> dict[str, Any]:
        """For ``report.json``'s diagnostics (a re-score reads the heights back: :meth:`from_dict`)."""
        return {
            "used": self.used,
            "reason": self.reason,
            "stand_share": _rounded(self.stand_share, 3),
            "median_lead_frames": _rounded(self.median_lead_frames, 2),
            "landings": [
                {"foot": foot, "first_row": row, "edge_y_px": [_rounded(v, 1) for v in h]}
                for (foot, row), h in sorted(self.heights_px.items(), key=lambda kv: kv[0][1])
            ],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SoleTouch:
        """The heights stored by :meth:`to_dict` (the decision is made again from them)."""
        heights = {
            (str(x["foot"]), int(x["first_row"])): tuple(math.nan if v is None else float(v) for v in x["edge_y_px"])
            for x in d.get("landings", [])
        }
        return cls(heights_px=heights, reason="stored")


def _rounded(v: float, digits: int) -> float | None:
    return round(float(v), digits) if math.isfinite(v) else None


def sole_probes(events: GaitEvents, xy_px: FloatArray, times_s: FloatArray, leg_px: float) -> tuple[SoleProbe, ...]:
    """The probes for every contact whose surrounding frames are all in the clip.

    Parameters
    ----------
    events : the detected events (contacts are probed).
    xy_px : landmarks (frames × landmarks × 2, px), legs un-swapped, not low-passed.
    times_s : the pose rows' times.
    leg_px : the leg length (px), which scales the search window and the tolerance.
    """
    before, after = frames_read(times_s)
    if not math.isfinite(leg_px) or leg_px <= 0 or len(times_s) < before + after + 2:
        return ()
    rows = np.arange(len(times_s), dtype=float)
    probes = []
    for k, e in enumerate(events.events):
        if e.kind != "contact":
            continue
        p = float(np.interp(e.time_s, times_s, rows))
        i0 = int(math.floor(p))
        if i0 - before < 0 or i0 + after >= len(times_s):
            continue
        s = L.SIDE[e.track or e.foot]
        ref = i0 + (after + 1) // 2  # in stance: where the sole's height is looked for
        hy, ty = xy_px[ref, s["heel"], 1], xy_px[ref, s["toe"], 1]
        per_frame = []
        for i in range(i0 - before, i0 + after + 1):
            hx, tx = xy_px[i, s["heel"], 0], xy_px[i, s["toe"], 0]
            hw = max(2.0, 0.08 * abs(tx - hx))
            per_frame.append(tuple((hx + f * (tx - hx), hy + f * (ty - hy), hw) for f in (0.0, 0.5, 1.0)))
        probes.append(SoleProbe(k, e.foot, i0 - before, p, tuple(per_frame), float(leg_px), before))
    return tuple(probes)


def frame_rate_hz(times_s: FloatArray) -> float:
    """The frame rate of the pose rows' clock (Hz; the capture clock for slow motion with a known capture rate)."""
    steps = np.diff(np.asarray(times_s, dtype=float))
    steps = steps[np.isfinite(steps) & (steps > 0)]
    return 1.0 / float(np.median(steps)) if steps.size else 30.0


def frames_read(times_s: FloatArray) -> tuple[int, int]:
    """How many frames are read before and after a contact's frame: :data:`BEFORE_S` and :data:`AFTER_S` at this
    clip's rate, never fewer than at 30 fps."""
    fps = frame_rate_hz(times_s)
    return max(BEFORE_FRAMES, round(BEFORE_S * fps)), max(AFTER_FRAMES, round(AFTER_S * fps))


def lowest_edge_px(grey: np.ndarray, band: Band, leg_px: float, gain: float = 1.0) -> float:
    """Image row (px, down +) of the lowest strong horizontal intensity step in a column band; NaN when none.

    The band is ``x ± half width`` and, in y, :data:`WINDOW_LEG` leg lengths around the stance's foot height;
    ``gain`` puts the grey's steps on the 0-255 scale (255/219 for limited-range luma).
    """
    x, y_ref, half_w = band
    if not (math.isfinite(x) and math.isfinite(y_ref)):
        return math.nan
    h, w = grey.shape[:2]
    x0, x1 = int(max(0, x - half_w)), int(min(w, x + half_w + 1))
    y0, y1 = int(max(0, y_ref - WINDOW_LEG[0] * leg_px)), int(min(h - 1, y_ref + WINDOW_LEG[1] * leg_px))
    if x1 - x0 < 2 or y1 - y0 < 4:
        return math.nan
    step = gain * np.abs(np.diff(grey[y0:y1, x0:x1].astype(np.float32).mean(axis=1)))
    strong = np.flatnonzero(step >= max(0.5 * float(step.max()), MIN_STEP_GREY))
    return float(y0 + strong[-1] + 0.5) if strong.size else math.nan


def sole_height_px(grey: np.ndarray, bands: Sequence[Band], leg_px: float, gain: float = 1.0) -> float:
    """The lowest of the bands' edges in one frame (px, down +; :func:`lowest_edge_px`); NaN when none has one."""
    found = [v for v in (lowest_edge_px(grey, b, leg_px, gain) for b in bands) if math.isfinite(v)]
    return max(found) if found else math.nan


def tolerance_px(leg_px: float) -> float:
    """How close (px) to its stance level the edge counts as down."""
    return max(MIN_TOL_PX, TOL_LEG * leg_px)


def touch_row(
    heights_px: Sequence[float], contact_row: float, tol_px: float, before: int = BEFORE_FRAMES
) -> tuple[float, float]:
    """The sole's touch from its edge heights over the probe's frames: (sub-frame crossing, first frame down).

    The stance level is the second-lowest point in the picture from the contact's frame on; the first frame down
    is the first from which the edge stays within ``tol_px`` of it for ``before`` frames (2 at 30 fps: the hand's
    "first frame on the belt"), and the crossing is where the edge, interpolated between that frame and the one
    before, reaches the tolerance (the touch between the two frames). Both are never earlier than the pose's
    contact, and both are the contact itself when the foot is already down at its frame or the heights cannot tell.
    """
    h = np.asarray(heights_px, dtype=float)
    i0 = int(math.floor(contact_row))
    if h.size < before + 3 or not np.isfinite(h).all():
        return contact_row, contact_row
    level, down = _on_level(h[before:], tol_px)
    stays = _holds(down, before)  # 2 frames at 30 fps: as long at any rate
    if not stays or stays[0] == 0:
        return contact_row, contact_row
    k = stays[0] + before
    a, b = h[k - 1], h[k]
    first = float(i0 - before + k)
    crossing = first - 1 + ((level - tol_px) - a) / (b - a) if b > a else first
    return max(contact_row, crossing), max(contact_row, first)


def sole_stands(heights_px: Sequence[float], tol_px: float, before: int = BEFORE_FRAMES) -> bool:
    """True when the edge, from the contact's frame on, holds its stance level within ``tol_px`` for 0.1 s (3
    frames at 30 fps) in a row: a sole the picture shows standing on the belt."""
    after = np.asarray(heights_px, dtype=float)[before:]
    hold = before + (before + 1) // 2  # 3 frames at 30 fps, as long at any rate
    if after.size < hold or not np.isfinite(after).all():
        return False
    return bool(_holds(_on_level(after, tol_px)[1], hold))


def _on_level(after: FloatArray, tol_px: float) -> tuple[float, np.ndarray]:
    """The stance level of the edge heights from the contact's frame on (the second-lowest point in the picture)
    and which of those frames are within ``tol_px`` of it."""
    level = float(np.sort(after)[-2])
    return level, after >= level - tol_px


def _holds(down: np.ndarray, hold: int) -> list[int]:
    """Where a run of at least ``hold`` frames on the level starts."""
    return [k for k in range(len(down) - hold + 1) if down[k : k + hold].all()]


def decide_touch(
    probes: Sequence[SoleProbe],
    heights_px: dict[tuple[str, int], tuple[float, ...]],
    events: GaitEvents,
    times_s: FloatArray,
) -> SoleTouch:
    """Whether the sole's touch replaces the pose's contacts on this clip, and where.

    Parameters
    ----------
    probes : :func:`sole_probes` of the clip.
    heights_px : the sole's edge height per probe (keyed by foot and first row) over its frames.
    events : the detected events (a moved contact stays a frame before its own toe-off).
    times_s : the pose rows' times.

    Returns
    -------
    SoleTouch
        ``used`` when most soles stand (:data:`STAND_SHARE`) and some contacts lead their sole's touch (the sub-frame
        crossing) by more than :data:`MIN_LEAD_S`; ``touch_rows`` holds those contacts' first frames down (where it
        stays a frame before the foot's own toe-off). ``median_lead_frames`` is over every landing read (0 where the
        pose is not ahead).
    """
    if events.activity == "unknown":
        return SoleTouch(heights_px, reason="no gait found to time")
    read = [(p, heights_px[(p.foot, p.first_row)]) for p in probes if (p.foot, p.first_row) in heights_px]
    if len(read) < MIN_LANDINGS:
        return SoleTouch(heights_px, reason=f"{len(read)} landings could be read, fewer than {MIN_LANDINGS}")
    share = float(np.mean([sole_stands(h, tolerance_px(p.leg_px), p.before) for p, h in read]))
    rows = np.arange(len(times_s), dtype=float)
    touches: dict[int, float] = {}
    leads = []
    gate = MIN_LEAD_S * frame_rate_hz(times_s)
    for p, h in read:
        crossing, first = touch_row(h, p.contact_row, tolerance_px(p.leg_px), p.before)
        own = [e for e in events.events[p.event + 1 :] if e.foot == events.events[p.event].foot]
        end = float(np.interp(own[0].time_s, times_s, rows)) - 1.0 if own else math.inf
        fits = p.contact_row < first <= end
        leads.append(crossing - p.contact_row if fits else 0.0)
        if fits and leads[-1] > gate:
            touches[p.event] = first
    lead = float(np.median(leads))
    if share < STAND_SHARE:
        why = f"only {share:.0%} of the soles stand still in stance"
        return SoleTouch(heights_px, touches, share, lead, False, why)
    if not touches:
        why = f"the pose's contacts are within {_MIN_LEAD_TEXT} of the sole's touch ({lead:.1f} frames, median)"
        return SoleTouch(heights_px, touches, share, lead, False, why)
    if _moved(events, touches, times_s).activity != "running":  # walking is timed by the forward-most heel
        why = "the sole's touch shows a walk: a walker's landings are timed by the forward-most heel"
        return SoleTouch(heights_px, touches, share, lead, False, why)
    why = f"the pose's heel leads the sole's touch by over {_MIN_LEAD_TEXT} at {len(touches)} of {len(read)} landings"
    return SoleTouch(heights_px, touches, share, lead, True, why)


def with_touches(events: GaitEvents, touch: SoleTouch, times_s: FloatArray, frames: np.ndarray) -> GaitEvents:
    """The events with each contact the sole timed moved to its touch (``timed_by="sole"``), when ``touch.used``;
    the activity is classified again from them (early contacts can hide a runner's flight)."""
    return _moved(events, touch.touch_rows, times_s, frames) if touch.used and touch.touch_rows else events


def _moved(
    events: GaitEvents, touch_rows: dict[int, float], times_s: FloatArray, frames: np.ndarray | None = None
) -> GaitEvents:
    rows = np.arange(len(times_s), dtype=float)
    frames = rows.astype(int) if frames is None else frames
    moved = list(events.events)
    for k, r in touch_rows.items():
        t = float(np.interp(r, rows, times_s))
        moved[k] = replace(moved[k], time_s=t, frame=int(frames[int(round(r))]), timed_by="sole")
    moved.sort(key=lambda e: e.time_s)
    activity, confidence = classify_activity(moved)
    if activity == "unknown":
        activity, confidence = events.activity, events.activity_confidence
    return replace(events, events=tuple(moved), activity=activity, activity_confidence=confidence)


def touch_note(touch: SoleTouch, n_contacts: int) -> str | None:
    """The report's note when the sole timed the landings (None otherwise): what was seen and what was done."""
    if not touch.used or not touch.touch_rows:
        return None
    return (
        "The feet move fast in this clip: at "
        f"{len(touch.touch_rows)} of {n_contacts} landings the pose model put the heel on the belt more than "
        f"{_MIN_LEAD_TEXT} before the foot got there, so those were timed from the sole's edge in the "
        "picture instead (the first frame the sole is on the belt)."
    )
