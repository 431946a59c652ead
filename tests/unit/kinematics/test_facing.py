"""Facing from the body, not the picture (issue 23, failure 2): a handheld, moving-camera clip of a runner facing
right, with the feet cut off by the frame's edge, was read as facing left.

The camera's motion is a pan here (the whole body drifts across the picture, against the way the runner faces),
the cut-off feet are what the pose model returns for feet it cannot see (a guess outside the picture, with low
visibility: here the worst guess, pointing backwards), and a hood hides the ears (guessed ahead of the nose). The
knees, which are seen, bend the one way knees bend.
"""

from __future__ import annotations

import numpy as np
import pytest

from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.kinematics.clean import clean_pose
from gait.synthetic.runner import make_pose
from tests.support.pose_edits import feet_cut_off, hooded, panned
from tests.support.runners import HEALTHY


@pytest.mark.parametrize("facing", ["left", "right"])
def test_facing_survives_a_panning_camera_and_cut_off_feet(facing: str) -> None:
    runner = make_pose(**HEALTHY, facing=facing, duration_s=6.0, fps=60.0)  # type: ignore[arg-type]
    ground_y = runner.pose.height * 0.9
    pan = 150.0 if facing == "right" else -150.0  # the body drifts across the picture against its facing
    hard = hooded(feet_cut_off(panned(runner.pose, pan), bottom_px=ground_y - 50.0))
    clean = clean_pose(hard, AnalysisConfig())
    assert clean.view == "side"
    assert clean.facing == facing and clean.facing_confidence >= 0.8, (clean.facing, clean.facing_confidence)


def test_the_pan_alone_never_decides() -> None:
    """Sharp, whole body, a fast pan either way: the facing is the body's."""
    runner = make_pose(**HEALTHY, facing="right", duration_s=4.0, fps=60.0)
    for pan in (-400.0, 400.0):
        clean = clean_pose(panned(runner.pose, pan), AnalysisConfig())
        assert clean.facing == "right" and clean.facing_confidence > 0.95


def test_knees_alone_decide_when_head_and_feet_are_unseen() -> None:
    from gait.kinematics.facing import detect_facing_from_body, facing_scores

    for facing in ("left", "right"):
        pose = make_pose(**HEALTHY, facing=facing, duration_s=4.0).pose  # type: ignore[arg-type]
        vis = pose.visibility.copy()
        vis[:, [L.NOSE, L.LEFT_EAR, L.RIGHT_EAR, L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_TOE, L.RIGHT_TOE]] = 0.0
        blind = pose.with_(visibility=vis)
        scores = facing_scores(blind)
        assert scores["head"][1] == 0 and scores["feet"][1] == 0 and scores["knees"][1] > 100
        assert detect_facing_from_body(blind)[0] == facing


def test_nothing_seen_is_an_even_guess() -> None:
    from gait.kinematics.facing import detect_facing_from_body

    pose = make_pose(duration_s=2.0).pose
    assert detect_facing_from_body(pose.with_(visibility=np.zeros_like(pose.visibility))) == ("right", 0.5)
