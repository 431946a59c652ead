"""Checks on how the phone frames the runner: a moving phone, limbs at the side of the picture, a tilted or
pitched phone, a phone too close. Each returns a :class:`~gait.checks.findings.Finding` (see
:mod:`gait.checks.assess`, whose
:data:`~gait.checks.assess.CHECKS` runs them); :mod:`gait.checks.camera` and :mod:`gait.capture.verticals` do the
measuring.
"""

from __future__ import annotations

import numpy as np

from gait.capture.verticals import VerticalPoint
from gait.checks.camera import (
    belt_rise_deg,
    near_far_leg_ratio,
    perspective_warning,
    pitch_finding,
    roll_warning,
    tilt_finding,
)
from gait.checks.findings import Finding, Footage
from gait.core import landmarks as L
from gait.core.numeric import quiet_nan_warnings
from gait.metrics.registry import LENGTH_CM, VERTICAL_REFERENCED, metrics_for_view

DRIFT_WARN_LEG = 0.6  # the hips' spread across the picture (5th-95th percentile), leg lengths
EDGE_WARN_FRAC = 0.05  # share of frames with a limb at the edge that is warned about
#: Where on the runner the picture's vertical is compared with the true one: the middle of the trunk (trunk lean
#: is measured from the hips to the shoulders) and of the landing leg's shin at contact (the shin angle).
_TRUNK = (L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP)


def _landing_shins_px(f: Footage) -> np.ndarray:
    """The middle of the landing leg's shin (knee to ankle) at each contact, picture pixels (n × 2)."""
    xy = f.clean.raw.image_xy_px
    row_of = {int(frame): k for k, frame in enumerate(f.clean.raw.frame_index)}  # video frame → pose row
    rows = []
    for e in f.events.of(kind="contact"):
        if (k := row_of.get(e.frame)) is not None:
            leg = L.SIDE[e.track or e.foot]
            rows.append((xy[k, leg["knee"]] + xy[k, leg["ankle"]]) / 2.0)
    return np.asarray(rows).reshape(-1, 2)


_FRAMING_REASON = "the camera or framing makes this less reliable"


def _runner_xy(f: Footage) -> np.ndarray | None:
    """Detected frames' image landmarks, None when too few to judge the framing."""
    xy = f.clean.raw.image_xy_px[f.clean.raw.detected]
    return xy if len(xy) >= 10 and np.isfinite(f.clean.leg_length_px) else None


def check_camera_motion(f: Footage) -> Finding | None:
    """A runner who drifts across the picture (a moving or handheld phone, or not a treadmill): side-view
    metrics at most fair."""
    xy = _runner_xy(f)
    if xy is None:
        return None
    with np.errstate(invalid="ignore"), quiet_nan_warnings():
        hip_x = np.nanmean(xy[:, [L.LEFT_HIP, L.RIGHT_HIP], 0], axis=1)
        drift = float(np.nanpercentile(hip_x, 95) - np.nanpercentile(hip_x, 5)) / f.clean.leg_length_px
    if not drift > DRIFT_WARN_LEG:
        return None
    warning = (
        f"The runner moves across the picture by {drift:.1f} leg lengths: the phone moves, or this is not a "
        "treadmill. Lengths and angles are less reliable; put the phone on a stand beside the treadmill."
    )
    return Finding.on(metrics_for_view("side"), "fair", _FRAMING_REASON, warning)


def check_edge(f: Footage) -> Finding | None:
    """Hands or feet leaving the side of the frame (the landing foot may be cut off): side-view metrics at
    most fair."""
    xy = _runner_xy(f)
    if xy is None:
        return None
    width = f.clean.raw.width
    with np.errstate(invalid="ignore"), quiet_nan_warnings():
        limbs = xy[:, [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_TOE, L.RIGHT_TOE, L.LEFT_WRIST, L.RIGHT_WRIST], 0]
        margin = f.config.frame_edge_margin_frac * width  # the same edge events.py times no landing at
        at_edge = float(np.mean(np.any((limbs < margin) | (limbs > width - margin), axis=1)))
    if not at_edge > EDGE_WARN_FRAC:
        return None
    warning = (
        f"Hands or feet leave the side of the frame in {100 * at_edge:.0f}% of frames: the landing foot may be "
        "cut off. Move the phone back so the whole stride stays in view."
    )
    return Finding.on(metrics_for_view("side"), "fair", _FRAMING_REASON, warning)


