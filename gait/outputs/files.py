"""Writing results: report.json and metrics.csv, atomically (temp file + rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from gait.core.types import GaitReport


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to ``path`` through a temp file in the same folder and an atomic rename;
    return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as fb:
                fb.write(data)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_outputs(report: GaitReport, out_dir: str | Path, clean: Any = None) -> dict[str, Path]:
    """Write the result files (:func:`gait.outputs.fileset.result_files`: ``metrics.csv``, ``assessments.csv``,
    ``curves.csv`` with a side view's ``clean`` pose, ``report.json`` last) into ``out_dir``; return their paths
    (keys ``report``, ``metrics``, ``assessments``, ``curves``)."""
    from gait.outputs.fileset import result_files

    out = Path(out_dir)
    paths: dict[str, Path] = {}
    for name, text in result_files(report, clean).items():
        key = "report" if name == "report.json" else name.removesuffix(".csv")
        paths[key] = write_atomic(out / name, text)
    return paths


def summary_text(report: GaitReport) -> str:
    """A short human summary of a report for the terminal."""
    v = report.video
    lines = [
        f"{Path(v.path).name}: {v.width}x{v.height}, {v.fps:.2f} fps"
        + (f" (captured at {v.capture_fps:g} fps)" if v.capture_fps else "")
        + f", {v.duration_s:.1f} s",
        f"view: {report.view}"
        + (f", facing {report.facing}" if report.facing else "")
        + f"; activity: {report.activity}; pose found in {report.quality.pose_detected_pct:.0f}% of frames",
    ]
    from gait.outputs.answer import answer_lines
    from gait.outputs.wording import metric_rows, shown_cues, walking_note

    lines += answer_lines(report)  # the answer first
    for r in metric_rows(report, include_unmeasured=False):
        lr = f"  (L {r.left} / R {r.right})" if r.left and r.right else ""
        mark = f"  {r.mark}" if r.mark else ""
        note = f"  ({r.note})" if r.note else ""
        good = f" {r.good_to:<13}" if r.good_to else " " * 14
        lines.append(f"  {r.label:<34} {r.value:>16}{good}{mark}{lr}{note}")
    if walking_note(report):
        lines.append(f"  {walking_note(report)}")
    for c in shown_cues(report):
        lines.append(f"  [{c.severity}] {c.title}: {c.message}")
    for w in report.quality.warnings:
        lines.append(f"  ! {w}")
    for n in report.notes:
        if n != walking_note(report):
            lines.append(f"  - {n}")
    return "\n".join(lines)
