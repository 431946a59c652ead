"""Footage checks on the pixels' own motion (:mod:`gait.kinematics.pixel_motion`), in the form of
:mod:`gait.checks.assess`'s checks."""

from __future__ import annotations

import math

from gait.checks.findings import Finding, Footage
from gait.metrics.registry import TIME_METRICS

#: Pose and pixel step rates further apart than this factor disagree. The pixel rhythm of the labelled clips
#: agrees with the pose's within 2 % (treadmill 167.9 against 168.7, home gym 155.8 against 155.8, lab 165.0
#: against 162.5 steps/min); a slow-motion clip read as real time, or steps found in noise, is off by 1.5x or more.
RHYTHM_MAX_RATIO = 1.2
#: A clip's own step rate below this (steps/min, the clip's clock) is slower than anyone walks: slow motion.
SLOWEST_GAIT_SPM = 60.0


def check_pixel_rhythm(f: Footage) -> Finding | None:
    """The pose's step rate against the pixels' (pose-free): when they disagree, the times are withheld with
    the reason (a slowed clip read as real time, steps missed, or steps found in noise)."""
    m = f.motion
    if m is None or not m.stationary or f.feet_unseen or f.clean.view != "side":
        return None
    pixel, pose = m.step_rate_spm, f.cadence_spm
    if pixel is None or not math.isfinite(pose) or pose <= 0:
        return None
    ratio = pose / pixel
    if 1 / RHYTHM_MAX_RATIO <= ratio <= RHYTHM_MAX_RATIO:
        return None
    if pixel < SLOWEST_GAIT_SPM:
        why = "the picture moves like a slowed clip"
    elif ratio < 1:
        why = "steps were missed"
    else:
        why = "steps were found in noise"
    reason = (
        f"the steps found ({pose:.0f} steps/min) disagree with the picture's own rhythm ({pixel:.0f} steps/min): {why}"
    )
    warning = (
        f"The pose found {pose:.0f} steps/min, but the legs' motion in the picture repeats at {pixel:.0f} steps/min "
        f"({why}): cadence and the other times are withheld. If the clip is slow motion, give its capture rate "
        "(--capture-fps); otherwise film closer, side-on, in good light."
    )
    return Finding.on(TIME_METRICS, "unavailable", reason, warning, lower_only=False)


def check_duplicate_frames(f: Footage) -> Finding | None:
    """Frames that repeat the one before: counted, and told apart as a frame-rate conversion (single repeats at a
    regular spacing: real time kept), a held picture, or a slowed edit (repeats with a step rate slower than any
    gait). A warning only; what the repeats do to the times is the rhythm checks' business."""
    m = f.motion
    if m is None or not m.duplicates:
        return None
    n, total = len(m.duplicates), m.n_frames
    parts = [f"{n} of {total} frames repeat the frame before"]
    pixel = m.step_rate_spm
    slowed = pixel is not None and m.stationary and pixel < SLOWEST_GAIT_SPM
    if m.source_fps is not None:
        parts.append(
            f"one in {m.repeat_every}, evenly spaced: a frame-rate conversion from about {m.source_fps:.0f} fps"
            + (" of a slowed clip" if slowed else ", which keeps real time")
        )
    elif slowed:
        parts.append("a slowed edit: the clip plays slower than it was filmed")
    else:
        parts.append("unevenly spaced: stutter or dropped frames")
    if m.held_frames:
        parts.append(f"{m.held_frames} of them hold the picture still")
    return Finding("; ".join(parts) + ". Landing and push-off times are only as fine as the unique frames.")
