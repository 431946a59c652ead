"""Motion blur of the legs, measured from the pixels at the landings.

The pose model's visibility score does not drop on a smeared leg (it confidently places the joints of a ghost): a
41 px horizontal blur moved the shin angle at landing from 8° to 3° with every quality "good". This module reads
the picture itself: in the box around the landing leg (knee, ankle, heel, toe) of each contact frame, the blur
measure of Crété-Roffet et al. 2007 ("The blur effect", SPIE 6492): the image is blurred again along one direction
and the share of its edge contrast that survives is compared. A sharp picture loses most of its fine contrast to
the re-blur (a value near 0.3); an already blurred one has little left to lose (near 1). It is taken along the
rows and the columns, and the larger is kept, so a blur in any one direction (a pan, a fast leg, a shaky hand) is
seen; it does not depend on the brightness or the contrast of the scene.

The contact frames are read in the one decode after pose extraction (I/O at the edge,
:func:`gait.checks.pixel_reads.read_pixels`); the rating is pure (:func:`blur_cap`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.ndimage import uniform_filter1d

from gait.checks.findings import Check, Finding, Footage
from gait.checks.leg_visibility import CONTACT_PHASE_METRICS
from gait.core import landmarks as L
from gait.core.posedata import PoseSequence
from gait.core.types import GaitEvent, Quality

#: the re-blur's length along one direction (pixels; Crété-Roffet et al. use 9)
REBLUR_PX = 9
#: the box around the landing leg is widened by this share of its size on each side
BOX_MARGIN = 0.35
#: boxes smaller than this (pixels, either side) are too small to rate
MIN_BOX_PX = 16
#: the leg's box is halved (2 × 2 block means) before it is rated: a compressed video's 8 × 8 blocks and noise add
#: fine contrast a motion blur does not remove (at full size a 41 px blur re-encoded as H.264 read 0.55, the sharp
#: clip 0.52); at half size they are gone and the smear stays
DOWNSCALE = 2
#: median blur at the landings above which the landing metrics are at most fair / poor. Measured on the treadmill
#: clip's landings (720×1280 H.264, half size): 0.45 as filmed (10-90 %: 0.41-0.49), 0.75 (0.71-0.77) re-encoded
#: with a 41 px horizontal motion blur (tests/integration/test_hard_blur.py)
FAIR_ABOVE = 0.6
POOR_ABOVE = 0.68


def blur_effect(gray: np.ndarray) -> float:
    """Crété-Roffet blur of a grey image: 0 (sharp) to 1 (blurred), the larger of the rows' and columns'.

    Parameters
    ----------
    gray : a 2-D image (any numeric type).

    Returns
    -------
    float
        NaN for an image too small or without contrast.
    """
    img = np.asarray(gray, dtype=float)
    if img.ndim != 2 or min(img.shape) < REBLUR_PX + 2:
        return math.nan
    found = []
    for axis in (0, 1):
        reblurred = uniform_filter1d(img, size=REBLUR_PX, axis=axis, mode="nearest")
        d_img = np.abs(np.diff(img, axis=axis))
        d_re = np.abs(np.diff(reblurred, axis=axis))
        # The ends of each line are biased by the filter's padding: leave them out.
        cut = [slice(None), slice(None)]
        cut[axis] = slice(REBLUR_PX, -REBLUR_PX)
        d_img, d_re = d_img[tuple(cut)], d_re[tuple(cut)]
        s_img = float(d_img.sum())
        if s_img <= 1e-9:
            continue
        s_var = float(np.maximum(0.0, d_img - d_re).sum())
        found.append((s_img - s_var) / s_img)
    return max(found) if found else math.nan


def leg_blur(gray: np.ndarray) -> float:
    """:func:`blur_effect` of a leg's box at half size (:data:`DOWNSCALE`); NaN when too small."""
    k = DOWNSCALE
    h, w = (gray.shape[0] // k) * k, (gray.shape[1] // k) * k
    if h == 0 or w == 0:
        return math.nan
    small = np.asarray(gray, dtype=float)[:h, :w].reshape(h // k, k, w // k, k).mean(axis=(1, 3))
    return blur_effect(small)


def leg_box(pose: PoseSequence, row: int, foot: str) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) in pixels around the knee, ankle, heel and toe of ``foot`` in pose row ``row``, widened
    by :data:`BOX_MARGIN` and clipped to the picture; None when unseen or too small."""
    s = L.SIDE[foot]
    pts = pose.image_xy_px[row, [s["knee"], s["ankle"], s["heel"], s["toe"]]]
    if not np.isfinite(pts).all():
        return None
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    m = BOX_MARGIN * max(x1 - x0, y1 - y0)
    box = (
        max(0, int(x0 - m)),
        max(0, int(y0 - m)),
        min(pose.width, int(math.ceil(x1 + m))),
        min(pose.height, int(math.ceil(y1 + m))),
    )
    if box[2] - box[0] < MIN_BOX_PX or box[3] - box[1] < MIN_BOX_PX:
        return None
    return box


def blur_cap(values: Sequence[float]) -> tuple[Quality, str, float] | None:
    """The quality the contact metrics are capped at for the legs' blur at the landings, the warning that says
    why, and the median blur; None when the legs were sharp (or nothing could be rated).

    A single smeared landing does not count: the median over the rated landings decides.
    """
    v = np.asarray([x for x in values if math.isfinite(x)], dtype=float)
    if v.size == 0:
        return None
    med = float(np.median(v))
    if med <= FAIR_ABOVE:
        return None
    cap: Quality = "poor" if med > POOR_ABOVE else "fair"
    msg = (
        f"The legs are motion-blurred in the picture when the feet land (blur {med:.2f}, where a sharp picture "
        f"reads about 0.45 and a smeared one near 1): the landing is read late or early and the angles at landing "
        "shrink, so contact and flight times, shin and foot angle, knee bend and overstride are uncertain. Film "
        "with a faster shutter (more light, or the phone's sports or slow-motion mode), with the phone held still."
    )
    return cap, msg, med


#: metrics read at the landing or timed by it (and the push-off, read from the same smeared feet)
LANDING_BLUR_METRICS = (*CONTACT_PHASE_METRICS, "hip_extension_deg")

#: reads the legs' blur at the given contacts of a pose (:func:`stored_landing_blur`)
LandingBlurReader = Callable[[PoseSequence, tuple[GaitEvent, ...]], list[float]]


def check_for_leg_blur(values: Sequence[float]) -> Check:
    """A footage check (:mod:`gait.checks.assess`) that caps the landing metrics by the legs' blur ``values``."""

    def check_leg_blur(f: Footage) -> Finding | None:
        found = blur_cap(values) if f.clean.view == "side" else None
        if found is None:
            return None
        quality, msg, med = found
        reason = f"the legs are motion-blurred at the landings (blur {med:.2f} of 1)"
        return Finding.on(LANDING_BLUR_METRICS, quality, reason, msg)

    return check_leg_blur


def stored_landing_blur(diagnostics: dict[str, Any]) -> LandingBlurReader | None:
    """A reader giving back the blur values a report was made with (``diagnostics["landing_blur"]``), to score
    it again without the video; None when the report has none."""
    stored = diagnostics.get("landing_blur")
    if not isinstance(stored, list) or not stored:
        return None
    values = [float(v) for v in stored if isinstance(v, (int, float))]
    return lambda pose, contacts: list(values)
