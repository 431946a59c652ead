"""What the footage shows about the camera itself: how far the belt runs off the image horizontal, how close
the phone is, and what the scene's verticals (:mod:`gait.capture.verticals`) say about its pitch and roll.

A foot that is flat on a treadmill belt slides backwards along the belt, so the path of the foot's centre during
the flat part of each stance traces the belt line in the picture. On a level belt filmed by a level phone that
line is horizontal. When it is not, either the phone is rolled (and every angle measured against the image
vertical, trunk lean and shin angle, is off by the same amount) or the treadmill is inclined (and those angles
are right). The pose alone cannot tell the two apart; the report says so and lets the user check.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.stats import theilslopes

from gait.core import landmarks as L
from gait.kinematics.clean import leg_lengths_px
from gait.kinematics.cleaned import CleanPose
from gait.metrics.table import Stance

# The toe stays on the belt from when the foot has rolled flat until it pushes off: between these fractions of
# contact → toe-off its path is the belt line (on a treadmill it slides back with the belt; over ground the
# footprints of successive steps lie along the ground line).
TOE_ON_BELT_PHASE = (0.3, 0.9)


def belt_rise_deg(clean: CleanPose, stances: Sequence[Stance], min_span_leg: float = 0.15) -> float | None:
    """Angle (°) of the belt (or ground) line in the picture, positive when it rises towards where the runner
    faces.

    For each foot, a robust line (Theil-Sen) through the toe's positions while it is on the belt in all its
    stances, from the landmarks before the low-pass; the mean of the two feet (the far foot's line is parallel
    to the near one's, higher in the picture when the phone looks down on the belt). None when neither foot's
    points span ``min_span_leg`` leg lengths along the belt.

    Parameters
    ----------
    clean : the cleaned side-view pose.
    stances : the stride table's stances (:attr:`gait.metrics.table.StrideTable.stances`): each contact with its
        toe-off, and the landmark side that held the foot.
    min_span_leg : the shortest stretch of belt (× leg length) a line is fitted to.
    """
    t = clean.pose.times_s
    xy = clean.unfiltered_xy_px
    leg = clean.leg_length_px
    angles: list[float] = []
    for side in ("left", "right"):
        mask = np.zeros((len(t), 2), dtype=bool)  # frames on the belt, held by the left / right toe landmark
        for s in (s for s in stances if s.foot == side and np.isfinite([s.contact_time_s, s.toe_off_time_s]).all()):
            span = s.toe_off_time_s - s.contact_time_s
            on = (t >= s.contact_time_s + TOE_ON_BELT_PHASE[0] * span) & (
                t <= s.contact_time_s + TOE_ON_BELT_PHASE[1] * span
            )
            mask[:, 0 if s.track == "left" else 1] |= on
        pts = np.concatenate([xy[mask[:, 0], L.LEFT_TOE], xy[mask[:, 1], L.RIGHT_TOE]])
        pts = pts[np.isfinite(pts).all(axis=1)]
        if len(pts) < 6 or not np.isfinite(leg):
            continue
        fwd, up = clean.sign * pts[:, 0], -pts[:, 1]
        if np.percentile(fwd, 95) - np.percentile(fwd, 5) < min_span_leg * leg:
            continue
        with np.errstate(invalid="ignore"):  # its confidence interval (unused) can take a root of < 0
            slope = float(theilslopes(up, fwd)[0])
        angles.append(math.degrees(math.atan(slope)))
    if not angles:
        return None
    return float(np.mean(angles))


def tilt_finding(rise_deg: float | None, max_deg: float, max_incline_deg: float) -> tuple[str, bool] | None:
    """What to say about a belt line ``rise_deg`` off the picture's horizontal, and whether the angles measured
    against the picture's vertical (trunk lean, shin angle) are less reliable for it; None within ``max_deg``.

    A belt that falls towards the runner's front, or rises more than the steepest treadmill incline
    (``max_incline_deg``) plus ``max_deg``, can only be a rolled phone: a warning, and those angles are lowered.
    A rise up to that is a treadmill incline or a rolled phone, which the pose cannot tell apart: a note.
    """
    if rise_deg is None or abs(rise_deg) <= max_deg:
        return None
    if 0 < rise_deg <= max_incline_deg + max_deg:
        return (
            f"The belt rises {rise_deg:.0f}° towards the front in the picture. If the treadmill is inclined, all "
            f"is well; if it is level, the phone is tilted (or films from low down at an angle), and trunk lean "
            f"and shin angle are off by up to {rise_deg:.0f}°. Level the phone at hip height to be sure.",
            False,
        )
    return (
        f"The phone is tilted: the belt runs {abs(rise_deg):.0f}° off the horizontal in the picture, so trunk lean "
        "and shin angle, measured against the picture's vertical, are off by about as much. Level the phone (most "
        "camera apps show a level) and film again.",
        True,
    )


def near_far_leg_ratio(clean: CleanPose) -> float | None:
    """How much longer the longer leg looks than the other in a side view (median hip → knee → ankle, px).

    Both legs are the same length, so the ratio is the far leg's distance from the phone over the near leg's:
    about 1 + (stance width / camera distance). A phone 2 m away makes the near leg look ~9 % longer; at 4 m and
    more the difference is within the landmarks' noise. None when either leg is not seen.
    """
    lengths = []
    for median_px, n_seen in leg_lengths_px(clean.pose).values():
        if n_seen < 10:
            return None
        lengths.append(median_px)
    short, long_ = sorted(lengths)
    return long_ / short if short > 0 else None


def perspective_warning(ratio: float | None, max_ratio: float) -> str | None:
    """A warning for a phone so close that the near leg looks ``ratio`` times the far one's length; None when
    the ratio is at most ``max_ratio``."""
    if ratio is None or ratio <= max_ratio:
        return None
    pct = 100.0 * (ratio - 1.0)
    return (
        f"The phone is close to the runner: the near leg looks {pct:.0f} % longer than the far one. Lengths of the "
        f"two legs differ by up to {pct:.0f} % from the camera alone, so left/right differences in overstride "
        "that small are not the runner's. Film from 3-5 m away (zoom in if needed)."
    )


def pitch_finding(
    pitch_deg: float,
    roll_deg: float,
    tilt_deg: tuple[float, float],
    sign: float,
    max_tilt_deg: float,
    max_pitch_deg: float,
) -> tuple[str, bool] | None:
    """What to say about the scene's verticals (:mod:`gait.capture.verticals`), and whether the angles measured against
    the picture's vertical are less reliable for them; None when there is nothing to say.

    Parameters
    ----------
    pitch_deg : the phone looks up (+) or down (−) by this much.
    roll_deg : the picture's vertical at its centre leans this much (its top to the right: +).
    tilt_deg : how far the true vertical leans from the picture's (top to the right: +) at the runner's trunk
        and at their shins, where trunk lean and shin angle are measured.
    sign : +1 when the runner faces the picture's right, −1 left.
    max_tilt_deg : a lean at the runner above this lowers trunk lean and shin angle (a warning).
    max_pitch_deg : a pitch above this is a note even when the runner's vertical stands.
    """
    how = []
    if abs(pitch_deg) >= 3.0:
        how.append(f"looks {'up' if pitch_deg > 0 else 'down'} about {abs(pitch_deg):.0f}°")
    if abs(roll_deg) >= 1.0:
        how.append(f"is rolled about {abs(roll_deg):.0f}°")
    phone = "The phone " + (" and ".join(how) if how else "is not upright")
    worst = max(abs(t) for t in tilt_deg)
    if worst > max_tilt_deg:
        # A vertical leaning towards the runner's front adds its lean to the trunk's forward lean and takes it
        # from the shin angle (the ankle ahead of the knee).
        trunk, shin = sign * tilt_deg[0], sign * tilt_deg[1]
        return (
            f"{phone}: the upright edges in the background (walls, doors, posts) lean up to {worst:.0f}° where "
            f"the runner is, so, measured against the picture's vertical, trunk lean reads about "
            f"{abs(trunk):.0f}° too far {'forward' if trunk > 0 else 'backward'} and shin angle about "
            f"{abs(shin):.0f}° too {'small' if shin > 0 else 'large'}. "
            "Hold the phone upright at hip height (most camera apps show a level) and film again.",
            True,
        )
    if abs(pitch_deg) > max_pitch_deg:
        low = "from low down" if pitch_deg > 0 else "from above"
        return (
            f"{phone} (it films {low}). Where the runner is in the picture, the background's upright edges lean "
            f"at most {worst:.1f}°, so angles against the vertical stand; keep the runner in the middle of the "
            "picture, or film from hip height with the phone upright.",
            False,
        )
    return None


def roll_warning(roll_deg: float, max_deg: float) -> str | None:
    """A warning for a phone filming from behind or in front rolled by ``roll_deg`` (the picture's vertical at
    its centre leaning that much from the true one); None within ``max_deg``.

    The pelvic drop is measured against the picture's horizontal, so a roll adds to one leg's drop and takes as
    much from the other's: their difference is off by twice the roll, though their mean is not.
    """
    if abs(roll_deg) <= max_deg:
        return None
    return (
        f"The phone is rolled about {abs(roll_deg):.0f}° (the upright edges in the background lean that much): the "
        f"pelvis reads about {abs(roll_deg):.0f}° lower on one side than it is, so the pelvic drop of one leg reads "
        f"more and the other's less, and a left/right difference up to {2 * abs(roll_deg):.0f}° is the camera's. "
        "Level the phone (most camera apps show a level) and film again."
    )
