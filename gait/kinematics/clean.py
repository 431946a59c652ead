"""Cleaning a PoseSequence: gap filling, leg-swap correction, outlier removal, zero-phase low-pass filtering,
and what the clip shows (facing direction, view, scale).

All functions are pure: they return new arrays/sequences and never modify their input.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray
from scipy.signal import butter, sosfiltfilt

from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.core.numeric import quiet_nan_warnings
from gait.core.types import FloatArray, PoseSequence
from gait.kinematics.cleaned import CleanPose, Facing
from gait.kinematics.facing import detect_facing_from_body

NDBool = NDArray[np.bool_]


def fill_gaps(values: FloatArray, max_gap_frames: int) -> FloatArray:
    """Linearly interpolate runs of NaN no longer than ``max_gap_frames`` along axis 0 (each column alone).

    Leading/trailing NaN and longer gaps stay NaN.
    """
    out = np.array(values, dtype=float, copy=True)
    if out.size == 0:
        return out
    flat = out.reshape(out.shape[0], -1)
    n = flat.shape[0]
    idx = np.arange(n)
    for c in range(flat.shape[1]):
        col = flat[:, c]
        bad = ~np.isfinite(col)
        if not bad.any() or bad.all():
            continue
        good = ~bad
        filled = np.interp(idx, idx[good], col[good])
        # Only gaps bounded on both sides and short enough.
        starts = np.flatnonzero(bad & ~np.r_[False, bad[:-1]])
        ends = np.flatnonzero(bad & ~np.r_[bad[1:], False])
        for s, e in zip(starts, ends, strict=True):
            if s > 0 and e < n - 1 and (e - s + 1) <= max_gap_frames:
                col[s : e + 1] = filled[s : e + 1]
    return out


def correct_leg_swaps(xy: FloatArray, flip_cost_px: float) -> tuple[FloatArray, NDBool, int]:
    """Undo left/right leg label swaps by continuity of the leg landmarks (knee, ankle, heel, toe).

    A Viterbi pass over the labelling (as given / exchanged) of each frame minimises the legs' total
    frame-to-frame *acceleration* (each frame predicted from the two before at constant velocity) plus
    ``flip_cost_px`` per exchanged frame. Constant-velocity prediction carries each leg through the crossing at
    mid-swing, where positions alone would be ambiguous; a real swap (legs jump into each other's tracks and back)
    is undone; the model's labels are kept where continuity cannot tell.

    Parameters
    ----------
    xy : (N, 33, 2) image coordinates.
    flip_cost_px : prior cost of exchanging one frame's labels (px), e.g. a few percent of leg length.

    Returns
    -------
    corrected : (N, 33, 2) coordinates with leg labels made continuous.
    swapped : (N,) True where the labels were exchanged.
    episodes : number of separate swap episodes corrected.
    """
    left = [a for a, _ in L.LEG_PAIRS]
    right = [b for _, b in L.LEG_PAIRS]
    n = xy.shape[0]
    ok = np.asarray(np.isfinite(xy[:, left + right]).all(axis=(1, 2)), dtype=bool)
    legs = np.stack([xy[:, left], xy[:, right]], axis=1)  # (N, 2, 4, 2): [frame, raw side, landmark, xy]

    accel, move = _swap_costs(legs)
    flip = np.zeros(n, dtype=bool)
    back = np.zeros((n, 4), dtype=np.int8)  # state = 2 * s[k-1] + s[k]
    starts = np.flatnonzero(ok & ~np.r_[False, ok[:-1]])
    ends = np.flatnonzero(ok & ~np.r_[ok[1:], False]) + 1
    for s0, e0 in zip(starts, ends, strict=True):
        if e0 - s0 < 2:
            continue  # a lone frame keeps the model's labels
        total = np.array([move[a, b, s0 + 1] + flip_cost_px * (a + b) for a in (0, 1) for b in (0, 1)])
        for k in range(s0 + 2, e0):
            new = np.empty(4)
            for b in (0, 1):
                for c in (0, 1):
                    c0 = total[b] + accel[0, b, c, k]  # from state (0, b)
                    c1 = total[2 + b] + accel[1, b, c, k]  # from state (1, b)
                    back[k, 2 * b + c] = b if c0 <= c1 else 2 + b
                    new[2 * b + c] = min(c0, c1) + flip_cost_px * c
            total = new
        state = int(np.argmin(total))
        for k in range(e0 - 1, s0 + 1, -1):
            flip[k] = bool(state & 1)
            state = int(back[k, state])
        flip[s0 + 1] = bool(state & 1)
        flip[s0] = bool(state >> 1)
    out = xy.copy()
    for a, b in L.LEG_PAIRS:
        out[flip, a], out[flip, b] = xy[flip, b], xy[flip, a]
    episodes = int(np.count_nonzero(flip & ~np.r_[False, flip[:-1]]))
    return out, flip, episodes


def _swap_costs(legs: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The transition costs of :func:`correct_leg_swaps` for legs (N, 2, 4, 2) = [frame, raw side, landmark, xy].

    ``accel[a, b, c][k]``: how far frame k's legs under labelling c are from the constant-velocity prediction of
    frames k-2 (labelling a) and k-1 (labelling b). ``move[b, c][k]``: plain displacement from frame k-1.
    """
    n = legs.shape[0]

    def dist(u: FloatArray, v: FloatArray) -> FloatArray:
        return np.linalg.norm(u - v, axis=-1).sum(axis=-1)

    accel = np.full((2, 2, 2, n), np.inf)
    move = np.full((2, 2, n), np.inf)
    for a in (0, 1):
        for b in (0, 1):
            for c in (0, 1):
                if n > 2:
                    accel[a, b, c, 2:] = dist(legs[2:, c], 2 * legs[1:-1, b] - legs[:-2, a]) + dist(
                        legs[2:, 1 - c], 2 * legs[1:-1, 1 - b] - legs[:-2, 1 - a]
                    )
            if n > 1:
                move[a, b, 1:] = dist(legs[1:, b], legs[:-1, a]) + dist(legs[1:, 1 - b], legs[:-1, 1 - a])
    return accel, move


def swap_legs(pose: PoseSequence, mask: NDBool) -> PoseSequence:
    """Exchange the left/right leg landmarks (all arrays) in the frames where ``mask`` is True."""
    if not mask.any():
        return pose
    arrays = {}
    for name in ("image_xy_px", "world_xyz_m", "visibility", "presence"):
        src = getattr(pose, name)
        dst = src.copy()
        for a, b in L.LEG_PAIRS:
            dst[mask, a], dst[mask, b] = src[mask, b], src[mask, a]
        arrays[name] = dst
    return pose.with_(**arrays)


def remove_outliers(values: FloatArray, half_window: int, threshold: float) -> FloatArray:
    """Remove single-frame glitches along axis 0: such samples become NaN (to be interpolated).

    A sample is a glitch when it is more than ``threshold`` away both from the median of its
    ``2 * half_window + 1`` neighbourhood and from the midpoint of its two neighbours. Smooth motion, even fast,
    passes both tests; a landmark that jumps for a frame or two and comes back fails them.
    """
    out = np.array(values, dtype=float, copy=True)
    n = out.shape[0]
    if n < 2 * half_window + 1:
        return out
    flat = out.reshape(n, -1)
    pad = np.pad(flat, ((half_window, half_window), (0, 0)), mode="edge")
    win = sliding_window_view(pad, 2 * half_window + 1, axis=0)  # (n, cols, w)
    with quiet_nan_warnings():
        med = np.nanmedian(win, axis=-1)
    mid = np.full_like(flat, np.nan)
    mid[1:-1] = 0.5 * (flat[:-2] + flat[2:])
    with np.errstate(invalid="ignore"):
        bad = (np.abs(flat - med) > threshold) & ~(np.abs(flat - mid) <= threshold)
    flat[bad] = np.nan
    return out


def lowpass(values: FloatArray, fps: float, cutoff_hz: float, order: int = 2) -> FloatArray:
    """Zero-phase Butterworth low-pass along axis 0, run on each finite stretch separately.

    Stretches too short for the filter's padding are left as they are.
    """
    out = np.array(values, dtype=float, copy=True)
    n = out.shape[0]
    if out.size == 0 or cutoff_hz <= 0 or cutoff_hz >= fps / 2:
        return out
    sos = butter(order, cutoff_hz / (fps / 2.0), btype="low", output="sos")
    padlen = 3 * (2 * len(sos) + 1)
    flat = out.reshape(n, -1)
    finite_rows = np.isfinite(flat).all(axis=1)
    starts = np.flatnonzero(finite_rows & ~np.r_[False, finite_rows[:-1]])
    ends = np.flatnonzero(finite_rows & ~np.r_[finite_rows[1:], False]) + 1
    for s, e in zip(starts, ends, strict=True):
        if e - s > padlen:
            flat[s:e] = sosfiltfilt(sos, flat[s:e], axis=0)
    return out


def detect_facing(pose: PoseSequence) -> tuple[Facing, float]:
    """Which way the runner faces in a side view, and how clearly the body says so (0.5–1): the knees' bend,
    the nose ahead of the ears and the toes ahead of the heels, each only where seen
    (:func:`gait.kinematics.facing.detect_facing_from_body`); never the motion across the picture."""
    return detect_facing_from_body(pose)


def detect_view(pose: PoseSequence, config: AnalysisConfig) -> tuple[str, float]:
    """Classify the camera view as ``side``, ``rear`` or ``front`` from the landmarks, with a confidence 0–1.

    In side view the shoulders and hips overlap (their image width is small next to the torso length); from
    behind or in front they are spread. Front and rear differ by the face: nose and eyes are visible from the
    front. The left shoulder appears on the image left from behind and on the image right from the front.
    The width ratio's cut-offs are ``config.view_side_*`` (defaults when None).
    """
    c = config
    xy = pose.image_xy_px
    sh_w = np.abs(xy[:, L.LEFT_SHOULDER, 0] - xy[:, L.RIGHT_SHOULDER, 0])
    hip_w = np.abs(xy[:, L.LEFT_HIP, 0] - xy[:, L.RIGHT_HIP, 0])
    torso = np.linalg.norm(
        (xy[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]].mean(axis=1) - xy[:, [L.LEFT_HIP, L.RIGHT_HIP]].mean(axis=1)),
        axis=1,
    )
    with quiet_nan_warnings():
        ratio = float(np.nanmedian((sh_w + hip_w) / 2 / torso))
    if not np.isfinite(ratio):
        return "side", 0.0
    # ratio ≈ 0.05–0.25 side-on, ≈ 0.6–0.9 from behind/in front; 0.3–0.5 is an oblique camera.
    side_score = float(np.clip((c.view_side_ratio_max - ratio) / c.view_side_ratio_ramp, 0.0, 1.0))
    if side_score >= c.view_side_min_score:
        return "side", side_score
    with quiet_nan_warnings():
        left_on_image_left = float(np.nanmean(xy[:, L.LEFT_SHOULDER, 0] < xy[:, L.RIGHT_SHOULDER, 0]))
        face_vis = float(np.nanmedian(pose.visibility[:, [L.NOSE, 2, 5]]))
    rear_score = 0.5 * left_on_image_left + 0.5 * (1.0 - face_vis)
    view = "rear" if rear_score >= 0.5 else "front"
    return view, (1.0 - side_score) * max(rear_score, 1.0 - rear_score)


