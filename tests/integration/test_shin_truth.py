"""The shin angle at landing against hand-placed knee and ankle, on every clip that has them and on its mirror
image (a runner facing the other way: the model reads mirrored legs differently). The registry's resolution for the
shin is what these errors say: every clip's median error within it, and it no looser than the worst of them rounded
up to the next degree."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from gait import AnalysisConfig
from gait.metrics.registry import REGISTRY
from gait.workflows.accuracy import agree_shank_angles
from gait.workflows.labelfile import load_labels
from tests.support import corpus
from tests.support.paths import CLIPS, ROOT, clip

NAMES = (
    "treadmill_side_male_30fps",
    "treadmill_homegym_cap_overstride",
    "treadmill_lab_neon_overstride_a",
    "treadmill_lab_neon_overstride_b",
)
SWAP = {"left": "right", "right": "left"}


def _mirrored(labels):
    """The labels of the mirror image: the same frames and angles, left and right exchanged."""
    return replace(
        labels,
        events=tuple(replace(e, foot=SWAP.get(e.foot or "", e.foot)) for e in labels.events),
        shank_angles=tuple({**a, "foot": SWAP.get(a.get("foot") or "", a.get("foot"))} for a in labels.shank_angles),
    )


@pytest.fixture(scope="module")
def errors(pose_cache, clip_cache, tmp_path_factory) -> dict[str, float]:
    """Each clip's and each mirror image's median shin error (measured − hand, degrees), default settings."""
    work = tmp_path_factory.mktemp("shin")
    out = {}
    for name in NAMES:
        video = clip(CLIPS / f"{name}.mp4")
        labels = load_labels(ROOT / "labels" / f"{name}.events.json")
        height = 178.0 if name == "treadmill_side_male_30fps" else None
        for tag, path, truth in (
            ("", video, labels),
            (" mirrored", clip_cache.make(corpus.mirrored, work, video), _mirrored(labels)),
        ):
            report, _ = pose_cache.analyze(path, AnalysisConfig(height_cm=height))
            agreement = agree_shank_angles(report, truth)
            assert agreement is not None and len(agreement.pairs) >= 5, (name + tag, agreement)
            out[name + tag] = agreement.bias_deg
    return out


def test_every_clips_shin_is_within_the_resolution(errors: dict[str, float]) -> None:
    resolution = REGISTRY["shank_angle_at_contact_deg"].resolution
    assert all(abs(e) <= resolution for e in errors.values()), (resolution, errors)


def test_the_resolution_is_no_looser_than_the_worst_clip(errors: dict[str, float]) -> None:
    worst = max(abs(e) for e in errors.values())
    assert REGISTRY["shank_angle_at_contact_deg"].resolution <= math.ceil(worst), errors
