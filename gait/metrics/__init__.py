"""Metrics: pure functions from a cleaned pose and its events to the stride table and its summaries.

:func:`stride_table` runs the stages for the clip's view and joins their columns once; the registry
(:mod:`gait.metrics.registry`) says what each metric is.
"""

from __future__ import annotations

from gait.clean import CleanPose
from gait.config import AnalysisConfig
from gait.metrics.posture import frontal_posture_columns, side_posture_columns, torso_rotation_columns
from gait.metrics.registry import REGISTRY
from gait.metrics.spatiotemporal import runner_xy, spatiotemporal_columns
from gait.metrics.summary import summarise
from gait.metrics.table import StrideTable, frontal_stances, side_stances, step_columns
from gait.types import GaitEvents


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


__all__ = ["REGISTRY", "StrideTable", "stride_table", "summarise"]
