"""What the shared clips show about their cameras. The treadmill clip is filmed from about 2 m, low down, with
the phone tilted up (see docs/ACCURACY.md): its near leg looks ~9 % longer than the far one, and the garage's
cupboard edges converge upwards. The walking clip is filmed from far away with a level phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gait.pipeline import verticals_of


def test_the_close_low_treadmill_camera_is_reported(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    assert any("phone is close" in w and "9 %" in w for w in report.quality.warnings), report.quality.warnings
    assert report.metrics["overstride_cm"].quality == "fair"
    assert "close" in (report.metrics["overstride_cm"].reason or "")
    # The phone looks up (the cupboards' edges converge), but the runner stands near the middle of the
    # picture, where the vertical leans about 1°: a note, and the angles are not lowered.
    vp = verticals_of(report)
    assert vp is not None and 8.0 < vp.pitch_deg() < 16.0
    note = next(n for n in report.notes if "looks up" in n)
    assert 8 <= int(re.search(r"looks up about (\d+)°", note).group(1)) <= 16  # type: ignore[union-attr]
    assert report.metrics["trunk_lean_deg"].quality == "good"
    assert not any("belt rises" in n for n in report.notes)  # the scene's verticals settle what the belt cannot


def test_the_far_level_walking_camera_is_not(walking_analysis) -> None:
    report, _ = walking_analysis
    assert not any("phone is close" in w or "tilted" in w or "looks up" in w for w in report.quality.warnings)
    assert not any("belt rises" in n or "looks up" in n or "looks down" in n for n in report.notes)
    vp = verticals_of(report)
    assert vp is not None and abs(vp.pitch_deg()) < 4.0


def test_every_metric_below_good_on_the_walking_clip_says_why(walking_analysis) -> None:
    report, _ = walking_analysis
    lowered = {n: m.reason for n, m in report.metrics.items() if m.quality != "good"}
    assert lowered and all(lowered.values()), {n: r for n, r in lowered.items() if not r}


@pytest.mark.parametrize("which", ["treadmill_analysis", "walking_analysis"])
def test_the_scene_verticals_agree_with_hand_labelled_edges(which: str, request) -> None:
    """Each hand-labelled world-vertical edge (labels/scene_verticals.json, read by eye on zoomed crops) leans
    as the estimated vanishing point says it should at its place, and the pitch fitted to the hand-labelled
    edges alone is the estimated pitch."""
    import json
    import math

    import numpy as np

    from gait.capture.verticals import VerticalPoint
    from tests.support.paths import ROOT

    report, _ = request.getfixturevalue(which)
    vp = verticals_of(report)
    assert vp is not None
    truth = json.loads((ROOT / "labels" / "scene_verticals.json").read_text())["clips"][Path(report.video.path).name]
    for edge in truth["edges"]:
        tilt = math.degrees(math.atan2(edge["x_top"] - edge["x_bottom"], edge["y_bottom"] - edge["y_top"]))
        mid = ((edge["x_top"] + edge["x_bottom"]) / 2, (edge["y_top"] + edge["y_bottom"]) / 2)
        # 1°: the labels' own ±0.3-0.6° and the estimate's; the warning starts at 3° at the runner.
        assert vp.vertical_tilt_deg(*mid) == pytest.approx(tilt, abs=1.0), edge["what"]
    # The point nearest all the hand-labelled edges (least squares on their homogeneous lines).
    ends = [([e["x_top"], e["y_top"], 1.0], [e["x_bottom"], e["y_bottom"], 1.0]) for e in truth["edges"]]
    lines = np.array([np.cross(a, b) for a, b in ends])
    lines /= np.hypot(lines[:, 0], lines[:, 1])[:, None]
    hand = VerticalPoint(tuple(np.linalg.svd(lines)[2][-1]), len(lines), 1.0, 0.0, vp.width, vp.height)
    assert vp.pitch_deg() == pytest.approx(hand.pitch_deg(), abs=1.5)
