"""The trend chart draws each session's uncertainty as a band, with ticks at the metric's precision (issue 24)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from gait.metrics.assessment import assessments_of
from gait.workflows.history import connect, save_session
from tests.support.runners import synthetic_report as report


def test_trend_points_carry_each_sessions_uncertainty(tmp_path: Path) -> None:
    from gait.workflows.trend import trend_points

    with connect(tmp_path / "h.sqlite3") as conn:
        save_session(conn, "Sam", report("overstrider"), recorded_on="2026-10-01")
        save_session(conn, "Sam", report("healthy"), recorded_on="2026-11-12")
        points = trend_points(conn, "Sam", ("shank_angle_at_contact_deg",))
    assert [p["recorded_on"] for p in points] == ["2026-10-01", "2026-11-12"]
    for p, name in zip(points, ("overstrider", "healthy"), strict=True):
        a = assessments_of(report(name))["shank_angle_at_contact_deg"]
        assert a.uncertainty is not None and a.uncertainty > 0
        assert p["hi"] - p["lo"] == pytest.approx(2 * a.uncertainty, rel=1e-6)  # the band is ± its uncertainty


def test_trend_chart_has_a_band_and_ticks_at_display_precision() -> None:
    pytest.importorskip("altair")
    from gait.ui.widgets import trend_metric_chart

    data = pd.DataFrame(
        [
            {
                "id": 1,
                "recorded_on": "2026-10-01",
                "metric": "cadence_spm",
                "value": 168.654202,
                "lo": 166.4,
                "hi": 170.9,
                "good_to": "±2 steps/min",
                "work_on": "ok",
            },
            {
                "id": 2,
                "recorded_on": "2026-11-01",
                "metric": "cadence_spm",
                "value": 169.1,
                "lo": 166.8,
                "hi": 171.4,
                "good_to": "±2 steps/min",
                "work_on": "ok",
            },
        ]
    )
    spec = json.dumps(trend_metric_chart(data, "cadence_spm").to_dict())
    assert '"area"' in spec and '"y2"' in spec  # the uncertainty band
    from gait.metrics.registry import REGISTRY

    assert f'",.{REGISTRY["cadence_spm"].precision}f"' in spec  # ticks as the value is shown: no "168.654202"
