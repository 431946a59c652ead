"""Reading a labels file strictly: every field checked before any work, one line naming the entry and what to do.

Labels come from people and other tools (a lab's force-plate export, a reviewer's ``events.json``, a hand-edited
file), so nothing in them is trusted: a kind gait does not know, a foot spelled ``"L"``, a frame that is a float,
a boolean, infinite or listed twice, an angle that is text. The format is described in :mod:`gait.core.labels`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gait.core.errors import InputFileError
from gait.core.labels import LabelledEvent, Labels

KINDS = ("contact", "toe_off", "midstance")
FEET = ("left", "right")
MAX_FRAME = 10_000_000  # ~46 hours at 60 fps: any frame beyond is a mistake, not a long clip
MAX_LABELS_BYTES = 64 * 1024**2  # a report.json (for --events) may be this large

Fail = Callable[[str], InputFileError]


def read_labels_json(path: str | Path) -> tuple[Path, dict[str, Any]]:
    """The JSON object of a labels file; :class:`InputFileError` when it cannot be read or is not an object."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_LABELS_BYTES:
            raise InputFileError(f"{p}: {p.stat().st_size / 1e6:.0f} MB is far too large for a labels file.")
        d = json.loads(p.read_text(encoding="utf-8-sig"))  # -sig: a file saved by Windows Notepad starts with a BOM
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputFileError(
            f"{p}: cannot read the labels file ({type(exc).__name__}). Give a JSON labels file."
        ) from None
    if not isinstance(d, dict):
        raise InputFileError(f"{p}: a labels file is a JSON object with an 'events' list.")
    return p, d


def frame_of(value: Any, where: str, fail: Fail) -> int:
    """A decoded-frame number: a whole number from 0 (46 or 46.0; not 46.9, true, "46", NaN or 1e400)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(f"{where}: the frame must be a whole number, not {json.dumps(value)[:40]}")
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        raise fail(f"{where}: the frame must be a whole number, not {value!r}")
    frame = int(value)
    if not 0 <= frame <= MAX_FRAME:
        shown = str(frame) if abs(frame) < 10**12 else f"of {len(str(abs(frame)))} digits"
        raise fail(f"{where}: frame {shown} is not a frame of a video (frames count from 0)")
    return frame


def foot_of(value: Any, where: str, fail: Fail) -> str | None:
    """``"left"``, ``"right"`` or None (not given)."""
    if value is None or value in FEET:
        return value if value is None else str(value)
    raise fail(f'{where}: the foot must be "left" or "right", not {json.dumps(value)[:40]}')


def number_of(value: Any, where: str, fail: Fail, lo: float, hi: float) -> float:
    """A finite number within [lo, hi]."""
    try:
        finite = not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(float(value))
    except OverflowError:  # an integer of hundreds of digits
        finite = False
    if not finite:
        raise fail(f"{where}: must be a number, not {json.dumps(value)[:40]}")
    if not lo <= float(value) <= hi:
        raise fail(f"{where}: {value} is outside {lo:g} to {hi:g}")
    return float(value)


def events_of(d: dict[str, Any], fail: Fail) -> list[tuple[str, int, str | None, float]]:
    """(kind, frame, foot, uncertainty_frames) of every labelled event, none listed twice."""
    if "events" in d:
        raw = d["events"]
        if not isinstance(raw, list):
            raise fail("'events' must be a list of events")
        out = []
        for i, e in enumerate(raw):
            where = f"event {i + 1}"
            if not isinstance(e, dict):
                raise fail(f"{where} is not an object with kind and frame")
            kind = e.get("kind")
            if kind not in KINDS:
                raise fail(f"{where}: the kind must be one of {', '.join(KINDS)}, not {json.dumps(kind)[:40]}")
            unc = number_of(e.get("uncertainty_frames", 1.0), f"{where}: uncertainty_frames", fail, 0.0, 1e6)
            out.append((str(kind), frame_of(e.get("frame"), where, fail), foot_of(e.get("foot"), where, fail), unc))
    elif "contacts_frames" in d:
        raw = d["contacts_frames"]
        if not isinstance(raw, list):
            raise fail("'contacts_frames' must be a list of frame numbers")
        out = [("contact", frame_of(f, f"contact {i + 1}", fail), None, 1.0) for i, f in enumerate(raw)]
    else:
        raise fail("no 'events' list")
    seen: set[tuple[str, int, str | None]] = set()
    for kind, frame, foot, _ in out:
        if (kind, frame, foot) in seen:
            raise fail(f"the {kind.replace('_', '-')} at frame {frame} is listed twice")
        seen.add((kind, frame, foot))
    return out


def angles_of(d: dict[str, Any], key: str, value_key: str, fail: Fail) -> tuple[dict[str, Any], ...]:
    """The labelled angles under ``key`` (each with frame, optional foot and ``value_key`` in degrees)."""
    raw = d.get(key, [])
    if not isinstance(raw, list):
        raise fail(f"'{key}' must be a list")
    out = []
    for i, a in enumerate(raw):
        where = f"{key} entry {i + 1}"
        if not isinstance(a, dict):
            raise fail(f"{where} is not an object with frame and {value_key}")
        out.append(
            {
                **a,
                "frame": frame_of(a.get("frame"), where, fail),
                "foot": foot_of(a.get("foot"), where, fail),
                value_key: number_of(a.get(value_key), f"{where}: {value_key}", fail, -180.0, 180.0),
            }
        )
    return tuple(out)


def fps_of(d: dict[str, Any], fail: Fail) -> float | None:
    """The labels' frame rate, if given: a positive number."""
    if d.get("fps") is None:
        return None
    return number_of(d["fps"], "fps", fail, 1e-3, 10_000.0)


