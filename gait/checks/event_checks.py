"""Footage checks on the events themselves (:mod:`gait.kinematics.event_sanity`), in the form of
:mod:`gait.checks.assess`'s
checks: each returns a :class:`~gait.checks.findings.Finding` or None."""

from __future__ import annotations

from gait.checks.findings import Finding, Footage
from gait.kinematics.event_sanity import event_problems
from gait.metrics.registry import REGISTRY

#: Posture metrics read at a contact or a toe-off (the others are read over every frame and need no events).
READ_AT_EVENTS = ("trunk_lean_at_contact_deg", "hip_extension_deg")


def check_event_sanity(f: Footage) -> Finding | None:
    """Events that break the rules of a gait (a foot landing twice without lifting, two contacts in one frame,
    a step shorter than any runner's): the clip is unreadable for events, and every metric read from them is
    withheld with the reason. Duplicates the detector already dropped get a warning only."""
    if f.clean.view != "side" or f.slow_motion is not None:
        return None  # a clip whose clock is not real time: the slow-motion check says so, and withholds the times
    contacts = f.events.of(kind="contact")
    period_s = (contacts[-1].time_s - contacts[0].time_s) / max(1, len(contacts) - 1) if contacts else 0.0
    problems = event_problems(f.events.events, f.config.min_step_time_s, f.config.run_gap_periods * period_s)
    if problems:
        why = "the steps could not be read: " + "; ".join(problems)
        warning = (
            f"The contacts found in this clip are not a gait ({'; '.join(problems)}): no cadence or other number "
            "is read from them. Film 20-30 s side-on at normal speed, with the feet large and sharp in the picture."
        )
        names = [s.name for s in REGISTRY.values() if s.computed_in != "posture" or s.name in READ_AT_EVENTS]
        return Finding.on(names, "unavailable", why, warning, lower_only=False)
    dropped = f.events.dropped_contacts
    if not dropped:
        return None
    return Finding(
        f"{dropped} landings were found twice, closer together than any runner's step "
        f"({1000 * f.config.min_step_time_s:.0f} ms): each was counted once."
    )
