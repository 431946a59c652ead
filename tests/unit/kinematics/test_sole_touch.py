"""The touch read from the sole's edge (gait.kinematics.sole_touch), on synthetic frames with a known touch.

A bright foot comes down onto a dark belt: its sole's lowest edge reaches the belt in a known frame. The edge is
found there with and without a 40 px horizontal motion blur (which smears the foot along the belt, not its
height), and the clip-level decision moves the pose's contacts only where most soles stand still in stance and
the pose leads the sole's touch by more than a frame.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy.ndimage import uniform_filter1d

from gait.core import landmarks as L
from gait.core.types import GaitEvent, GaitEvents
from gait.kinematics import sole_touch as st
from gait.kinematics.contacts import classify_activity

FPS = 30.0
N_FRAMES = 60
BELT_Y = 400.0  # the sole's stance level (px, down +)
LEG_PX = 300.0
HEEL_X, TOE_X = 200.0, 280.0
#: the sole's height above the belt (px) in the frames leading to a touch: it is down from the 4th on
DESCENT_PX = (60.0, 40.0, 22.0, 9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def _frame(sole_y: float, blur_px: int = 0) -> np.ndarray:
    """A 480 × 480 grey frame: dark belt, a bright foot whose lowest edge is at ``sole_y``."""
    img = np.full((480, 480), 50.0)
    img[int(BELT_Y) :, :] = 70.0  # the belt's surface, a little lighter than the background
    img[int(sole_y) - 40 : int(sole_y), int(HEEL_X) : int(TOE_X)] = 200.0
    if blur_px:
        img = uniform_filter1d(img, size=blur_px, axis=1, mode="nearest")
    return img.astype(np.uint8)


def _xy() -> np.ndarray:
    """Landmarks of every frame: the right heel and toe at the foot's place, standing on the belt."""
    xy = np.full((N_FRAMES, L.N_LANDMARKS, 2), np.nan)
    for side in ("left", "right"):  # each foot lands at the same place on the belt
        s = L.SIDE[side]
        xy[:, s["heel"]] = (HEEL_X, BELT_Y - 2)
        xy[:, s["toe"]] = (TOE_X, BELT_Y - 4)
    return xy


def _events(
    contact_rows: list[float], activity: str = "running", stance_frames: float = 6, feet: str = "right"
) -> GaitEvents:
    """Contacts at ``contact_rows`` (feet alternating when ``feet="both"``), each foot's toe-off
    ``stance_frames`` after its contact."""
    times = np.arange(N_FRAMES) / FPS
    out = []
    for k, r in enumerate(contact_rows):
        foot = "right" if feet == "right" or k % 2 == 0 else "left"
        t = float(np.interp(r, np.arange(N_FRAMES), times))
        out.append(GaitEvent(foot, "contact", int(round(r)), t, track=foot))
        out.append(GaitEvent(foot, "toe_off", int(round(r + stance_frames)), t + stance_frames / FPS, track=foot))
    out.sort(key=lambda e: e.time_s)
    return GaitEvents(tuple(out), activity)  # type: ignore[arg-type]


def _heights(probe: st.SoleProbe, touch_frame: int, blur_px: int = 0) -> tuple[float, ...]:
    """The edge heights the probe's frames show for a foot first down at ``touch_frame``."""
    out = []
    for j, row in enumerate(probe.rows()):
        k = row - touch_frame + 4  # DESCENT_PX[4] is the first frame down
        above = DESCENT_PX[0] if k < 0 else DESCENT_PX[min(k, len(DESCENT_PX) - 1)]
        out.append(st.sole_height_px(_frame(BELT_Y - above, blur_px), probe.bands[j], probe.leg_px))
    return tuple(out)


