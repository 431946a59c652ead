"""How well the pose model saw the legs at foot contact: the confidence behind the contact-phase values.

Motion blur, dim light or a leg hidden behind the other smear the lower-leg landmarks exactly when the foot lands;
the model then places them with low *visibility* (its own confidence) and the angles at contact shrink towards
neutral (a shank angle of 13° reads as 4°). A value measured from such landmarks must not be marked "good": this
module rates the landmarks of the contacting leg (knee, ankle, heel, toe) around each contact; the quality check
(:func:`gait.checks.assess.check_contact_visibility`) lowers the quality of every contact-phase metric with a warning
that
says why and what to do.
"""

from __future__ import annotations

import numpy as np

from gait.core import landmarks as L
from gait.core.types import GaitEvent, PoseSequence, Quality

#: metrics measured at (or timed by) the foot's contact with the belt
CONTACT_PHASE_METRICS = (
    "shank_angle_at_contact_deg",
    "foot_strike_angle_deg",
    "knee_flexion_at_contact_deg",
    "overstride_cm",
    "overstride_leg_pct",
    "ground_contact_time_ms",
    "flight_time_ms",
    "duty_factor",
)
#: median visibility of the contacting lower leg below this: values at contact are at most "fair"
FAIR_BELOW = 0.75
#: below this: "poor"
POOR_BELOW = 0.5
WINDOW_FRAMES = 1  # frames either side of the contact frame that are rated too


def contact_visibility(pose: PoseSequence, contacts: tuple[GaitEvent, ...]) -> float | None:
    """Median visibility of the contacting leg's knee, ankle, heel and toe within ±1 frame of each contact.

    Parameters
    ----------
    pose : the (cleaned, legs un-swapped) pose.
    contacts : the initial-contact events.

    Returns
    -------
    float or None
        In [0, 1]; None when there are no contacts or no visibility scores.
    """
    if not contacts or pose.n_frames == 0:
        return None
    values: list[float] = []
    for e in contacts:
        k = int(np.argmin(np.abs(pose.times_s - e.time_s)))
        side = L.SIDE[e.track or e.foot]
        joints = [side["knee"], side["ankle"], side["heel"], side["toe"]]
        lo, hi = max(0, k - WINDOW_FRAMES), min(pose.n_frames, k + WINDOW_FRAMES + 1)
        values.extend(pose.visibility[lo:hi, joints].ravel().tolist())
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else None


def contact_phase_cap(vis: float | None) -> tuple[Quality, str] | None:
    """The quality the contact-phase metrics are capped at for a median leg visibility ``vis`` at contact, and
    the warning that says why; None when the legs were seen well (or the visibility is unknown)."""
    if vis is None or vis >= FAIR_BELOW:
        return None
    cap: Quality = "poor" if vis < POOR_BELOW else "fair"
    msg = (
        f"The legs are blurred or hard to see when the feet land (landmark confidence {vis:.2f} of 1): angles, "
        "overstride and contact times at foot contact are uncertain and may read too small. Film in brighter light "
        "(a faster shutter), at 60 fps or more, with nothing in front of the legs."
    )
    return cap, msg
