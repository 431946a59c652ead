"""How much of the difference between two capture engines is the draw of one crop? Both engines on the same
labelled clips, each clip shifted by a few pixels (a phone held a millimetre aside), against every hand label.

    python -m benchmarks.engine_spread [--shifts 5] [--engines mediapipe,litert]   # needs ../shared/clips

A pose model reads a person through a crop, and where exactly the crop falls moves its landmarks by a pixel or two;
a contact rule with thresholds turns that into a fraction of a frame, now here, now there. One run per clip is one
draw. Here every clip is analysed ``--shifts`` times per engine, its frames moved by a few whole pixels (content
shifted, edges repeated; the landmarks moved back before the analysis, which reads the original video's pixels),
and each label's figure is given as the mean over the shifts ± their standard deviation, with the first shift (none)
as the draw today's table shows. Poses are cached under ``out/accuracy/spread/``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.accuracy import labelled_clips
from benchmarks.engine_accuracy import CAPTURE_FPS, EVENT_FILES, HEIGHTS_CM, LABELS, ROOT
from gait import AnalysisConfig, analyze_video
from gait.core.errors import GaitError
from gait.workflows.accuracy import agree_events, agree_knee_angles, agree_shank_angles

#: frame shifts (x, y) in pixels of the decoded frames (≤ 1280 px), the first none
SHIFTS_PX = [(0, 0), (5, 2), (-4, 3), (2, -5), (-3, -4), (4, 4), (-5, -1)]
CACHE_DIR = ROOT / "out" / "accuracy" / "spread"


def shifted_frames(frames: Iterator[Any], dx: int, dy: int) -> Iterator[Any]:
    """Frames with their content moved by (dx, dy) px, the edges repeated."""
    for f in frames:
        rgb = np.roll(f.rgb, (dy, dx), axis=(0, 1))
        if dy > 0:
            rgb[:dy] = rgb[dy]
        elif dy < 0:
            rgb[dy:] = rgb[dy - 1]
        if dx > 0:
            rgb[:, :dx] = rgb[:, dx : dx + 1]
        elif dx < 0:
            rgb[:, dx:] = rgb[:, dx - 1 : dx]
        yield dataclasses.replace(f, rgb=rgb)


def shifted_pose_cache(clip: Path, config: AnalysisConfig, shift: tuple[int, int], path: Path | None = None) -> Path:
    """A pose cache for ``clip`` made from its frames shifted by ``shift`` px, the landmarks moved back (made once;
    read by ``analyze_video(clip, config, pose_cache=...)``).

    Parameters
    ----------
    clip : the video.
    config : the settings the pose depends on (engine, model, people followed).
    shift : (x, y) px in the frames as decoded for pose (at most 1280 px).
    path : where the cache is kept (default: under :data:`CACHE_DIR`).
    """
    from gait.capture.detections import POSE_MAX_SIDE_PX, prefetch
    from gait.capture.pose import extract_pose
    from gait.capture.pose_cache import cache_key, load_cached_pose, save_cached_pose
    from gait.capture.probe import probe_video
    from gait.capture.video import iter_frames, scaled_size

    path = path or CACHE_DIR / f"{clip.stem}-{config.engine}-{shift[0]}_{shift[1]}.npz"
    info = probe_video(clip, capture_fps=config.capture_fps)
    key = cache_key(info, config)
    if load_cached_pose(path, key, info)[0] is not None:
        return path
    decoded_w, decoded_h = scaled_size(info.width, info.height, POSE_MAX_SIDE_PX)  # the frames the pose pass sees
    scale = np.array([info.width / decoded_w, info.height / decoded_h])
    source = shifted_frames(prefetch(iter_frames(info, max_side_px=POSE_MAX_SIDE_PX)), *shift)
    pose = extract_pose(info, config.model, frames=source, num_poses=config.max_people, engine=config.engine)
    back = pose.image_xy_px - np.array(shift, dtype=float) * scale
    path.parent.mkdir(parents=True, exist_ok=True)
    save_cached_pose(dataclasses.replace(pose, image_xy_px=back), path, key)
    return path


def _figures(report: Any, clean: Any, labels: Any, label_name: str) -> dict[str, float]:
    """Row → number for one analysis against one labels file (events in frames, angles in degrees)."""
    from benchmarks.engine_accuracy import knee_frame_errors, trunk_errors

    out: dict[str, float] = {}
    for kind in ("contact", "toe_off"):
        a = agree_events(report, labels, clean.pose.times_s, clean.pose.frame_index, kind)
        if a is not None and a.matched:
            out[f"{label_name} {kind} bias"] = a.bias_frames
            out[f"{label_name} {kind} median |error|"] = a.median_abs_frames
            out[f"{label_name} {kind} missed"] = float(len(a.missed))
            if kind == "contact" and labels.clip.startswith("treadmill_side_male"):
                for foot in ("left", "right"):
                    out[f"{label_name} {kind} bias, {foot} foot"] = a.foot_bias_frames(foot)
    for what, angles in (
        ("shin at landing", agree_shank_angles(report, labels)),
        ("knee at landing", agree_knee_angles(report, labels)),
    ):
        if angles is not None and angles.pairs:
            out[f"{label_name} {what}"] = angles.bias_deg
    if labels.clip == "treadmill_side_male_30fps.mp4":
        knee = json.loads((LABELS / "treadmill_side_male_30fps.knee.json").read_text())["landings"]
        trunk = json.loads((LABELS / "treadmill_side_male_30fps.trunk.json").read_text())["frames"]
        second = json.loads((LABELS / "trunk_lean.json").read_text())["clips"][labels.clip]["frames"]
        out["treadmill knee.json, knee in labelled frames"] = float(np.median(knee_frame_errors(clean, knee)))
        out["treadmill trunk.json, trunk lean"] = float(
            np.median(trunk_errors(clean, [(f["frame"], f["trunk_lean_deg"]) for f in trunk]))
        )
        out["treadmill trunk_lean.json, trunk lean"] = float(
            np.median(trunk_errors(clean, [(f["frame"], f["joint_axis_lean_deg"]) for f in second]))
        )
    return out


def measure(engine: str, shifts: list[tuple[int, int]]) -> dict[str, list[float]]:
    """Row → the figure at each shift (NaN where the analysis was refused or the row is missing)."""
    rows: dict[str, list[float]] = {}
    for k, shift in enumerate(shifts):
        done: dict[str, tuple[Any, Any]] = {}
        for path, labels, clip in labelled_clips(EVENT_FILES):
            if clip.name in CAPTURE_FPS or path.name.endswith(".contacts.json"):
                continue  # the slowed replay is refused by both; contacts.json repeats events.json's contacts
            config = AnalysisConfig(height_cm=HEIGHTS_CM.get(clip.name), engine=engine)
            try:
                if clip.name not in done:
                    done[clip.name] = analyze_video(clip, config, pose_cache=shifted_pose_cache(clip, config, shift))
            except GaitError as exc:
                print(f"{clip.name} {engine} {shift}: {exc}", file=sys.stderr)
                continue
            for row, value in _figures(*done[clip.name], labels, path.name.replace(".events.json", "")).items():
                rows.setdefault(row, [float("nan")] * len(shifts))[k] = value
        print(f"{engine}: shift {shift} done", file=sys.stderr, flush=True)
    return rows


def main() -> int:
    """Print the table: per row and engine, the unshifted draw and the mean ± SD over the shifts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shifts", type=int, default=5, help=f"how many shifts (at most {len(SHIFTS_PX)})")
    parser.add_argument("--engines", default="mediapipe,litert")
    args = parser.parse_args()
    shifts = SHIFTS_PX[: max(1, min(args.shifts, len(SHIFTS_PX)))]
    engines = args.engines.split(",")
    results = {e: measure(e, shifts) for e in engines}
    print(f"{len(shifts)} shifts: {shifts}\n")
    print("| row | " + " | ".join(f"{e}: unshifted / mean ± SD" for e in engines) + " |")
    print("|---|" + "---|" * len(engines))
    for row in dict.fromkeys(r for rows in results.values() for r in rows):
        cells = []
        for e in engines:
            v = np.asarray(results[e].get(row, [np.nan] * len(shifts)))
            ok = v[np.isfinite(v)]
            cells.append(f"{v[0]:+.2f} / {ok.mean():+.2f} ± {ok.std(ddof=1):.2f}" if ok.size > 1 else "—")
        print(f"| {row.replace('|', chr(92) + '|')} | " + " | ".join(cells) + " |")  # a Markdown table's | escaped
    return 0


if __name__ == "__main__":
    sys.exit(main())