@pytest.mark.parametrize("blur_px", [0, 40])
def test_the_first_frame_down_is_the_frame_the_sole_reaches_the_belt(blur_px: int) -> None:
    events = _events([10.4])  # the pose says 10.4; the sole is down from frame 12
    (probe,) = st.sole_probes(events, _xy(), np.arange(N_FRAMES) / FPS, LEG_PX)
    heights = _heights(probe, 12, blur_px)
    assert heights[-1] == pytest.approx(BELT_Y, abs=1.0)  # the edge found is the sole's, on the belt
    crossing, first = st.touch_row(heights, probe.contact_row, st.tolerance_px(LEG_PX))
    assert first == 12.0
    assert 11.0 < crossing < 12.0  # the touch lies between the last frame in the air and the first down
    assert st.sole_stands(heights, st.tolerance_px(LEG_PX))


def test_a_foot_already_down_at_the_pose_contact_keeps_it() -> None:
    events = _events([12.3])
    (probe,) = st.sole_probes(events, _xy(), np.arange(N_FRAMES) / FPS, LEG_PX)
    assert st.touch_row(_heights(probe, 12), probe.contact_row, st.tolerance_px(LEG_PX)) == (12.3, 12.3)


def test_unreadable_heights_keep_the_pose_contact() -> None:
    h = (math.nan,) * (st.BEFORE_FRAMES + st.AFTER_FRAMES + 1)
    assert st.touch_row(h, 7.5, 4.0) == (7.5, 7.5)
    assert not st.sole_stands(h, 4.0)


def _clip(
    lead_frames: float | list[float], jitter_px: float = 0.0, activity: str = "running", stance_frames: float = 6
) -> tuple[GaitEvents, st.SoleTouch]:
    """Five landings, feet alternating, the sole shows down ``lead_frames`` (one for all, or one per landing) after
    the pose's contacts (edge heights jittered by up to ``jitter_px``), each foot leaving the belt ``stance_frames``
    after its touch."""
    touches = [10, 20, 30, 40, 50]
    leads = lead_frames if isinstance(lead_frames, list) else [lead_frames] * len(touches)
    pose = [t - lead for t, lead in zip(touches, leads, strict=True)]
    events = _events(pose, activity, stance_frames + max(leads), feet="both")
    times = np.arange(N_FRAMES) / FPS
    probes = st.sole_probes(events, _xy(), times, LEG_PX)
    rng = np.random.default_rng(3)
    heights = {}
    for p, t in zip(probes, touches, strict=True):
        h = np.asarray(_heights(p, t)) + rng.uniform(-jitter_px, jitter_px, len(p.bands))
        heights[(p.foot, p.first_row)] = tuple(h)
    return events, st.decide_touch(probes, heights, events, times)


def test_a_clip_whose_pose_leads_the_sole_is_timed_by_the_sole() -> None:
    events, touch = _clip(lead_frames=1.8)
    assert touch.used, touch.reason
    assert touch.stand_share == 1.0 and touch.median_lead_frames > st.MIN_LEAD_S * FPS
    moved = st.with_touches(events, touch, np.arange(N_FRAMES) / FPS, np.arange(N_FRAMES))
    contacts = [e for e in moved.events if e.kind == "contact"]
    assert [e.frame for e in contacts] == [10, 20, 30, 40, 50]
    assert all(e.timed_by == "sole" and e.source == "detected" for e in contacts)
    assert [e.time_s for e in contacts] == pytest.approx([f / FPS for f in (10, 20, 30, 40, 50)])


def test_a_pose_within_a_frame_of_the_sole_keeps_its_contacts() -> None:
    events, touch = _clip(lead_frames=0.6)
    assert not touch.used and "within 33 ms of the sole's touch" in touch.reason
    assert st.with_touches(events, touch, np.arange(N_FRAMES) / FPS, np.arange(N_FRAMES)) == events


def test_each_landing_is_judged_on_its_own_lead() -> None:
    """Only the landings whose pose contact leads the sole by more than a frame move, even where the clip's median
    lead is under a frame (judged per clip, a few pixels in the landmarks moved all of a clip's landings or none)."""
    leads = [0.3, 1.8, 0.4, 2.0, 0.5]
    events, touch = _clip(lead_frames=leads)
    assert touch.median_lead_frames < st.MIN_LEAD_S * FPS  # the clip-level gate would have moved none
    assert touch.used and sorted(touch.touch_rows.values()) == [20.0, 40.0], touch
    moved = st.with_touches(events, touch, np.arange(N_FRAMES) / FPS, np.arange(N_FRAMES))
    contacts = [e for e in moved.events if e.kind == "contact"]
    assert [e.timed_by for e in contacts] == ["pose", "sole", "pose", "sole", "pose"]
    assert [e.time_s * FPS for e in contacts] == pytest.approx([9.7, 20.0, 29.6, 40.0, 49.5])


