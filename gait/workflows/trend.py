"""An athlete's numbers over the saved sessions, each with the band its own analysis vouches for.

Every point carries its session's stored judgement (:mod:`gait.metrics.assessment`): the value and its uncertainty for
that session's footage, drawn as a band, so that two sessions whose bands overlap do not read as progress.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gait.core.errors import GaitError
from gait.core.types import report_from_text
from gait.metrics.assessment import assessments_of
from gait.metrics.registry import REGISTRY


def trend_points(conn: sqlite3.Connection, athlete: str, metrics: tuple[str, ...]) -> list[dict[str, Any]]:
    """One athlete's values over the saved sessions, oldest first, with each session's uncertainty.

    Returns
    -------
    list of dict
        ``{"id", "recorded_on", "metric", "value", "lo", "hi", "good_to", "work_on"}``, one per session and
        measured metric; ``lo``/``hi`` are value ∓ its uncertainty (the value itself when it has none).
        A session whose report cannot be read is left out.
    """
    q = (
        "SELECT s.id, s.recorded_on, s.report_json FROM sessions s JOIN athletes a ON a.id = s.athlete_id "
        "WHERE a.name = ? ORDER BY s.recorded_on, s.id"
    )
    out: list[dict[str, Any]] = []
    for sid, day, text in conn.execute(q, (athlete.strip(),)).fetchall():
        try:
            judged = assessments_of(report_from_text(text, f"saved session {sid}"))
        except GaitError:
            continue
        for name in metrics:
            a = judged.get(name)
            if a is None or a.value is None:
                continue
            u = a.uncertainty or 0.0
            out.append(
                {
                    "id": int(sid),
                    "recorded_on": str(day),
                    "metric": name,
                    "value": a.value,
                    "lo": a.value - u,
                    "hi": a.value + u,
                    "good_to": a.good_to,
                    "work_on": a.screening,
                }
            )
    return out


def axis_format(name: str) -> str:
    """The d3 number format of a metric's axis ticks and tooltips: its display precision (",.0f" for 0)."""
    s = REGISTRY.get(name)
    return f",.{s.precision if s is not None else 1}f"
