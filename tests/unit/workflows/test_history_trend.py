"""Read-only history queries for the app's trend chart and same-video check."""

from __future__ import annotations

from pathlib import Path

import pytest

from gait.workflows.history import athlete_trend, connect, save_session, session_video_sha256
from tests.support.runners import synthetic_report as report


def test_trend_lists_each_sessions_values_in_date_order(tmp_path: Path) -> None:
    with connect(tmp_path / "h.sqlite3") as conn:
        late = save_session(conn, "Sam", report("healthy"), recorded_on="2026-11-12", video_sha256="b" * 64)
        early = save_session(conn, "Sam", report("overstrider"), recorded_on="2026-10-01", video_sha256="a" * 64)
        save_session(conn, "Alex", report("leaner"), recorded_on="2026-10-05")
        rows = athlete_trend(conn, "Sam", ("cadence_spm", "shank_angle_at_contact_deg", "pelvic_drop_deg"))
        assert [r["id"] for r in rows if r["metric"] == "cadence_spm"] == [early, late]
        shank = [r["value"] for r in rows if r["metric"] == "shank_angle_at_contact_deg"]
        want = [report(n).metrics["shank_angle_at_contact_deg"].value for n in ("overstrider", "healthy")]
        assert shank == pytest.approx(want, abs=1e-5)  # report.json keeps 6 decimals
        assert not [r for r in rows if r["metric"] == "pelvic_drop_deg"]  # not measured from the side: left out
        assert session_video_sha256(conn, early) == "a" * 64 and session_video_sha256(conn, 999) == ""