def test_soles_that_do_not_stand_still_keep_the_pose_contacts() -> None:
    _, touch = _clip(lead_frames=1.8, jitter_px=25.0)  # dark shoes on a dark belt: the "edge" jumps about
    assert touch.stand_share < st.STAND_SHARE and not touch.used, touch


def test_a_runner_whose_early_contacts_hide_the_flight_is_found_running() -> None:
    # stance 9 frames of a 10-frame step: the pose's contacts, 1.8 frames early, come before the other foot's
    # toe-off (double support: "walking"); at the sole's touch there is a frame of flight
    events, touch = _clip(lead_frames=1.8, activity="walking", stance_frames=9)
    assert classify_activity(list(events.events))[0] == "walking"
    assert touch.used, touch.reason
    moved = st.with_touches(events, touch, np.arange(N_FRAMES) / FPS, np.arange(N_FRAMES))
    assert moved.activity == "running" and moved.activity_confidence == 1.0


def test_a_walk_the_sole_still_shows_as_a_walk_keeps_its_contacts() -> None:
    events, touch = _clip(lead_frames=1.8, activity="walking", stance_frames=12)  # double support at the touch
    assert not touch.used and "walk" in touch.reason, touch
    assert st.with_touches(events, touch, np.arange(N_FRAMES) / FPS, np.arange(N_FRAMES)) == events


def test_a_touch_is_never_moved_onto_its_own_toe_off() -> None:
    touches = [10, 20, 30, 40, 50]
    events = _events([t - 1.8 for t in touches], stance_frames=2.5)  # toe-off 0.7 frame after the sole's touch
    times = np.arange(N_FRAMES) / FPS
    probes = st.sole_probes(events, _xy(), times, LEG_PX)
    heights = {(p.foot, p.first_row): _heights(p, t) for p, t in zip(probes, touches, strict=True)}
    touch = st.decide_touch(probes, heights, events, times)
    assert not touch.touch_rows and not touch.used


def test_the_heights_survive_the_report() -> None:
    _, touch = _clip(lead_frames=1.8)
    stored = st.SoleTouch.from_dict(touch.to_dict())
    assert stored.heights_px.keys() == touch.heights_px.keys()
    for key, h in touch.heights_px.items():
        assert stored.heights_px[key] == pytest.approx(h, abs=0.05)


@pytest.mark.parametrize(("lead_frames", "moved"), [(1.5, False), (3.0, True)])
def test_at_60_fps_the_windows_and_the_lead_are_times_not_frames(lead_frames: float, moved: bool) -> None:
    """At 60 fps the frames around a contact are as long as at 30 fps (4 before, 12 after), and the pose must
    lead the sole by more than 1/30 s: 1.5 frames (25 ms, the pose rule's own rounding) is no lead."""
    times = np.arange(N_FRAMES) / 60.0
    assert st.frames_read(times) == (4, 12)
    touches = [14, 24, 34, 44]
    rows = np.arange(N_FRAMES)
    events = _events([t - lead_frames for t in touches], stance_frames=8 + lead_frames, feet="both")
    events = replace(events, events=tuple(replace(e, time_s=e.time_s / 2) for e in events.events))  # 60 fps clock
    probes = st.sole_probes(events, _xy(), times, LEG_PX)
    assert len(probes) == 4 and all(len(p.bands) == 17 and p.before == 4 for p in probes)
    heights = {(p.foot, p.first_row): _heights(p, t) for p, t in zip(probes, touches, strict=True)}
    touch = st.decide_touch(probes, heights, events, times)
    assert touch.used is moved, touch.reason
    if moved:
        contacts = [e for e in st.with_touches(events, touch, times, rows).events if e.kind == "contact"]
        assert [e.frame for e in contacts] == touches
