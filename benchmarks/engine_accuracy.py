"""Both capture engines against every hand label we have, side by side (the before/after table of docs/ACCURACY.md).

    python -m benchmarks.engine_accuracy            # needs ../shared/clips (or $GAIT_SHARED_DIR/clips)
    python -m benchmarks.engine_accuracy --crop-turn 1.0   # our loop's crops turned with the body axis (an experiment)

For each engine (``mediapipe``: MediaPipe Tasks, ``litert``: our loop) and each labelled clip, the analysis runs
with default settings but the engine; poses are cached under ``out/accuracy/`` by engine. Rows: contacts and
toe-offs (matched/labelled, bias and median |error| in frames), the shin and knee angle at landing (the report's
stride rows against the labelled landings, median difference), the knee angle in the labelled frames (landmarks of
that frame), and trunk lean in the labelled frames against both trunk labellers (median difference).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.accuracy import labelled_clips
from gait import AnalysisConfig, analyze_video
from gait.core.errors import GaitError
from gait.workflows.accuracy import agree_events, agree_knee_angles, agree_shank_angles

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GAIT_SHARED_DIR", ROOT.parent / "shared"))
LABELS = ROOT / "labels"
CACHE_DIR = ROOT / "out" / "accuracy"
EVENT_FILES = [
    SHARED / "clips" / "labels" / "treadmill_side_male_30fps.contacts.json",
    *sorted(LABELS.glob("*.events.json")),
    *sorted((SHARED / "clips" / "labels").glob("*.events.json")),
]
HEIGHTS_CM = {"treadmill_side_male_30fps.mp4": 178.0}
#: a slowed replay (MANIFEST: a step every ~55 frames; ~5x if the runner's cadence is ~164): analysed as 150 fps
CAPTURE_FPS = {"treadmill_clinic_red_overstride_a.mp4": 150.0}
#: column → AnalysisConfig settings
ENGINES: dict[str, dict[str, Any]] = {
    "mediapipe": {"engine": "mediapipe"},
    "litert": {"engine": "litert"},
    "litert, detector every frame": {"engine": "litert", "detect_every_frames": 1},
}


def _analysis(clip: Path, engine: str) -> tuple[Any, Any]:
    settings = ENGINES[engine]
    cache = CACHE_DIR / f"{clip.stem}-{'-'.join(str(v) for v in settings.values())}.npz"
    cache.parent.mkdir(parents=True, exist_ok=True)
    config = AnalysisConfig(height_cm=HEIGHTS_CM.get(clip.name), capture_fps=CAPTURE_FPS.get(clip.name), **settings)
    if clip.name in CAPTURE_FPS:  # 6 s of replay is 1.2 s of running
        config = config.with_(min_duration_s=1.0)
    return analyze_video(clip, config, pose_cache=cache)


def knee_frame_errors(clean: Any, labelled: list[dict[str, Any]]) -> list[float]:
    """Knee flexion from the landmarks of each labelled frame minus the hand's (degrees), where both exist.

    Parameters
    ----------
    clean : the analysis's cleaned pose.
    labelled : the label file's entries (``frame``, ``foot``, ``knee_flexion_deg``).
    """
    from gait.core.landmarks import SIDE
    from gait.metrics.geometry import compute_angle_deg

    row = {int(f): k for k, f in enumerate(clean.pose.frame_index)}
    out = []
    for t in labelled:
        if t["frame"] not in row or t.get("knee_flexion_deg") is None:
            continue
        hip, knee, ankle = (
            clean.unfiltered_xy_px[row[t["frame"]], SIDE[t["foot"]][j]] for j in ("hip", "knee", "ankle")
        )
        value = 180.0 - compute_angle_deg(hip, knee, ankle) - t["knee_flexion_deg"]
        if np.isfinite(value):
            out.append(float(value))
    return out


def trunk_errors(clean: Any, frames: list[tuple[int, float]]) -> list[float]:
    """Trunk lean in each labelled frame minus the hand's (degrees), where the pose has one.

    Parameters
    ----------
    clean : the analysis's cleaned pose.
    frames : (frame index, hand-measured lean in degrees) pairs.
    """
    from gait.metrics.geometry import runner_xy
    from gait.metrics.posture import compute_trunk_lean_deg

    lean = compute_trunk_lean_deg(runner_xy(clean))
    row = {int(f): k for k, f in enumerate(clean.pose.frame_index)}
    return [float(lean[row[f]]) - truth for f, truth in frames if f in row and np.isfinite(lean[row[f]])]


def _median(values: list[float]) -> str:
    return f"{np.median(values):+.1f}° (n={len(values)})" if values else "—"


def measure(engine: str) -> dict[str, str]:
    """Row label → cell text for one engine."""
    cells: dict[str, str] = {}
    analyses: dict[str, tuple[Any, Any]] = {}
    for path, labels, clip in labelled_clips(EVENT_FILES):
        if clip.name not in analyses:
            try:
                analyses[clip.name] = _analysis(clip, engine)
            except GaitError as exc:
                print(f"{clip.name}: {exc}", file=sys.stderr)
                cells[f"{path.name} contact"] = "analysis refused"
                continue
        report, clean = analyses[clip.name]
        for kind in ("contact", "toe_off"):
            a = agree_events(report, labels, clean.pose.times_s, clean.pose.frame_index, kind)
            if a is not None:
                cells[f"{path.name} {kind}"] = (
                    f"{a.matched}/{a.n_labelled} (+{len(a.extra)} extra), bias {a.bias_frames:+.2f}, "
                    f"median abs {a.median_abs_frames:.2f}"
                )
        for what, angles in (
            ("shin at landing", agree_shank_angles(report, labels)),
            ("knee at landing (stride rows)", agree_knee_angles(report, labels)),
        ):
            if angles is not None and angles.pairs:
                cells[f"{path.name} {what}"] = f"{angles.bias_deg:+.1f}° (n={len(angles.pairs)})"
    tread, walk = analyses.get("treadmill_side_male_30fps.mp4"), analyses.get("walking_side_outdoor_sports2d.mp4")
    if tread is not None:
        knee = json.loads((LABELS / "treadmill_side_male_30fps.knee.json").read_text())["landings"]
        cells["treadmill knee.json, knee in labelled frames"] = _median(knee_frame_errors(tread[1], knee))
        trunk = json.loads((LABELS / "treadmill_side_male_30fps.trunk.json").read_text())["frames"]
        cells["treadmill trunk.json, trunk lean"] = _median(
            trunk_errors(tread[1], [(f["frame"], f["trunk_lean_deg"]) for f in trunk])
        )
    second = json.loads((LABELS / "trunk_lean.json").read_text())["clips"]
    for name, analysis in (("treadmill_side_male_30fps.mp4", tread), ("walking_side_outdoor_sports2d.mp4", walk)):
        if analysis is not None and name in second:
            frames = [(f["frame"], f["joint_axis_lean_deg"]) for f in second[name]["frames"]]
            cells[f"{name} trunk_lean.json, trunk lean"] = _median(trunk_errors(analysis[1], frames))
    if walk is not None:
        knee = json.loads((LABELS / "walking_side_outdoor_sports2d.knee.json").read_text())["frames"]
        cells["walking knee.json, knee in labelled frames"] = _median(knee_frame_errors(walk[1], knee))
    return cells


def turn_crops(fraction: float) -> None:
    """An experiment: our loop's crops turned by ``fraction`` of the rotation that brings the body axis (hip centre
    to the scale point) upright, as MediaPipe's graph turns them (1.0), instead of upright (0.0, as shipped). Only
    the ``litert`` columns change; their poses are cached apart (``out/accuracy/crop-turn-<fraction>/``)."""
    import gait.capture.engine_litert as engine

    follow = engine.roi_from_alignment

    def turned(centre_px: Any, scale_px: Any, upright_max_deg: float | None = None, snap: bool = False) -> Any:
        roi = follow(centre_px, scale_px, None, False)  # as measured on 2026-12-08, before crops were snapped
        return engine.Roi(roi.cx_px, roi.cy_px, roi.side_px, fraction * roi.rotation_rad)

    engine.roi_from_alignment = turned  # type: ignore[assignment]  # BlazePose looks it up at each call
    global CACHE_DIR
    CACHE_DIR = CACHE_DIR / f"crop-turn-{fraction}"


def main() -> int:
    """Print the markdown table: one row per label, one column per engine."""
    if "--crop-turn" in sys.argv:
        turn_crops(float(sys.argv[sys.argv.index("--crop-turn") + 1]))
        for name in [e for e in ENGINES if e != "litert"]:
            del ENGINES[name]
    results = {engine: measure(engine) for engine in ENGINES}
    rows = list(dict.fromkeys(k for cells in results.values() for k in cells))
    print("| label | " + " | ".join(ENGINES) + " |")
    print("|---|" + "---|" * len(ENGINES))
    for row in rows:
        print(f"| {row} | " + " | ".join(results[e].get(row, "—") for e in ENGINES) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
