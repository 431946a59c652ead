"""The labels' types: events and angles placed by a person (a review, a lab, a hand-labeller).

One labels format for the whole project (``labels/*.events.json``)::

    {"clip": "run.mp4", "fps": 30.0, "method": "how the frames were chosen",
     "events": [{"kind": "contact", "frame": 46, "foot": "right", "uncertainty_frames": 1}, ...],
     "shank_angles": [{"frame": 36, "foot": "left", "shank_angle_deg": 4.8, "uncertainty_deg": 5.0}],
     "knee_angles": [{"frame": 36, "foot": "left", "knee_flexion_deg": 18.8, "uncertainty_deg": 4.5}]}

``frame`` counts decoded frames from 0. ``foot`` is optional. The older contacts-only form
(``{"contacts_frames": [4, 14, ...]}``) is read too. Labs with force plates or marker systems can export their
events in this form (frame = the video frame nearest the event) and check the tool with ``gait validate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LabelledEvent:
    """One labelled event."""

    kind: str
    frame: int
    foot: str | None = None
    uncertainty_frames: float = 1.0


@dataclass(frozen=True)
class Labels:
    """Hand labels of one clip."""

    clip: str
    fps: float | None
    events: tuple[LabelledEvent, ...]
    shank_angles: tuple[dict[str, Any], ...] = ()
    method: str = ""
    knee_angles: tuple[dict[str, Any], ...] = ()
