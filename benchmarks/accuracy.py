"""Regenerate docs/ACCURACY.md: every labelled clip against its labels, with the default settings.

    python -m benchmarks.accuracy            # needs ../shared/clips (or $GAIT_SHARED_DIR/clips)

Each labels file names its clip; clips are looked up in the shared clips folder. Pose is cached under
``out/accuracy/`` so a re-run after a change to the analysis takes seconds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from gait import AnalysisConfig, __version__, analyze_video
from gait.core.labels import Labels
from gait.workflows.accuracy import agree_events, agree_knee_angles, agree_shank_angles
from gait.workflows.labelfile import load_labels

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GAIT_SHARED_DIR", ROOT.parent / "shared"))
LABEL_FILES = [
    SHARED / "clips" / "labels" / "treadmill_side_male_30fps.contacts.json",
    *sorted((ROOT / "labels").glob("*.events.json")),
]
HEIGHTS_CM = {"treadmill_side_male_30fps.mp4": 178.0}
NAMES = {"contact": "initial contact", "toe_off": "toe-off"}


def labelled_clips(label_files: list[Path]) -> Iterator[tuple[Path, Labels, Path]]:
    """(labels file, its labels, its clip) for every labels file whose clip is in the shared clips folder; the
    others are named on stderr and skipped."""
    for path in label_files:
        if not path.is_file():
            continue
        labels = load_labels(path)
        clip = SHARED / "clips" / labels.clip
        if not clip.is_file():
            print(f"skipping {path.name}: {clip} not found", file=sys.stderr)
            continue
        yield path, labels, clip


def rows() -> list[str]:
    """Markdown table rows, one per (labels file, event kind)."""
    out = []
    for path, labels, clip in labelled_clips(LABEL_FILES):
        cache = ROOT / "out" / "accuracy" / f"{clip.stem}.npz"
        cache.parent.mkdir(parents=True, exist_ok=True)
        config = AnalysisConfig(height_cm=HEIGHTS_CM.get(clip.name))
        report, clean = analyze_video(clip, config, pose_cache=cache)
        for kind in ("contact", "toe_off"):
            a = agree_events(report, labels, clean.pose.times_s, clean.pose.frame_index, kind)
            if a is None:
                continue
            foot = "—" if a.foot_agreement is None else f"{100 * a.foot_agreement:.0f} %"
            near = a.near_foot
            far = {"left": "right", "right": "left"}.get(near or "")
            near_far = (
                f"{a.foot_bias_frames(near):+.2f} / {a.foot_bias_frames(far):+.2f}"
                if near and far and a.errors_by_foot.get(near) and a.errors_by_foot.get(far)
                else "—"
            )
            out.append(
                f"| {clip.name} | {path.name} | {NAMES[kind]} | {a.n_labelled} | {a.matched} | {len(a.missed)} | "
                f"{len(a.extra)} | {a.bias_frames:+.2f} ({a.ms(a.bias_frames):+.0f} ms) | "
                f"{a.median_abs_frames:.2f} ({a.ms(a.median_abs_frames):.0f} ms) | {a.p90_abs_frames:.2f} | {foot} | "
                f"{near_far} |"
            )
        for what, angles in (
            ("shin angle at landing", agree_shank_angles(report, labels)),
            ("knee bend at landing", agree_knee_angles(report, labels)),
        ):
            if angles is not None and angles.pairs:
                out.append(
                    f"| {clip.name} | {path.name} | {what} | {len(angles.pairs)} | {len(angles.pairs)} | "
                    f"— | — | {angles.bias_deg:+.1f}° | — | — | — | — |"
                )
    return out


def main() -> int:
    """Write docs/ACCURACY.md's generated table between its markers."""
    doc = ROOT / "docs" / "ACCURACY.md"
    text = doc.read_text(encoding="utf-8")
    start, end = "<!-- table:start -->", "<!-- table:end -->"
    head = (
        "| clip | labels | event | labelled | matched | missed | extra | bias, frames | median abs. error, frames "
        "| 90th pct | foot agrees | bias near / far foot |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    table = "\n".join(
        [start, f"gait {__version__}, default settings, generated {date.today().isoformat()}:", "", head, *rows(), end]
    )
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    doc.write_text(before + table + after, encoding="utf-8")
    print(f"wrote {doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
