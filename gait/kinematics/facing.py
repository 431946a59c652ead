"""Which way a side-view runner faces, read from the body alone.

Three cues, each a direction *within the body*, so none depends on where the body is in the picture or how it
moves across it (a panning or handheld phone, a runner drifting on the belt):

- **knees**: a knee bends only one way: a bent knee sits ahead of the line from its hip to its ankle. Knees are
  big, well-seen joints and bend through the whole stride, so this is the strongest cue;
- **head**: the nose is ahead of the ears;
- **feet**: the toes are ahead of the heels.

A landmark counts only in frames where the model saw it (visibility) inside the picture: feet cut off by the
frame's edge or a face under a hood are guesses, and a guess must not outvote the joints that are seen. Each cue
gives a score in [−1, 1] (the mean of its per-frame signs, + for facing right); the cues are averaged with weights
that grow with the frames they were seen in.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from gait.core import landmarks as L
from gait.core.posedata import FloatArray
from gait.core.types import PoseSequence

Facing = Literal["left", "right"]

#: a landmark counts where its visibility is at least this
MIN_VISIBILITY = 0.5
#: a knee votes when it sits at least this share of the thigh's length off its hip-ankle line (a bent knee)
MIN_KNEE_OFFSET_THIGH_FRAC = 0.08
#: the nose or the toes vote when they are at least this share of the torso's length ahead of or behind the
#: ears or heels (smaller differences are the model's jitter, or a face turned to the camera)
MIN_OFFSET_TORSO_FRAC = 0.03
#: a cue seen in this many frames gets its full weight
FULL_WEIGHT_FRAMES = 30
#: the knees' weight relative to the head and the feet
KNEE_WEIGHT = 2.0


def _seen(pose: PoseSequence, idx: list[int]) -> np.ndarray:
    """Frames in which every landmark of ``idx`` is visible and inside the picture."""
    xy = pose.image_xy_px[:, idx]
    vis = pose.visibility[:, idx]
    with np.errstate(invalid="ignore"):
        inside = (xy[..., 0] >= 0) & (xy[..., 0] < pose.width) & (xy[..., 1] >= 0) & (xy[..., 1] < pose.height)
        ok = inside & (np.nan_to_num(vis, nan=0.0) >= MIN_VISIBILITY)
    return np.asarray(ok.all(axis=1) & np.isfinite(xy).all(axis=(1, 2)))


def _torso_px(pose: PoseSequence) -> float:
    xy = pose.image_xy_px
    sh = xy[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]].mean(axis=1)
    hp = xy[:, [L.LEFT_HIP, L.RIGHT_HIP]].mean(axis=1)
    d = np.linalg.norm(sh - hp, axis=1)
    d = d[np.isfinite(d)]
    return float(np.median(d)) if d.size else float("nan")


def knee_votes(pose: PoseSequence) -> FloatArray:
    """Per frame and leg (flattened), +1 where a bent knee sits to the image right of its hip-ankle line, −1
    to the left; only bent knees of legs seen whole."""
    out = []
    xy = pose.image_xy_px
    for side in ("left", "right"):
        s = L.SIDE[side]
        idx = [s["hip"], s["knee"], s["ankle"]]
        ok = _seen(pose, idx)
        hip, knee, ankle = xy[ok, idx[0]], xy[ok, idx[1]], xy[ok, idx[2]]
        axis = ankle - hip
        length = np.linalg.norm(axis, axis=1)
        thigh = np.linalg.norm(knee - hip, axis=1)
        good = length > 1e-6
        # The knee's signed distance from the hip → ankle line; with y down, its sign is the knee's side along x
        # for a leg pointing down: cross(axis, knee - hip) / |axis| < 0 when the knee is to the image right.
        rel = knee - hip
        cross = axis[:, 0] * rel[:, 1] - axis[:, 1] * rel[:, 0]
        dist = np.where(good, -cross / np.where(good, length, 1.0), 0.0)
        bent = np.abs(dist) >= MIN_KNEE_OFFSET_THIGH_FRAC * thigh
        out.append(np.sign(dist[bent & good]))
    return np.concatenate(out) if out else np.zeros(0)


def head_votes(pose: PoseSequence, torso_px: float) -> FloatArray:
    """Per frame, the side of the nose relative to the ears' midpoint (+1 image right), where all are seen."""
    ok = _seen(pose, [L.NOSE, L.LEFT_EAR, L.RIGHT_EAR])
    xy = pose.image_xy_px[ok]
    d = xy[:, L.NOSE, 0] - 0.5 * (xy[:, L.LEFT_EAR, 0] + xy[:, L.RIGHT_EAR, 0])
    return np.sign(d[np.abs(d) >= MIN_OFFSET_TORSO_FRAC * torso_px])


def foot_votes(pose: PoseSequence, torso_px: float) -> FloatArray:
    """Per frame and foot, the side of the toes relative to the heel (+1 image right), where the foot is seen."""
    out = []
    for side in ("left", "right"):
        s = L.SIDE[side]
        ok = _seen(pose, [s["heel"], s["toe"]])
        d = pose.image_xy_px[ok, s["toe"], 0] - pose.image_xy_px[ok, s["heel"], 0]
        out.append(np.sign(d[np.abs(d) >= MIN_OFFSET_TORSO_FRAC * torso_px]))
    return np.concatenate(out)


def facing_scores(pose: PoseSequence) -> dict[str, tuple[float, int]]:
    """Each cue's score (mean sign, + = facing right; NaN when never seen) and the number of votes behind it."""
    torso = _torso_px(pose)
    if not np.isfinite(torso):
        torso = 0.0
    cues = {"knees": knee_votes(pose), "head": head_votes(pose, torso), "feet": foot_votes(pose, torso)}
    return {k: (float(np.mean(v)) if v.size else float("nan"), int(v.size)) for k, v in cues.items()}


def detect_facing_from_body(pose: PoseSequence) -> tuple[Facing, float]:
    """Which way the runner faces in a side view, and how clearly the body says so (0.5–1).

    Parameters
    ----------
    pose : the (cleaned) pose of a side view.

    Returns
    -------
    (str, float)
        ``"left"`` or ``"right"`` and a confidence: 0.5 + half the weighted mean score of the cues (0.5 when no
        cue was seen: ``"right"`` is then a guess).
    """
    total = weights = 0.0
    for cue, (score, n) in facing_scores(pose).items():
        if n == 0 or not np.isfinite(score):
            continue
        w = min(n, FULL_WEIGHT_FRAMES) / FULL_WEIGHT_FRAMES * (KNEE_WEIGHT if cue == "knees" else 1.0)
        total += w * score
        weights += w
    if weights == 0.0:
        return "right", 0.5
    right = 0.5 + 0.5 * total / weights
    return ("right", right) if right >= 0.5 else ("left", 1.0 - right)
