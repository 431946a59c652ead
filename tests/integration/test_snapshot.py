"""A rounded snapshot of the treadmill clip's report: any unintended change to a number, a cue or an event
breaks it. After an intended change, regenerate it and say why in the commit:

    python -m tests.integration.test_snapshot      # rewrites tests/snapshots/treadmill_report.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

from tests.support.paths import ROOT

SNAPSHOT = ROOT / "tests" / "snapshots" / "treadmill_report.json"


def snapshot_of(report: Any) -> dict[str, Any]:
    """Metric values (2 decimals), qualities, cue ids and severities, event kinds, feet and frames."""
    return {
        "activity": report.activity,
        "view": report.view,
        "facing": report.facing,
        "metrics": {
            name: {"value": None if m.value is None else round(m.value, 2), "quality": m.quality}
            for name, m in sorted(report.metrics.items())
        },
        "cues": [[c.id, c.severity] for c in report.cues],
        "events": [[e.kind, e.foot, e.frame] for e in report.events],
        "warnings": len(report.quality.warnings),
    }


def test_treadmill_report_matches_its_snapshot(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    got = snapshot_of(report)
    assert got["events"] == expected["events"]
    assert got["cues"] == expected["cues"]
    for name, m in expected["metrics"].items():
        g = got["metrics"][name]
        assert g["quality"] == m["quality"], name
        if m["value"] is None:
            assert g["value"] is None, name
        else:  # 2-decimal rounding either side
            assert g["value"] is not None and abs(g["value"] - m["value"]) <= 0.011, (name, g, m)
    assert got == {**expected, "metrics": got["metrics"]}


if __name__ == "__main__":
    from gait import AnalysisConfig, analyze_video
    from tests.support.paths import TREADMILL

    rep, _ = analyze_video(TREADMILL, AnalysisConfig(height_cm=178.0))
    SNAPSHOT.write_text(json.dumps(snapshot_of(rep), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}", file=sys.stderr)