def check_camera_tilt(f: Footage) -> Finding | None:
    """A belt line off the picture's horizontal (:mod:`gait.checks.camera`): a rolled phone lowers the angles measured
    against the picture's vertical to fair; a rise that may be a treadmill incline is a note. Only when the scene
    shows no verticals: they give the true vertical at the runner directly (:func:`check_camera_pitch`), where
    the belt line cannot tell a rolled phone from an inclined treadmill."""
    if f.clean.view != "side" or f.verticals is not None:  # the scene's verticals measure it (check_camera_pitch)
        return None
    rise = belt_rise_deg(f.clean, f.strides.stances)
    found = tilt_finding(rise, f.config.belt_tilt_max_deg, f.config.treadmill_max_incline_deg)
    if found is None:
        return None
    text, lowers = found
    if not lowers:
        return Finding(note=text)
    reason = f"the phone is tilted by about {abs(rise or 0.0):.0f}°: angles against the vertical are off by as much"
    return Finding.on(VERTICAL_REFERENCED, "fair", reason, text)


def check_perspective(f: Footage) -> Finding | None:
    """A phone close to the runner: the near leg looks longer than the far one (:mod:`gait.checks.camera`), so the
    lengths of the two legs' steps differ by the camera alone; lengths at most fair."""
    if f.clean.view != "side":
        return None
    ratio = near_far_leg_ratio(f.clean)
    text = perspective_warning(ratio, f.config.perspective_max_leg_ratio)
    if text is None:
        return None
    pct = 100.0 * ((ratio or 1.0) - 1.0)
    reason = f"the phone is close: the near leg's lengths read up to {pct:.0f} % longer than the far leg's"
    return Finding.on((*LENGTH_CM, *LENGTH_CM.values()), "fair", reason, text)


def check_camera_pitch(f: Footage) -> Finding | None:
    """The scene's upright edges leaning at the runner (:mod:`gait.capture.verticals`): a phone pitched up or down or
    rolled. Side view: past ``belt_tilt_max_deg`` at the runner, the angles measured against the picture's
    vertical are at most fair; a strong pitch that leaves the runner's vertical upright is a note. From behind or
    in front: a roll past ``frontal_roll_max_deg`` lowers the pelvic drop (its left/right values are off by
    twice the roll)."""
    vp = f.verticals
    xy = _runner_xy(f)
    if vp is None or xy is None:
        return None
    if f.clean.view != "side":
        return _frontal_roll(f, vp)
    with np.errstate(invalid="ignore"), quiet_nan_warnings():
        trunk = np.nanmedian(np.nanmean(xy[:, list(_TRUNK)], axis=1), axis=0)
        shins = np.nanmedian(_landing_shins_px(f), axis=0)
    if not np.isfinite([*trunk, *shins]).all():
        return None
    tilt_trunk, tilt_shins = vp.vertical_tilt_deg(*map(float, trunk)), vp.vertical_tilt_deg(*map(float, shins))
    roll = vp.vertical_tilt_deg(vp.width / 2.0, vp.height / 2.0)
    found = pitch_finding(
        vp.pitch_deg(),
        roll,
        (tilt_trunk, tilt_shins),
        f.clean.sign,
        f.config.belt_tilt_max_deg,
        f.config.camera_max_pitch_deg,
    )
    if found is None:
        return None
    text, lowers = found
    if not lowers:
        return Finding(note=text)
    worst = max(abs(tilt_trunk), abs(tilt_shins))
    reason = f"the picture's vertical leans {worst:.0f}° at the runner: angles against it are off by as much"
    return Finding.on(VERTICAL_REFERENCED, "fair", reason, text)


def _frontal_roll(f: Footage, vp: VerticalPoint) -> Finding | None:
    """From behind or in front: a rolled phone tilts the pelvis line by the roll, which the pelvic drop (measured
    against the picture's horizontal) adds to one leg's stances and takes from the other's."""
    roll = vp.vertical_tilt_deg(vp.width / 2.0, vp.height / 2.0)  # a pitch leaves left-right lines level
    text = roll_warning(roll, f.config.frontal_roll_max_deg)
    if text is None:
        return None
    reason = f"the phone is rolled about {abs(roll):.0f}°: one leg's pelvic drop reads more, the other's less"
    return Finding.on(["pelvic_drop_deg"], "fair", reason, text)
