"""Writing results: report.json and metrics.csv, atomically (temp file + rename)."""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from gait.core.types import GaitReport

CSV_FIRST = ["foot", "contact_frame", "contact_time_s", "toe_off_time_s", "midstance_frame", "midstance_time_s"]


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


def strides_csv(report: GaitReport, human_headers: bool = True) -> str:
    """The per-stride rows as CSV text (one row per foot contact).

    Parameters
    ----------
    human_headers : column names in words with their unit ("Shin angle at landing (°)"); False gives the
        machine names of ``report.json`` (``shank_angle_at_contact_deg``).
    """
    from gait.outputs.wording import column_label

    keys: list[str] = list(CSV_FIRST)
    for row in report.strides:
        keys += [k for k in row if k not in keys]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    if human_headers:
        names: dict[str, str] = {}
        for k in keys:
            text = column_label(k)
            names[k] = text if text not in names.values() else f"{text} [{k}]"
        w.writerow(names)
    else:
        w.writeheader()
    for row in report.strides:
        w.writerow({k: _fmt(row.get(k)) for k in keys})
    return buf.getvalue()


def _fmt(v: Any) -> Any:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return v


def write_outputs(report: GaitReport, out_dir: str | Path) -> dict[str, Path]:
    """Write ``report.json`` and ``metrics.csv`` into ``out_dir``; return their paths."""
    out = Path(out_dir)
    paths = {"report": out / "report.json", "metrics": out / "metrics.csv"}
    write_atomic(paths["report"], report.to_json())
    write_atomic(paths["metrics"], strides_csv(report))
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
    from gait.outputs.wording import metric_rows, shown_cues, walking_note

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
