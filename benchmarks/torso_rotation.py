"""Can a single phone camera measure torso rotation? A known answer with the pose model in the loop.

    python -m benchmarks.torso_rotation      # needs ../shared/clips (or $GAIT_SHARED_DIR/clips); prints Markdown

Torso rotation (the per-stride range of the shoulder line's angle against the hip line's, in the transverse
plane) needs the depth of the shoulders and hips, which a side view does not show: MediaPipe's world landmarks
guess it. The known answer used here: a mirror image of a clip shows the same runner with the same rotation, so
an honest measurement gives the same per-stride range on the clip and on its mirror image. We also print the
frame-to-frame jitter of the angle before the low-pass and compare the ranges with the literature (trunk-pelvis
rotation of about 5-15° in walking and 10-25° in running). Pose is cached under ``out/torso_rotation/``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from gait import AnalysisConfig, analyze_video
from gait.metrics.posture import compute_torso_rotation_deg

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GAIT_SHARED_DIR", ROOT.parent / "shared"))
CLIPS = {"treadmill_side_male_30fps.mp4": 178.0, "walking_side_outdoor_sports2d.mp4": None}


def measure(video: Path, height_cm: float | None, cache: Path) -> tuple[float, float, float, float, int]:
    """Median, 10th and 90th percentile of the per-stride range (°), frame-to-frame jitter (SD, °), strides."""
    report, clean = analyze_video(video, AnalysisConfig(height_cm=height_cm), pose_cache=cache)
    ranges = [r.get("torso_rotation_deg") for r in report.strides]
    vals = np.array([float(v) for v in ranges if v is not None and np.isfinite(float(v))])
    jitter = float(np.nanstd(np.diff(compute_torso_rotation_deg(clean.raw.world_xyz_m))))
    if vals.size == 0:
        return float("nan"), float("nan"), float("nan"), jitter, 0
    p10, med, p90 = np.percentile(vals, [10, 50, 90])
    return float(med), float(p10), float(p90), jitter, int(vals.size)


def main() -> None:
    """Print the table for every shared clip found, and its mirror image."""
    sys.path.insert(0, str(ROOT))
    from tests.support.corpus import mirrored  # the same PyAV re-encoding the odd-input tests use

    out = ROOT / "out" / "torso_rotation"
    out.mkdir(parents=True, exist_ok=True)
    print("| clip | per-stride range, median (10th-90th pct.) | frame-to-frame jitter (SD) | strides |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, height in CLIPS.items():
            clip = SHARED / "clips" / name
            if not clip.is_file():
                print(f"skipping {name}: not found", file=sys.stderr)
                continue
            for label, video in ((name, clip), (f"{name}, mirror image", mirrored(Path(tmp), clip))):
                med, p10, p90, jitter, n = measure(video, height, out / f"{video.stem}.npz")
                print(f"| {label} | {med:.1f}° ({p10:.1f}-{p90:.1f}°) | {jitter:.1f}° | {n} |")


if __name__ == "__main__":
    main()
