"""The typed stride table: stances carry their events, stages add their own columns, joined once."""

from __future__ import annotations

import numpy as np
import pytest

from gait import AnalysisConfig
from gait.kinematics.clean import clean_pose
from gait.kinematics.contacts import detect_events
from gait.metrics.measure import stride_table
from gait.metrics.table import Columns, Stance, StrideTable
from gait.synthetic.runner import make_pose
from tests.support.runners import HEALTHY, analyse

CFG = AnalysisConfig(height_cm=175.0)


def test_rows_carry_track_toe_off_and_midstance_and_no_pixel_intermediates() -> None:
    report, _ = analyse(fps=60.0, **HEALTHY)
    row = report.strides[3]
    assert row["track"] in ("left", "right") and row["toe_off_frame"] is not None
    assert row["contact_time_s"] < row["midstance_time_s"] < row["toe_off_time_s"]
    for name in ("overstride_px", "foot_strike_raw_deg", "foot_flat_raw_deg", "body_lean_midstance_deg"):
        assert all(name not in r for r in report.strides)
        assert name in report.diagnostics["strides"][3]
    assert len(report.diagnostics["strides"]) == len(report.strides)


def test_every_stage_column_has_one_value_per_stance() -> None:
    pose = make_pose(fps=60.0, **HEALTHY).pose
    clean = clean_pose(pose, CFG)
    table = stride_table(clean, detect_events(clean, CFG), CFG)
    assert all(len(col) == len(table) for col in table.values.values())
    assert np.allclose(table.column("cadence_spm"), 60.0 / table.column("step_time_s"), equal_nan=True)
    assert np.isnan(table.column("pelvic_drop_deg")).all()  # not a side-view column


def test_join_refuses_a_column_from_two_stages_or_of_the_wrong_length() -> None:
    st = (Stance("left", "left", 1.0, 0.35, 0.7),)
    one = Columns(values={"x": np.array([1.0])})
    with pytest.raises(ValueError, match="two stages"):
        StrideTable.join(st, [one, one])
    with pytest.raises(ValueError, match="1 stances"):
        StrideTable.join(st, [Columns(values={"y": np.array([1.0, 2.0])})])


def test_a_rear_view_row_has_no_contact_fields() -> None:
    report, _ = analyse(fps=60.0, view="rear", pelvic_drop_deg=6.0)
    assert report.strides and all("contact_frame" not in r and "toe_off_time_s" not in r for r in report.strides)
    assert all(r["midstance_frame"] is not None for r in report.strides)
