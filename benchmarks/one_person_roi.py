"""Is the one-person landmarker's difference from the default its temporal smoothing, or its crop?

Runs the PoseLandmarker (full model, VIDEO mode) over the shared clips three ways: two people with the
container's timestamps (the default), one person with them, and one person with timestamps 100 s apart (a
time-based landmark filter is then off: its cut-off rises with the time step). Prints, for each run, the
contact agreement with the hand labels, how many events moved from the default's, and the headline angles.
Results and conclusion: benchmarks/RESULTS.md (issue 16, "What was tried", item 1). From the repository root:

    python -m benchmarks.one_person_roi
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import gait.capture.pose as gp
from gait import AnalysisConfig
from gait.capture.probe import probe_video
from gait.capture.video import Frame, iter_frames
from gait.core.posedata import PoseSequence
from gait.core.types import VideoInfo
from gait.pipeline import analyze_pose
from gait.workflows.accuracy import agree_events, format_agreement
from gait.workflows.labelfile import load_labels

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CLIPS = (
    ("treadmill_side_male_30fps", "treadmill_side_male_30fps.events.json", 178.0),
    ("walking_side_outdoor_sports2d", "walking_side_outdoor_sports2d.events.json", None),
)
RUNS = (("2 people, clip timestamps (default)", 2, None), ("1 person, clip timestamps", 1, None))
RUNS += (("1 person, timestamps 100 s apart", 1, 100_000),)
ANGLES = ("shank_angle_at_contact_deg", "trunk_lean_deg", "knee_flexion_at_contact_deg")


def detect(info: VideoInfo, frames: list[Frame], num_poses: int, step_ms: int | None) -> PoseSequence:
    """The pose of ``frames`` tracking ``num_poses`` people; timestamps every ``step_ms`` (None: the clip's)."""
    import mediapipe as mp

    raw = gp.RawDetections()
    w, h = info.width, info.height
    with gp.quiet_native_logs(), gp.create_landmarker("full", num_poses=num_poses) as landmarker:
        for k, frame in enumerate(frames):
            ts = int(round(frame.time_s * 1000)) if step_ms is None else k * step_ms
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame.rgb)
            result = landmarker.detect_for_video(image, ts)
            poses = result.pose_landmarks or []
            raw.times.append(frame.time_s)
            raw.index.append(frame.index)
            raw.n_people_max = max(raw.n_people_max, len(poses))
            people = []
            for p, world in zip(poses, result.pose_world_landmarks, strict=True):
                rows = [
                    [m.x * w, m.y * h, q.x, q.y, q.z, gp._score(m.visibility), gp._score(m.presence)]
                    for m, q in zip(p, world, strict=True)
                ]
                people.append(np.array(rows, dtype=np.float32))
            raw.candidates.append(people)
    return gp.assemble_pose(info, raw, "full")


def main() -> None:
    """Print one line per clip and run."""
    for clip, label_file, height_cm in CLIPS:
        info = probe_video(SHARED / "clips" / f"{clip}.mp4")
        frames = list(iter_frames(info, max_side_px=gp.POSE_MAX_SIDE_PX))
        labels = load_labels(ROOT / "labels" / label_file)
        default: list[tuple[str, int]] | None = None
        for name, n_people, step_ms in RUNS:
            report, clean = analyze_pose(
                detect(info, frames, n_people, step_ms), info, AnalysisConfig(height_cm=height_cm)
            )
            a = agree_events(report, labels, clean.pose.times_s, clean.pose.frame_index, "contact")
            events = [(e.kind, e.frame) for e in report.events]
            moved = "-" if default is None else str(sum(1 for e in events if e not in default))
            default = default or events
            angles = {n: report.metrics[n].value for n in ANGLES}
            shown = ", ".join(f"{n} {v:.1f}" if v is not None else f"{n} -" for n, v in angles.items())
            print(f"{clip} | {name} | {format_agreement(a) if a else 'no labels'} | moved {moved} | {shown}")


if __name__ == "__main__":
    main()
