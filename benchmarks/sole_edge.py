"""An experiment, not part of the tool: does the sole's lowest horizontal edge time the touch where the pose cannot?

    python -m benchmarks.sole_edge            # needs ../shared/clips (or $GAIT_SHARED_DIR/clips)

Horizontal motion blur smears a foot along the belt but leaves the height of its horizontal edges. For each
contact the pose finds (MediaPipe engine, default settings), this reads the lowest strong horizontal intensity step
in narrow column bands along the foot (their x from each frame's landmarks, their y window from the stance that
follows), a stance level from the frames after the contact, and puts the touch where the edge first comes within a
tolerance of that level (sub-frame; never earlier than the pose's contact). It prints, per labelled clip, the
contacts' bias / median |error| / 90th percentile in frames for the pose rule and for two variants of the pixel
reading (docs/ACCURACY.md, "A pixel reading of the touch").
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import numpy as np

from gait import AnalysisConfig, analyze_video
from gait.core import landmarks as L
from gait.workflows.accuracy import agree_events
from gait.workflows.labelfile import load_labels

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GAIT_SHARED_DIR", ROOT.parent / "shared"))
CLIPS = [
    "treadmill_lab_neon_overstride_a",
    "treadmill_lab_neon_overstride_b",
    "treadmill_homegym_cap_overstride",
    "treadmill_elite_normal_a",
    "treadmill_elite_normal_b",
    "treadmill_side_male_30fps",
]
BEFORE, AFTER = 2, 6  # frames read around each contact


def lowest_edge_px(grey: np.ndarray, x: float, y_ref: float, half_w: float, leg_px: float) -> float:
    """Image row (px, down +) of the lowest strong horizontal intensity step in a column band around ``x``, within
    -0.12..+0.10 leg lengths of ``y_ref``; NaN when the band holds none (a step of at least 8 grey levels and half
    the band's strongest)."""
    h, w = grey.shape
    x0, x1 = int(max(0, x - half_w)), int(min(w, x + half_w + 1))
    y0, y1 = int(max(0, y_ref - 0.12 * leg_px)), int(min(h - 1, y_ref + 0.10 * leg_px))
    if x1 - x0 < 2 or y1 - y0 < 4:
        return float("nan")
    step = np.abs(np.diff(grey[y0:y1, x0:x1].astype(np.float32).mean(axis=1)))
    strong = np.flatnonzero(step >= max(0.5 * float(step.max()), 8.0))
    return float(y0 + strong[-1] + 0.5) if strong.size else float("nan")


def _bands_15(xy: np.ndarray, i: int, ref: int, side: str) -> list[tuple[float, float, float]]:
    s = L.SIDE[side]
    (hx, _), (tx, _) = xy[i, s["heel"]], xy[i, s["toe"]]
    hy, ty = xy[ref, s["heel"], 1], xy[ref, s["toe"], 1]
    hw = max(3.0, 0.15 * abs(tx - hx))
    return [(hx + 0.15 * (tx - hx), hy, hw), (tx - 0.15 * (tx - hx), ty, hw)]


def _bands_3(xy: np.ndarray, i: int, ref: int, side: str) -> list[tuple[float, float, float]]:
    s = L.SIDE[side]
    hx, tx = xy[i, s["heel"], 0], xy[i, s["toe"], 0]
    hy, ty = xy[ref, s["heel"], 1], xy[ref, s["toe"], 1]
    hw = max(2.0, 0.08 * abs(tx - hx))
    return [(hx + f * (tx - hx), hy + f * (ty - hy), hw) for f in (0.0, 0.5, 1.0)]


def touch(heights: np.ndarray, p: float, tol: float, variant: str) -> float:
    """The touch (sub-frame) from the lowest edge's heights over frames ``floor(p) - BEFORE ..
    floor(p) + AFTER``: ``p`` itself when the foot is already down there or the heights cannot tell."""
    i0 = int(np.floor(p))
    if not np.isfinite(heights).all():
        return p
    if variant == "bands 15 %":
        level = float(np.median(heights[BEFORE + 2 : BEFORE + 5]))
        if np.ptp(heights[BEFORE + 2 : BEFORE + 5]) > 2 * tol or heights[BEFORE] >= level - tol:
            return p
        for k in range(BEFORE + 1, BEFORE + 6):
            if heights[k] >= level - tol:
                a, b = heights[k - 1], heights[k]
                return max(p, i0 - BEFORE + k - 1 + ((level - tol) - a) / (b - a)) if b > a else p
        return p
    after = heights[BEFORE:]
    level = float(np.sort(after)[-2])
    down = after >= level - tol
    stays = [k for k in range(len(after) - 1) if down[k] and down[k + 1]]
    if not stays or stays[0] == 0:
        return p
    k = stays[0] + BEFORE
    a, b = heights[k - 1], heights[k]
    return max(p, i0 - BEFORE + k - 1 + ((level - tol) - a) / (b - a)) if b > a else max(p, float(i0 - BEFORE + k))


VARIANTS: dict[str, tuple[Callable[..., list[tuple[float, float, float]]], float]] = {
    "bands 15 %": (_bands_15, 0.012),
    "bands at heel, middle, toe": (_bands_3, 0.012),
}


#: the variant whose steadiness is printed
STEADY_VARIANT = "bands at heel, middle, toe"


def stands(heights: np.ndarray, tol: float) -> bool:
    """True when the lowest edge, after the contact, holds its stance level (the second lowest point) within
    ``tol`` for 3 frames in a row: a sole the picture shows standing on the belt."""
    after = heights[BEFORE:]
    if not np.isfinite(after).all():
        return False
    down = after >= float(np.sort(after)[-2]) - tol
    return any(bool(down[k : k + 3].all()) for k in range(len(after) - 2))


def _lowest(grey: np.ndarray, bands: list[tuple[float, float, float]], leg_px: float) -> float:
    """The lowest of the bands' edges (px, down +); NaN when none has one."""
    found = [lowest_edge_px(grey, x, y, hw, leg_px) for x, y, hw in bands]
    found = [v for v in found if np.isfinite(v)]
    return max(found) if found else float("nan")


def _grey_frames(video: Path, wanted: set[int]) -> dict[int, np.ndarray]:
    out: dict[int, np.ndarray] = {}
    with av.open(str(video)) as container:
        for k, frame in enumerate(container.decode(video=0)):
            if k in wanted:
                out[k] = frame.to_ndarray(format="gray")
            if k > max(wanted):
                break
    return out


def _agreement(report: Any, clean: Any, labels: Any, moved: dict[int, float]) -> str:
    """The contacts' agreement with the labels (:func:`gait.workflows.accuracy.agree_events`, as ``gait validate``
    reads it), with event ``k`` of the report moved to the sub-frame row ``moved[k]``."""
    rows = np.arange(clean.pose.n_frames)
    events = tuple(
        replace(e, time_s=float(np.interp(moved[k], rows, clean.pose.times_s))) if k in moved else e
        for k, e in enumerate(report.events)
    )
    times, frames = clean.pose.times_s, clean.pose.frame_index
    a = agree_events(replace(report, events=events), labels, times, frames, "contact")
    if a is None:
        return "—"
    return f"{a.bias_frames:+.2f} / {a.median_abs_frames:.2f} / {a.p90_abs_frames:.2f}"


def measure(name: str) -> dict[str, str]:
    """The contacts' agreement with the labels for the pose rule and each pixel variant on one clip."""
    video = SHARED / "clips" / f"{name}.mp4"
    cache = ROOT / "out" / "accuracy" / f"{name}-mediapipe.npz"
    cache.parent.mkdir(parents=True, exist_ok=True)
    height = 178.0 if name == "treadmill_side_male_30fps" else None
    report, clean = analyze_video(video, AnalysisConfig(engine="mediapipe", height_cm=height), pose_cache=cache)
    labels = load_labels(ROOT / "labels" / f"{name}.events.json")
    rows = np.arange(clean.pose.n_frames)
    contacts = {  # event number → (foot, sub-frame row), where the frames around it can be read
        k: (e.foot, float(np.interp(e.time_s, clean.pose.times_s, rows)))
        for k, e in enumerate(report.events)
        if e.kind == "contact"
    }
    contacts = {k: (f, p) for k, (f, p) in contacts.items() if BEFORE <= int(p) < clean.pose.n_frames - AFTER - 1}
    frames = _grey_frames(video, {int(p) + d for _, p in contacts.values() for d in range(-BEFORE, AFTER + 1)})
    xy, leg = clean.unfiltered_xy_px, clean.leg_length_px
    out = {"pose rule (today)": _agreement(report, clean, labels, {})}
    for variant, (bands, tol_leg) in VARIANTS.items():
        tol = max(3.0, tol_leg * leg)
        moved, steady = {}, []
        for k, (foot, p) in contacts.items():
            i0 = int(np.floor(p))
            ref = i0 + 3
            heights = np.array(
                [_lowest(frames[i], bands(xy, i, ref, foot), leg) for i in range(i0 - BEFORE, i0 + AFTER + 1)]
            )
            moved[k] = touch(heights, p, tol, variant)
            steady.append(stands(heights, tol))
        out[variant] = _agreement(report, clean, labels, moved)
        if variant == STEADY_VARIANT:
            out["landings that stand"] = f"{np.mean(steady):.2f}"
    return out


def main() -> int:
    """Print the markdown table: one row per clip, one column per reading."""
    results: dict[str, Any] = {}
    for name in CLIPS:
        if not (SHARED / "clips" / f"{name}.mp4").is_file():
            print(f"{name}: not available", file=sys.stderr)
            continue
        results[name] = measure(name)
    columns = ["pose rule (today)", *VARIANTS, "landings that stand"]
    print("| clip | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, cells in results.items():
        print(f"| {name} | " + " | ".join(cells[c] for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
