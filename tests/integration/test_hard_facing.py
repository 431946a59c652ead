"""Facing on the real treadmill clip and its mirror image, filmed by a panning phone whose picture ends above the
belt (issue 23, failure 2; the synthetic cases are in tests/unit/kinematics/test_facing.py)."""

from __future__ import annotations

import numpy as np

from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.core.types import PoseSequence
from gait.kinematics.clean import clean_pose
from tests.support.pose_edits import feet_cut_off, hooded, panned


def mirrored(pose: PoseSequence) -> PoseSequence:
    """The landmarks of the mirror image (x → W − x, left ↔ right), as the mirrored video gives them."""
    xy, vis = pose.image_xy_px.copy(), pose.visibility.copy()
    xy[..., 0] = pose.width - xy[..., 0]
    for arr in (xy, vis):
        for a, b in L.LR_PAIRS:
            arr[:, [a, b]] = arr[:, [b, a]]
    return pose.with_(image_xy_px=xy, visibility=vis, presence=vis.copy())


def test_real_clip_mirrored_panned_feet_cut_off(treadmill_analysis) -> None:
    """The real treadmill runner (faces left) and its mirror image (faces right), each filmed by a panning phone
    whose picture ends above the belt: the facing is the body's."""
    _, clean0 = treadmill_analysis
    raw = clean0.raw
    bottom = float(np.nanpercentile(raw.image_xy_px[:, [L.LEFT_ANKLE, L.RIGHT_ANKLE], 1], 20))
    for pose, facing in ((raw, "left"), (mirrored(raw), "right")):
        pan = 120.0 if facing == "right" else -120.0
        hard = hooded(feet_cut_off(panned(pose, pan), bottom_px=bottom))
        clean = clean_pose(hard, AnalysisConfig(height_cm=178.0))
        assert clean.facing == facing and clean.facing_confidence >= 0.8, (facing, clean.facing_confidence)
