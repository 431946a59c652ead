"""Events given by a person (a review, a lab reference) instead of, or on top of, the detected ones.

The file format is the project's one labels format (:mod:`gait.workflows.accuracy`): ``{"events": [{"kind": "contact",
"frame": 46, "foot": "right"}, ...]}``; a ``report.json`` is one too. The given list is the complete list of
events to score: a detected event that is not in it is dropped, one that is kept at its frame stays as
detected (its sub-frame time too), and one that is moved or added is marked ``source="edited"``.
"""

from __future__ import annotations

import numpy as np

from gait.core.labels import LabelledEvent
from gait.core.types import Foot, GaitEvent, GaitEvents, PoseSequence
from gait.kinematics.contacts import classify_activity


def apply_event_edits(detected: GaitEvents, given: tuple[LabelledEvent, ...], pose: PoseSequence) -> GaitEvents:
    """The events to score: ``given`` (frames), keeping the detected event wherever one sits at that frame.

    Parameters
    ----------
    detected : what the detector found.
    given : the complete list of events wanted, with decoded-frame numbers and feet.
    pose : the pose the events belong to (its frame numbers and times).

    Returns
    -------
    GaitEvents
        In time order, activity re-classified from them; moved or added events have ``source="edited"``.
    """
    frames = pose.frame_index.astype(float)
    by_key: dict[tuple[str, str, int], GaitEvent] = {(e.kind, e.foot, e.frame): e for e in detected.events}
    events: list[GaitEvent] = []
    for g in given:
        foot: Foot = "left" if g.foot == "left" else "right"
        same = by_key.get((g.kind, foot, g.frame))
        if same is not None:
            events.append(same)
            continue
        time_s = float(np.interp(float(g.frame), frames, pose.times_s))
        near = [e for e in detected.events if e.kind == g.kind and e.foot == foot]
        track = min(near, key=lambda e: abs(e.time_s - time_s)).track if near else foot
        events.append(
            GaitEvent(foot=foot, kind=g.kind, frame=int(g.frame), time_s=time_s, track=track, source="edited")  # type: ignore[arg-type]
        )
    events.sort(key=lambda e: e.time_s)
    activity, confidence = classify_activity(events) if any(e.kind == "toe_off" for e in events) else ("unknown", 0.0)
    if activity == "unknown" and detected.activity != "unknown":
        activity, confidence = detected.activity, detected.activity_confidence
    return GaitEvents(
        events=tuple(events),
        activity=activity,
        activity_confidence=confidence,
        swaps_corrected=detected.swaps_corrected,
        relabelled_contacts=detected.relabelled_contacts,
        dropped_contacts=detected.dropped_contacts,
    )
