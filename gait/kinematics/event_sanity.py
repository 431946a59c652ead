"""Event sanity as a rule of the data: what a sequence of contacts and toe-offs of a running (or walking) person
can and cannot be.

Three rules, each a property of legs on a belt rather than of the detector:

1. One foot cannot land twice without leaving the belt: between two contacts of a foot there is a toe-off of
   that foot.
2. Left and right contacts of a stride cannot share a frame (at any gait, one foot lands while the other is in
   the air or pushing off).
3. A step cannot be shorter than any runner's: ``AnalysisConfig.min_step_time_s``.

Candidates closer than a step are repaired in the detector (:func:`keep_distinct_steps` keeps the clearest of
them); whatever still breaks a rule (an edited event list, a clip the detector cannot read) is reported by
:func:`event_problems`, and the quality check ``check_event_sanity`` withholds what the events time with the
reason, so a broken event list is never averaged into a cadence.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from gait.core.types import GaitEvent

#: A share of the steps above which steps without a toe-off between a foot's contacts make the events unreadable
#: (one missing toe-off, e.g. a foot hidden at push-off, is the toe-off detector's miss, not a broken clip).
MAX_UNLIFTED_FRAC = 0.25


def keep_distinct_steps(positions: Sequence[float], strengths: Sequence[float], min_gap: float) -> list[int]:
    """Indices (in time order) of the contact candidates to keep: of any candidates closer than ``min_gap``
    (frames or seconds, as ``positions``), only the strongest (a duplicate of one landing, or noise between two).

    Greedy by strength: the strongest candidate is kept, every candidate closer than ``min_gap`` to a kept one
    is dropped, and so on. Ties keep the earlier candidate. Non-finite strengths count as weakest.
    """
    pos = np.asarray(positions, dtype=float)
    s = np.nan_to_num(np.asarray(strengths, dtype=float), nan=-np.inf)
    order = sorted(range(len(pos)), key=lambda k: (-s[k], pos[k]))
    kept: list[int] = []
    for k in order:
        if all(abs(pos[k] - pos[j]) >= min_gap for j in kept):
            kept.append(k)
    return sorted(kept, key=lambda k: pos[k])


def event_problems(events: Sequence[GaitEvent], min_step_s: float, max_gap_s: float) -> list[str]:
    """What in an event list breaks the rules of the module docstring, in words (empty when nothing does).

    Parameters
    ----------
    events : contacts and toe-offs (any order).
    min_step_s : the shortest step a runner can take (s).
    max_gap_s : contacts further apart than this belong to separate runs (the runner was lost between them);
        a foot's two contacts across such a gap need no toe-off seen between them.
    """
    contacts = sorted((e for e in events if e.kind == "contact"), key=lambda e: e.time_s)
    out: list[str] = []
    same_frame = [a.frame for a, b in itertools.pairwise(contacts) if a.frame == b.frame]
    if same_frame:
        frames = ", ".join(str(f) for f in sorted(set(same_frame))[:5])
        out.append(f"{len(same_frame) + len(set(same_frame))} contacts share a frame (frame {frames})")
    short = [(a, b) for a, b in itertools.pairwise(contacts) if a.frame != b.frame and b.time_s - a.time_s < min_step_s]
    if short:
        gap_ms = 1000 * min(b.time_s - a.time_s for a, b in short)
        out.append(
            f"{len(short)} steps are shorter than any runner's ({gap_ms:.0f} ms; the shortest possible is "
            f"{1000 * min_step_s:.0f} ms)"
        )
    unlifted = _landed_twice(events, contacts, max_gap_s)
    n_strides = max(1, len(contacts) - 2)
    if unlifted and unlifted / n_strides > MAX_UNLIFTED_FRAC:
        times = "once" if unlifted == 1 else f"{unlifted} times"
        out.append(f"a foot lands twice without leaving the belt (no toe-off between), {times}")
    return out


def _landed_twice(events: Sequence[GaitEvent], contacts: list[GaitEvent], max_gap_s: float) -> int:
    """How many times a foot's next contact follows without a toe-off of that foot between (within a run)."""
    toe_offs = [e for e in events if e.kind == "toe_off"]
    n = 0
    for foot in ("left", "right"):
        mine = [c for c in contacts if c.foot == foot]
        for a, b in itertools.pairwise(mine):
            if b.time_s - a.time_s > 2 * max_gap_s:
                continue  # a gap in the run: the toe-off may be in what was not seen
            if not any(t.foot == foot and a.time_s < t.time_s < b.time_s for t in toe_offs):
                n += 1
    return n
