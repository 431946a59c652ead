"""The stride table of a clip: the stances, then each stage's columns joined once."""

from __future__ import annotations

from gait.core.config import AnalysisConfig
from gait.core.types import GaitEvents
from gait.kinematics.cleaned import CleanPose
from gait.metrics.geometry import runner_xy
from gait.metrics.posture import frontal_posture_columns, side_posture_columns, torso_rotation_columns
from gait.metrics.spatiotemporal import spatiotemporal_columns
from gait.metrics.table import StrideTable, frontal_stances, side_stances, step_columns


def stride_table(clean: CleanPose, events: GaitEvents, config: AnalysisConfig) -> StrideTable:
    """The stride table of a clip: side view, one row per contact (timing, landing, trunk and hip); rear or
    front view, one row per midstance (timing, pelvis and arms); torso rotation in both.

    Parameters
    ----------
    clean : the cleaned pose.
    events : its events (contacts and toe-offs in side view, midstances otherwise).
    config : user inputs and parameters.
    """
    if clean.view == "side":
        stances = side_stances(clean, events, runner_xy(clean))
        parts = [
            step_columns(stances),
            spatiotemporal_columns(clean, stances, config),
            side_posture_columns(clean, stances),
        ]
    else:
        stances = frontal_stances(events)
        parts = [step_columns(stances), frontal_posture_columns(clean, stances)]
    return StrideTable.join(stances, [*parts, torso_rotation_columns(clean, stances)])
