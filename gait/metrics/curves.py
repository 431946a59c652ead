"""Gait-cycle curves: hip, knee and ankle angle (sagittal, side view) and trunk lean over 0-100 % of the stride.

A stride runs from one foot's contact to that foot's next contact. Within it the cleaned landmarks are
time-normalised by linear interpolation onto 101 points (0, 1, ..., 100 %), the angles are computed from the
interpolated landmarks, and the strides of each foot are averaged (mean ± SD). Toe-off is marked at its mean
percentage. Pure NumPy: landmarks, times and events in, arrays out.

Angle conventions (runner frame: x forward, y up; degrees):

- **trunk lean**: hip midpoint → shoulder midpoint from vertical, forward positive;
- **hip**: thigh (hip → knee) against the trunk line extended downward; flexion (knee ahead) positive;
- **knee**: thigh against shank (knee → ankle); flexion positive, 0 = straight;
- **ankle**: 90° minus the angle between shin (ankle → knee) and foot (heel → toes); dorsiflexion positive.

No typical band is drawn: published normative curves come from marker-based 3-D motion capture, which a 2-D
phone view does not reproduce closely enough to hold a runner against.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from gait.core import landmarks as L
from gait.core.types import GaitEvent

FloatArray = NDArray[np.float64]
JOINTS = ("hip", "knee", "ankle", "trunk")
JOINT_LABELS = {
    "hip": "Hip flexion (+) / extension (−)",
    "knee": "Knee flexion",
    "ankle": "Ankle dorsiflexion (+) / plantarflexion (−)",
    "trunk": "Trunk lean (forward +)",
}
N_POINTS = 101
MAX_STRIDE_S = 2.5  # longer "strides" span a missed contact


@dataclass(frozen=True)
class GaitCurves:
    """Mean ± SD angle curves per joint and foot over the normalised stride."""

    pct: FloatArray  # (101,) 0..100
    mean: dict[tuple[str, str], FloatArray]  # (joint, foot) → (101,)
    sd: dict[tuple[str, str], FloatArray]
    n_strides: dict[str, int]
    toe_off_pct: dict[str, float] = field(default_factory=dict)  # foot → mean toe-off, % of stride (NaN: none)

    def is_empty(self) -> bool:
        """True when no full stride of either foot was found."""
        return not any(self.n_strides.values())


def _signed(u: FloatArray, v: FloatArray) -> FloatArray:
    """Signed angle from u to v (degrees, counter-clockwise positive), row-wise for (..., 2) arrays."""
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = (u * v).sum(axis=-1)
    return np.degrees(np.arctan2(cross, dot))


def joint_angles(rf: FloatArray, side: str) -> dict[str, FloatArray]:
    """Hip, knee, ankle and trunk angle of one side for every frame of runner-frame landmarks (N, 33, 2)."""
    s = L.SIDE[side]
    hip_mid = 0.5 * (rf[:, L.LEFT_HIP] + rf[:, L.RIGHT_HIP])
    sh_mid = 0.5 * (rf[:, L.LEFT_SHOULDER] + rf[:, L.RIGHT_SHOULDER])
    hip, knee, ankle = rf[:, s["hip"]], rf[:, s["knee"]], rf[:, s["ankle"]]
    heel, toe = rf[:, s["heel"]], rf[:, s["toe"]]
    trunk_down = hip_mid - sh_mid
    thigh = knee - hip
    shank = ankle - knee
    foot = toe - heel
    shin_up = knee - ankle
    ankle_angle = np.degrees(
        np.arctan2(np.abs(shin_up[:, 0] * foot[:, 1] - shin_up[:, 1] * foot[:, 0]), (shin_up * foot).sum(axis=1))
    )
    return {
        "hip": _signed(trunk_down, thigh),
        "knee": -_signed(thigh, shank),
        "ankle": 90.0 - ankle_angle,
        "trunk": np.degrees(np.arctan2(sh_mid[:, 0] - hip_mid[:, 0], sh_mid[:, 1] - hip_mid[:, 1])),
    }


def _resample(rf: FloatArray, t: FloatArray, t0: float, t1: float, n: int) -> FloatArray | None:
    """Landmarks linearly interpolated at n instants from t0 to t1 (NaN where the span lacks data; None when
    the span has too few frames)."""
    inside = (t >= t0 - 1e-9) & (t <= t1 + 1e-9)
    lo, hi = int(np.searchsorted(t, t0, side="right")) - 1, int(np.searchsorted(t, t1, side="left"))
    lo, hi = max(lo, 0), min(hi, len(t) - 1)
    if hi <= lo or inside.sum() < 3:
        return None
    seg_t, seg = t[lo : hi + 1], rf[lo : hi + 1]
    tq = np.linspace(t0, t1, n)
    flat = seg.reshape(len(seg_t), -1)
    out = np.empty((n, flat.shape[1]))
    for j in range(flat.shape[1]):
        out[:, j] = np.interp(tq, seg_t, flat[:, j])
    return out.reshape(n, *rf.shape[1:])


def stride_curves(
    rf: FloatArray,
    t: FloatArray,
    events: tuple[GaitEvent, ...] | list[GaitEvent],
    n_points: int = N_POINTS,
) -> GaitCurves:
    """Mean ± SD joint-angle curves per foot over the normalised stride.

    Parameters
    ----------
    rf : (N, 33, 2) cleaned landmarks in the runner frame (x forward, y up), e.g. ``runner_xy(clean)``.
    t : (N,) times in seconds, increasing.
    events : contacts and toe-offs (``report.events``); ``track`` names the landmark side of the foot.
    n_points : samples over the stride (101 gives whole percentages).

    Returns
    -------
    GaitCurves
        Empty (``n_strides`` all 0) when no foot has two contacts in a row with data in between.
    """
    pct = np.linspace(0.0, 100.0, n_points)
    mean: dict[tuple[str, str], FloatArray] = {}
    sd: dict[tuple[str, str], FloatArray] = {}
    counts: dict[str, int] = {}
    toe_off: dict[str, float] = {}
    for foot in ("left", "right"):
        contacts = sorted((e for e in events if e.foot == foot and e.kind == "contact"), key=lambda e: e.time_s)
        offs = sorted(e.time_s for e in events if e.foot == foot and e.kind == "toe_off")
        per_joint: dict[str, list[FloatArray]] = {j: [] for j in JOINTS}
        toe_pcts: list[float] = []
        for a, b in itertools.pairwise(contacts):
            t0, t1 = a.time_s, b.time_s
            if not 0 < t1 - t0 <= MAX_STRIDE_S:
                continue
            seg = _resample(rf, t, t0, t1, n_points)
            if seg is None:
                continue
            angles = joint_angles(seg, a.track or foot)
            if not all(np.isfinite(v).all() for v in angles.values()):
                continue
            for j in JOINTS:
                per_joint[j].append(angles[j])
            inside = [x for x in offs if t0 < x < t1]
            if inside:
                toe_pcts.append(100.0 * (inside[0] - t0) / (t1 - t0))
        counts[foot] = len(per_joint["hip"])
        toe_off[foot] = float(np.mean(toe_pcts)) if toe_pcts else math.nan
        for j in JOINTS:
            if per_joint[j]:
                stack = np.vstack(per_joint[j])
                mean[(j, foot)] = stack.mean(axis=0)
                sd[(j, foot)] = stack.std(axis=0, ddof=1) if len(stack) > 1 else np.zeros(n_points)
    return GaitCurves(pct, mean, sd, counts, toe_off)


def curves_rows(curves: GaitCurves) -> list[dict[str, object]]:
    """Long-format rows (joint, foot, percent, mean, sd) for charts and CSV."""
    rows: list[dict[str, object]] = []
    for (joint, foot), m in curves.mean.items():
        s = curves.sd[(joint, foot)]
        for p, mv, sv in zip(curves.pct, m, s, strict=True):
            rows.append({"joint": joint, "foot": foot, "pct": float(p), "mean": float(mv), "sd": float(sv)})
    return rows


def curves_csv(curves: GaitCurves) -> str:
    """The curves as CSV: one row per % of stride, a mean and an SD column per joint and foot (degrees)."""
    keys = [k for j in JOINTS for foot in ("left", "right") if (k := (j, foot)) in curves.mean]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    header = ["Stride (%)"]
    for j, foot in keys:
        header += [f"{foot.capitalize()} {j} mean (°)", f"{foot.capitalize()} {j} SD (°)"]
    w.writerow(header)
    for i, p in enumerate(curves.pct):
        row: list[object] = [f"{p:g}"]
        for k in keys:
            row += [f"{curves.mean[k][i]:.1f}", f"{curves.sd[k][i]:.1f}"]
        w.writerow(row)
    for foot in ("left", "right"):
        if math.isfinite(curves.toe_off_pct.get(foot, math.nan)):
            w.writerow([f"# {foot} toe-off at {curves.toe_off_pct[foot]:.0f} % of stride"])
    return buf.getvalue()
