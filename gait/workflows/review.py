"""Reviewing the detected events: move, delete or add one, say which numbers changed, export the result.

Pure functions on the project's one labels format (:class:`gait.core.labels.LabelledEvent`): the list a review
produces is what ``gait analyze --events`` and ``gait validate --labels`` read. The frames shown while
reviewing are cut to the feet (:func:`review_frames`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gait.core.errors import GaitError
from gait.core.labels import LabelledEvent
from gait.core.types import GaitEvent, GaitReport
from gait.kinematics.cleaned import CleanPose
from gait.metrics.registry import REGISTRY, format_value

KINDS = ("contact", "toe_off")
KIND_WORDS = {"contact": "landing (contact)", "toe_off": "push-off (toe-off)", "midstance": "midstance"}
FEET_LANDMARKS = (25, 26, 27, 28, 29, 30, 31, 32)  # knees, ankles, heels, toes


@dataclass(frozen=True)
class Change:
    """One number or cue that an edit changed, in people's words."""

    what: str
    before: str
    after: str


def as_labels(events: tuple[GaitEvent, ...]) -> tuple[LabelledEvent, ...]:
    """The events of a report in the labels format (kind, frame, foot), in time order."""
    return tuple(LabelledEvent(e.kind, int(e.frame), e.foot) for e in events)


def move_event(
    events: tuple[LabelledEvent, ...], index: int, delta_frames: int, n_frames: int
) -> tuple[LabelledEvent, ...]:
    """``events`` with the one at ``index`` moved by ``delta_frames`` (kept inside the clip).

    Raises
    ------
    GaitError
        No event at ``index``, or the move would put two events of one foot and kind on one frame.
    """
    if not 0 <= index < len(events):
        raise GaitError(f"There is no event number {index + 1}; pick one of the {len(events)} events.")
    e = events[index]
    frame = int(min(max(e.frame + delta_frames, 0), n_frames - 1))
    if any(i != index and o.kind == e.kind and o.foot == e.foot and o.frame == frame for i, o in enumerate(events)):
        raise GaitError(f"Frame {frame} already has a {e.foot} {KIND_WORDS[e.kind]}; delete one of the two instead.")
    moved = LabelledEvent(e.kind, frame, e.foot, e.uncertainty_frames)
    return _sorted((*events[:index], moved, *events[index + 1 :]))


def delete_event(events: tuple[LabelledEvent, ...], index: int) -> tuple[LabelledEvent, ...]:
    """``events`` without the one at ``index``."""
    if not 0 <= index < len(events):
        raise GaitError(f"There is no event number {index + 1}; pick one of the {len(events)} events.")
    return events[:index] + events[index + 1 :]


def add_event(
    events: tuple[LabelledEvent, ...], kind: str, foot: str, frame: int, n_frames: int
) -> tuple[LabelledEvent, ...]:
    """``events`` with a new event (kind, foot, frame), in order.

    Raises
    ------
    GaitError
        An unknown kind or foot, a frame outside the clip, or an event of that kind and foot already there.
    """
    if kind not in KINDS or foot not in ("left", "right"):
        raise GaitError("An added event is a left or right landing (contact) or push-off (toe-off).")
    if not 0 <= frame < n_frames:
        raise GaitError(f"Frame {frame} is outside the clip: pick a frame from 0 to {n_frames - 1}.")
    if any(e.kind == kind and e.foot == foot and e.frame == frame for e in events):
        raise GaitError(f"Frame {frame} already has a {foot} {KIND_WORDS[kind]}.")
    return _sorted((*events, LabelledEvent(kind, int(frame), foot)))


def _sorted(events: tuple[LabelledEvent, ...]) -> tuple[LabelledEvent, ...]:
    return tuple(sorted(events, key=lambda e: (e.frame, KINDS.index(e.kind) if e.kind in KINDS else 2)))


def changes(before: GaitReport, after: GaitReport) -> list[Change]:
    """The metrics (value, left, right) and cues that differ between two analyses, as shown on the page."""
    from gait.metrics.assessment import assessments_of

    out: list[Change] = []
    judged_a, judged_b = assessments_of(before), assessments_of(after)
    for name, spec in REGISTRY.items():
        a, b = before.metrics.get(name), after.metrics.get(name)
        if a is None or b is None:
            continue
        for part, label in (("value", spec.label), ("left", f"{spec.label}, left"), ("right", f"{spec.label}, right")):
            va, vb = getattr(a, part), getattr(b, part)
            ta = "not measured" if va is None else format_value(name, va)
            tb = "not measured" if vb is None else format_value(name, vb)
            if ta != tb:
                out.append(Change(label, ta, tb))
        ja, jb = judged_a.get(name), judged_b.get(name)
        if ja is not None and jb is not None and ja.mark != jb.mark:  # the stored judgement, as the table marks it
            out.append(Change(f"{spec.label}, mark", ja.mark or "no mark", jb.mark or "no mark"))
    cues_a = {c.id: c for c in before.cues}
    cues_b = {c.id: c for c in after.cues}
    for cid in [*cues_a, *(c for c in cues_b if c not in cues_a)]:
        ca, cb = cues_a.get(cid), cues_b.get(cid)
        ta = f"{ca.severity}: {ca.title}" if ca else "no cue"
        tb = f"{cb.severity}: {cb.title}" if cb else "no cue"
        if ta != tb:
            out.append(Change("Cue", ta, tb))
        elif ca and cb:
            from gait.outputs.wording import cue_numbers

            na, nb = cue_numbers(ca), cue_numbers(cb)
            if na != nb:  # as shown: a change below the shown precision is no change to a reader
                out.append(Change(f"Cue '{ca.title}' numbers", na, nb))
    return out


