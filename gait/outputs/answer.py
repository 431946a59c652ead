"""The answer first, in words: up to three things to work on (each with one drill), what is fine, what sits on
a screening line. Read from the report's cues and stored judgements (:mod:`gait.metrics.assessment`); the app's summary
(:mod:`gait.ui.answer`) and the CLI's first lines show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gait.core.types import GaitReport
from gait.metrics.assessment import assessments_of
from gait.metrics.registry import REGISTRY
from gait.outputs.wording import is_walking, shown_cues

#: How many things to work on the summary names at most.
MAX_WORK_ON = 3


@dataclass(frozen=True)
class Answer:
    """The one-screen summary in words."""

    headline: str
    work_on: tuple[tuple[str, str], ...]  # (cue title, its first drill)
    borderline: tuple[str, ...]  # labels on a screening line, within what the video resolves: no cue
    fine: tuple[str, ...]  # labels inside their screening lines


def answer_of(report: GaitReport) -> Answer:
    """The summary of a report: its watch/flag cues (flag first), then the judged numbers by status."""
    cues = [c for c in shown_cues(report) if c.severity in ("flag", "watch")]
    cues.sort(key=lambda c: c.severity != "flag")
    work = tuple((c.title, c.drills[0] if c.drills else "") for c in cues[:MAX_WORK_ON])
    judged = assessments_of(report)

    def labels(status: str) -> tuple[str, ...]:
        out: list[str] = []
        for name, a in judged.items():
            spec = REGISTRY.get(name)
            short = (spec.label if spec else a.label).split(" (")[0]
            if a.screening == status and short not in out:
                out.append(short)
        return tuple(out)

    if is_walking(report):
        headline = "A walk: the running advice does not apply; the walking numbers are below."
    elif work:
        headline = f"{len(work)} thing{'s' if len(work) > 1 else ''} to work on."
    else:
        headline = "Nothing to work on clearly: every judged number is inside its screening line or on it."
    return Answer(headline, work, labels("borderline"), labels("ok"))


def answer_lines(report: GaitReport) -> list[str]:
    """The answer as plain-text lines (the CLI summary's first lines)."""
    a = answer_of(report)
    lines = [a.headline]
    lines += [f"  {k}. {t}" + (f": {d}" if d else "") for k, (t, d) in enumerate(a.work_on, 1)]
    if a.fine:
        lines.append("  Fine: " + ", ".join(a.fine))
    if a.borderline:
        lines.append("  On a screening line, not a cue: " + ", ".join(a.borderline))
    return lines