def leg_lengths_px(pose: PoseSequence) -> dict[str, tuple[float, int]]:
    """Per leg: the median over frames of hip→knee + knee→ankle (px, NaN when never seen) and the number of
    frames in which it is seen."""
    xy = pose.image_xy_px
    out = {}
    for side in ("left", "right"):
        s = L.SIDE[side]
        length = np.linalg.norm(xy[:, s["hip"]] - xy[:, s["knee"]], axis=1) + np.linalg.norm(
            xy[:, s["knee"]] - xy[:, s["ankle"]], axis=1
        )
        with quiet_nan_warnings():
            out[side] = (float(np.nanmedian(length)), int(np.isfinite(length).sum()))
    return out


def leg_length_px(pose: PoseSequence) -> float:
    """Median over frames of hip→knee + knee→ankle (px) of the better-seen leg; NaN when never seen."""
    best = np.nan
    best_vis = -1.0
    for side, (med, _) in leg_lengths_px(pose).items():
        s = L.SIDE[side]
        with quiet_nan_warnings():
            vis = float(np.nanmean(pose.visibility[:, [s["knee"], s["ankle"]]]))
        if np.isfinite(med) and vis > best_vis:
            best, best_vis = med, vis
    return best


def clean_pose(pose: PoseSequence, config: AnalysisConfig) -> CleanPose:
    """Run the cleaning stage: gap filling, swap correction, outlier removal, low-pass, facing, view, scale.

    Parameters
    ----------
    pose : raw PoseSequence from :func:`gait.capture.pose.extract_pose`.
    config : cleaning parameters and user inputs (view override, height).

    Returns
    -------
    CleanPose
    """
    fps = pose.fps
    detected_pct = 100.0 * float(pose.detected.mean()) if pose.n_frames else 0.0
    max_gap = max(1, int(round(config.max_gap_s * fps)))
    xy = pose.image_xy_px.copy()
    leg_px = leg_length_px(pose)
    scale_px = leg_px if np.isfinite(leg_px) else config.fallback_leg_frame_frac * pose.height
    # Single-frame glitches first (Hampel), then swaps by continuity, then the low-pass.
    half = max(config.outlier_min_half_window_frames, int(round(config.outlier_half_window_s * fps)))
    xy = fill_gaps(remove_outliers(fill_gaps(xy, max_gap), half, config.outlier_leg_frac * scale_px), max_gap)
    _, flip, episodes = correct_leg_swaps(xy, flip_cost_px=config.swap_flip_cost_leg_frac * scale_px)
    staged = swap_legs(pose.with_(image_xy_px=xy), flip)
    xy = staged.image_xy_px
    cutoff = config.cutoff_for(fps)
    xy = lowpass(xy, fps, cutoff, config.filter_order)
    world = lowpass(fill_gaps(staged.world_xyz_m, max_gap), fps, cutoff, config.filter_order)
    cleaned = staged.with_(image_xy_px=xy, world_xyz_m=world)
    facing, facing_conf = detect_facing(cleaned)
    seen, seen_conf = detect_view(cleaned, config)
    view, view_conf = (seen, seen_conf) if config.view == "auto" else (config.view, 1.0)
    px_per_cm = None
    if config.height_cm and np.isfinite(leg_px):
        px_per_cm = leg_px / (config.leg_length_height_ratio * config.height_cm)
    return CleanPose(
        pose=cleaned,
        raw=pose,
        unfiltered_xy_px=staged.image_xy_px,
        facing=facing,
        facing_confidence=facing_conf,
        view=view,
        view_confidence=view_conf,
        swaps_corrected=episodes,
        swapped_frames=int(flip.sum()),
        leg_length_px=leg_px,
        px_per_cm=px_per_cm,
        cutoff_hz=cutoff,
        detected_pct=detected_pct,
        detected_view=seen,
        detected_view_confidence=seen_conf,
    )
