"""How the review names an event: who placed it, and how a detected landing was timed."""

from __future__ import annotations

from gait.core.types import GaitEvent
from gait.ui.review import event_label


def test_an_event_says_who_placed_it_and_what_timed_it() -> None:
    pose = GaitEvent("left", "contact", 21, 0.7, track="left")
    sole = GaitEvent("right", "contact", 32, 1.07, track="right", timed_by="sole")
    edited = GaitEvent("right", "contact", 33, 1.1, track="right", source="edited", timed_by="sole")
    assert event_label(0, pose).endswith("· detected")
    assert event_label(1, sole).endswith("· detected (sole)")
    assert event_label(2, edited).endswith("· edited")