def load_labels(path: str | Path) -> Labels:
    """Read a labels file (see the module docstring), every field checked (below); a one-line
    :class:`InputFileError` naming the entry when it is not a labels file or an entry is wrong."""
    p, d = read_labels_json(path)

    def fail(why: str) -> InputFileError:
        return InputFileError(f"{p}: {why}. Fix the labels file (its format: docs/ACCURACY.md, 'gait validate').")

    events = tuple(
        LabelledEvent(kind=kind, frame=frame, foot=foot, uncertainty_frames=unc)
        for kind, frame, foot, unc in events_of(d, fail)
    )
    return Labels(
        clip=str(d.get("clip", p.name)),
        fps=fps_of(d, fail),
        events=events,
        shank_angles=angles_of(d, "shank_angles", "shank_angle_deg", fail),
        method=str(d.get("method", "")),
        knee_angles=angles_of(d, "knee_angles", "knee_flexion_deg", fail),
    )


def check_labels_fit(labels: Labels, n_frames: int, where: str, feet_needed: bool = False) -> None:
    """Refuse labels that cannot belong to a clip of ``n_frames`` frames (or, for events to score instead of the
    detected ones, that leave a foot out), before any work is done on the clip.

    Parameters
    ----------
    labels : the labels read by :func:`load_labels`.
    n_frames : the clip's frame count (from :func:`gait.capture.probe.probe_video`; 0 when unknown: not checked).
    where : the labels file, for the message.
    feet_needed : events to score (``gait analyze --events``) must each name a foot, and there must be some.

    Raises
    ------
    InputFileError
        A frame at or past the clip's end, no events, or an event without a foot (with ``feet_needed``).
    """
    frames = [e.frame for e in labels.events] + [int(a["frame"]) for a in labels.shank_angles + labels.knee_angles]
    outside = [f for f in frames if n_frames > 0 and f >= n_frames]
    if outside:
        raise InputFileError(
            f"{where}: frame {outside[0]} is outside the clip, which has {n_frames} frames (0-{n_frames - 1}): "
            "are these the labels of another video?"
        )
    if feet_needed and not labels.events:
        raise InputFileError(f"{where}: holds no events to score. Give the events to use, or leave out --events.")
    if feet_needed and (unfooted := [e for e in labels.events if e.foot is None]):
        raise InputFileError(
            f"{where}: the {unfooted[0].kind.replace('_', '-')} at frame {unfooted[0].frame} names no foot; every "
            'event to score needs "foot": "left" or "right".'
        )