def stride_contact_ms(report: GaitReport, event: GaitEvent) -> float | None:
    """The ground contact time (ms) of the step an event belongs to (its contact or its toe-off)."""
    for row in report.strides:
        if row.get("foot") != event.foot:
            continue
        if (event.kind == "contact" and row.get("contact_frame") == event.frame) or (
            event.kind == "toe_off" and row.get("toe_off_frame") == event.frame
        ):
            value = row.get("ground_contact_time_ms")
            return float(value) if isinstance(value, (int, float)) else None
    return None


def edits_json(report: GaitReport, clip: str, reviewed_by: str | None = None) -> str:
    """The reviewed events as a labels file (``gait analyze --events``, ``gait validate --labels``).

    Each event keeps its ``source`` ("detected" or "edited") and its time; the readers take kind, frame, foot.
    """
    doc = {
        "clip": Path(clip).name,
        "fps": report.video.fps,
        "method": "reviewed in the gait app"
        + (f" by {reviewed_by.strip()}" if reviewed_by and reviewed_by.strip() else ""),
        "events": [
            {"kind": e.kind, "frame": e.frame, "foot": e.foot, "time_s": round(e.time_s, 4), "source": e.source}
            for e in report.events
        ],
    }
    return json.dumps(doc, indent=1)


def feet_box(clean: CleanPose, margin: float = 0.35) -> tuple[int, int, int, int]:
    """One crop (x0, y0, x1, y1, original pixels) around the legs below the knee over the whole clip: a treadmill
    runner stays in place, so stepping through frames shows the feet at one place and size."""
    xy = clean.raw.image_xy_px[:, list(FEET_LANDMARKS)].reshape(-1, 2)
    xy = xy[np.isfinite(xy).all(axis=1)]
    w, h = clean.raw.width, clean.raw.height
    if len(xy) < 8:
        return 0, 0, w, h
    (x0, y0), (x1, y1) = np.percentile(xy, 1, axis=0), np.percentile(xy, 99, axis=0)
    pad = margin * max(x1 - x0, y1 - y0)
    return int(max(0, x0 - pad)), int(max(0, y0 - pad)), int(min(w, x1 + pad)), int(min(h, y1 + pad))


def review_frames(
    report: GaitReport, clean: CleanPose, first: int, last: int, max_side_px: int = 480
) -> dict[int, bytes]:
    """Frames ``first``..``last`` (decoded-frame numbers) cut to the feet, with the skeleton and a ring on the
    heel of each event at that frame, as JPEG (decoded in one pass from the nearest key frame).

    Raises
    ------
    GaitError
        The video can no longer be read.
    """
    import cv2

    from gait.capture.video import iter_frames
    from gait.outputs.annotated_video import COLOURS, draw_skeleton
    from gait.outputs.keyframes import to_jpeg

    info = report.video
    frames, times = clean.pose.frame_index.astype(float), clean.pose.times_s
    half = 0.5 / max(info.effective_fps, 1e-9)
    start_s = float(np.interp(first, frames, times)) - half
    end_s = float(np.interp(last, frames, times)) + half
    rows = {int(f): k for k, f in enumerate(clean.pose.frame_index)}
    x0, y0, x1, y1 = feet_box(clean)
    scale = min(1.0, max_side_px / max(1, max(x1 - x0, y1 - y0)))
    out: dict[int, bytes] = {}
    try:
        decoded = iter_frames(info, start_s=max(0.0, start_s), end_s=end_s)
        for frame in decoded:
            if not first <= frame.index <= last:
                continue
            img = np.ascontiguousarray(frame.rgb[y0:y1, x0:x1])
            k = rows.get(frame.index)
            if k is not None:
                xy = clean.pose.image_xy_px[k] - np.array([x0, y0])
                draw_skeleton(img, xy, 1.0)
                for e in report.events:
                    if e.frame == frame.index and e.kind in KINDS:
                        heel = xy[29 if (e.track or e.foot) == "left" else 30]
                        if np.isfinite(heel).all():
                            ring = int(0.06 * max(img.shape[:2]))
                            cv2.circle(img, (int(heel[0]), int(heel[1])), ring, COLOURS[e.foot], 3, cv2.LINE_AA)
            if scale < 1.0:
                img = cv2.resize(  # type: ignore[assignment]
                    img, (int(img.shape[1] * scale), int(img.shape[0] * scale)), interpolation=cv2.INTER_AREA
                )
            out[frame.index] = to_jpeg(img, quality=80)
    except (OSError, ValueError) as exc:
        raise GaitError(f"The video's frames cannot be read again ({exc}); analyse the clip again.") from None
    return out


def review_of(report: GaitReport) -> dict[str, object] | None:
    """The review recorded in a report (None when its events are all as detected and nobody signed them)."""
    review = report.settings.get("review")
    edited = sum(e.source == "edited" for e in report.events)
    if isinstance(review, dict) and (review.get("reviewed_by") or review.get("removed") or edited):
        return review
    if edited:  # edited events without a recorded review (gait analyze --events without --reviewed-by, older files)
        return {"reviewed_by": None, "edited": edited, "moved": [], "added": [], "removed": []}
    return None
