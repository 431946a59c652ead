"""Every real clip we have, as a new user would bring it (issue 23): never confident nonsense.

For each clip in ``../shared/clips``: no two contacts share a frame, no value outside what a stride can show is
reported (it is withheld with its reason, and so drives no cue), every cue rests on reported numbers, and a clip
that plays in slow motion is recognised as such instead of yielding a cadence. The clips are the shared set (CI has
them); each is skipped when absent.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from gait.core.config import AnalysisConfig
from gait.core.errors import InsufficientDataError
from gait.metrics.registry import REGISTRY
from tests.support.caches import PoseCache
from tests.support.paths import CLIPS, clip

#: Clips that play slower than real time (MANIFEST.md and labels/README.md: a slowed replay converted 24 → 30 fps).
SLOWED = {"treadmill_clinic_red_overstride_a.mp4"}
ALL = sorted(p.name for p in CLIPS.glob("*.mp4")) or ["treadmill_side_male_30fps.mp4"]


def _analyse(pose_cache: PoseCache, name: str):
    return pose_cache.analyze(clip(CLIPS / name), AnalysisConfig())


@pytest.mark.parametrize("name", [n for n in ALL if n not in SLOWED])
def test_no_confident_nonsense(pose_cache: PoseCache, name: str) -> None:
    report, _ = _analyse(pose_cache, name)
    contacts = [e for e in report.events if e.kind == "contact"]
    frames = [e.frame for e in contacts]
    assert len(frames) == len(set(frames)), f"{name}: two contacts in one frame: {sorted(frames)}"
    for metric, summary in report.metrics.items():
        bounds = REGISTRY[metric].plausible_for(report.activity) if metric in REGISTRY else None
        if bounds is None or summary.value is None or not math.isfinite(summary.value):
            continue
        lo, hi = bounds
        assert lo <= summary.value <= hi, f"{name}: {metric} = {summary.value} reported outside {bounds}"
    shown = {m for m, s in report.metrics.items() if s.value is not None and s.quality != "poor"}
    for cue in report.cues:
        if cue.severity in ("watch", "flag"):
            used = {k for k in cue.numbers if k in REGISTRY}
            assert used <= shown, f"{name}: cue {cue.id} rests on {used - shown}, which is not reported"
    cadence = report.metrics["cadence_spm"]
    if cadence.value is not None and report.activity == "running":
        assert 120 <= cadence.value <= 230, f"{name}: cadence {cadence.value}"


@pytest.mark.parametrize("name", sorted(SLOWED))
def test_slow_motion_is_recognised(pose_cache: PoseCache, name: str) -> None:
    """A slowed replay gives no cadence as if real: it is refused or its times are withheld, saying slow motion."""
    path = clip(CLIPS / name)
    try:
        report, _ = _analyse(pose_cache, Path(path).name)
    except InsufficientDataError as exc:
        assert "slow" in str(exc).lower(), str(exc)
        return
    cadence = report.metrics["cadence_spm"]
    assert cadence.value is None and "slow" in (cadence.reason or "").lower(), cadence
