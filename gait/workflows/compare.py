"""Before/after comparison of two analyses of one athlete: metric deltas with direction, cues resolved or new.

Each session's screening status and uncertainty come from its own assessments (:mod:`gait.metrics.assessment`, made
once in the analysis): a change smaller than both sessions' uncertainties combined reads "same" (a 1° change
in trunk lean is noise, not progress); a move from one screening status to another (ok < borderline < watch <
flag) reads "better" or "worse"; within one zone outside
"ok", the move towards the limit counts; within "ok" a change is only "changed" (both typical, no claim of
progress). Metrics without screening limits follow their ``better`` direction. A cue counts as resolved only
when the zones of its metrics improved too; otherwise it is "gone, not confirmed".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gait.core.config import AnalysisConfig
from gait.core.types import Cue, GaitReport
from gait.metrics.assessment import SCREENING_RANK, Assessment, assessments_of
from gait.metrics.registry import REGISTRY, format_value, label, limits

Direction = Literal["better", "worse", "same", "changed", "n/a"]
Zone = Literal["ok", "borderline", "watch", "flag", ""]
ZONE_RANK = SCREENING_RANK
DIRECTION_WORDS = {"better": "better", "worse": "worse", "same": "same", "changed": "changed", "n/a": "n/a"}


@dataclass(frozen=True)
class MetricDelta:
    """One metric before and after."""

    name: str
    unit: str
    before: float | None
    after: float | None
    delta: float | None
    direction: Direction
    zone_before: Zone = ""
    zone_after: Zone = ""

    @property
    def label(self) -> str:
        """The metric's human label."""
        return label(self.name)


@dataclass(frozen=True)
class Comparison:
    """Two analyses side by side (``before`` is the earlier session)."""

    deltas: tuple[MetricDelta, ...]
    resolved: tuple[str, ...]  # cue titles present before, gone now, with their metrics' zones improved
    new: tuple[str, ...]  # cue titles present now, not before
    persisting: tuple[str, ...]
    warnings: tuple[str, ...]
    unconfirmed: tuple[str, ...] = ()  # cue titles gone now although their metrics' zones did not improve
    same_video: bool = False

    def delta(self, name: str) -> MetricDelta:
        """The delta of one metric (KeyError when neither report has it)."""
        return next(d for d in self.deltas if d.name == name)


def _direction(name: str, b: Assessment, a: Assessment, c: AnalysisConfig) -> Direction:
    """Better / worse / same from the two sessions' own judgements: "same" while the change is within both
    sessions' uncertainties combined (``sqrt(u_b² + u_a²)``, at least the registry's resolution)."""
    assert b.value is not None and a.value is not None
    vb, va = b.value, a.value
    d = va - vb
    s = REGISTRY.get(name)
    if s is None:
        return "changed"
    noise = max(s.resolution, math.hypot(b.uncertainty or s.resolution, a.uncertainty or s.resolution))
    if abs(d) < noise:
        return "same"
    zb, za = b.screening, a.screening
    if zb and za:
        if SCREENING_RANK[za] != SCREENING_RANK[zb]:
            return "better" if SCREENING_RANK[za] < SCREENING_RANK[zb] else "worse"
        if za == "ok":
            return "changed"  # both inside the lines: a change, not progress or regress
        lim = limits(name, c)
        assert lim is not None
        if lim.better == "band":
            dist_b = max(lim.low - vb, 0.0, vb - lim.high)
            dist_a = max(lim.low - va, 0.0, va - lim.high)
            return "better" if dist_a < dist_b else "worse" if dist_a > dist_b else "same"
        better: str = lim.better
    else:
        better = s.better
    if better == "lower":
        return "better" if d < 0 else "worse"
    if better == "higher":
        return "better" if d > 0 else "worse"
    if better == "band" and s.typical is not None:
        lo, hi = s.typical
        dist_b, dist_a = max(lo - vb, 0.0, vb - hi), max(lo - va, 0.0, va - hi)
        return "better" if dist_a < dist_b else "worse" if dist_a > dist_b else "changed"
    return "changed"


def cue_metrics(cue: Cue) -> tuple[str, ...]:
    """Registry metrics a cue's numbers refer to (``hip_extension_deg_proxy`` → ``hip_extension_deg``)."""
    out = []
    for key in cue.numbers:
        name = key if key in REGISTRY else next((n for n in REGISTRY if key.startswith(n)), None)
        if name and name not in out:
            out.append(name)
    return tuple(out)


def same_video(before: GaitReport, after: GaitReport, sha_before: str = "", sha_after: str = "") -> bool:
    """True when both analyses are of one video: the same content hash, or the same name, size and duration."""
    if sha_before and sha_after:
        return sha_before == sha_after
    vb, va = before.video, after.video
    same_shape = (vb.n_frames, vb.width, vb.height) == (va.n_frames, va.width, va.height) and math.isclose(
        vb.duration_s, va.duration_s, abs_tol=1e-3
    )
    if vb.file_size_bytes and va.file_size_bytes:
        return same_shape and vb.file_size_bytes == va.file_size_bytes
    return same_shape and Path(vb.path).name == Path(va.path).name


def compare_reports(
    before: GaitReport,
    after: GaitReport,
    config: AnalysisConfig | None = None,
    sha_before: str = "",
    sha_after: str = "",
) -> Comparison:
    """Compare two analyses of one athlete.

    Parameters
    ----------
    before, after : the earlier and the later analysis.
    config : thresholds that define the screening zones (when None: the later analysis's own, recorded in
        its report).
    sha_before, sha_after : content hashes of the two videos, when known (to notice one video saved twice).

    Returns
    -------
    Comparison
        Per-metric deltas (after - before) with direction and screening zone, and the cues resolved, new and
        persisting. ``warnings`` says when the two are not comparable as they stand (one video twice,
        different views, different scales, poor quality).
    """
    c = config or AnalysisConfig.from_settings(after.settings)
    deltas = _deltas(before, after, c)
    cb, ca = _active_cues(before), _active_cues(after)
    resolved, unconfirmed = _gone_cues(cb, ca, {d.name: d for d in deltas})
    one_video = same_video(before, after, sha_before, sha_after)
    warnings = _comparability_warnings(before, after, one_video)
    return Comparison(
        deltas=tuple(deltas),
        resolved=tuple(resolved),
        new=tuple(cue.title for k, cue in ca.items() if k not in cb),
        persisting=tuple(cue.title for k, cue in ca.items() if k in cb),
        warnings=tuple(warnings),
        unconfirmed=tuple(unconfirmed),
        same_video=one_video,
    )


def _deltas(before: GaitReport, after: GaitReport, c: AnalysisConfig) -> list[MetricDelta]:
    """Per-metric change after - before, with direction and each session's own screening status (its
    assessment, never judged again here), in people's order (the registry's)."""
    deltas = []
    jb, ja = assessments_of(before), assessments_of(after)
    names = list(dict.fromkeys([*jb, *ja]))
    names = [n for n in REGISTRY if n in names] + [n for n in names if n not in REGISTRY]
    for name in names:
        ab, aa = jb.get(name), ja.get(name)
        vb = ab.value if ab is not None else None
        va = aa.value if aa is not None else None
        unit = (aa or ab).unit if (aa or ab) is not None else ""  # type: ignore[union-attr]
        zb = ab.screening if ab is not None else ""
        za = aa.screening if aa is not None else ""
        if ab is None or aa is None or vb is None or va is None:
            deltas.append(MetricDelta(name, unit, vb, va, None, "n/a", zb, za))
            continue
        deltas.append(MetricDelta(name, unit, vb, va, va - vb, _direction(name, ab, aa, c), zb, za))
    return deltas


def _active_cues(r: GaitReport) -> dict[str, Cue]:
    return {cue.id: cue for cue in r.cues if cue.severity in ("watch", "flag")}


def _gone_cues(cb: dict[str, Cue], ca: dict[str, Cue], by_name: dict[str, MetricDelta]) -> tuple[list[str], list[str]]:
    """Titles of the cues active before and not after: resolved (their numbers moved to a better zone) and
    unconfirmed (gone, but their numbers did not improve: noise or a different day)."""
    resolved: list[str] = []
    unconfirmed: list[str] = []
    for cid, cue in cb.items():
        if cid in ca:
            continue
        ds = [by_name[n] for n in cue_metrics(cue) if n in by_name and by_name[n].zone_before]
        improved = all(
            d.zone_after == "ok" or (d.zone_after != "" and ZONE_RANK[d.zone_after] < ZONE_RANK[d.zone_before])
            for d in ds
        )
        (resolved if improved else unconfirmed).append(cue.title)
    return resolved, unconfirmed


def _comparability_warnings(before: GaitReport, after: GaitReport, one_video: bool) -> list[str]:
    """Why the two sessions are not comparable as they stand."""
    warnings = []
    if one_video:
        warnings.append(
            f"Both sessions are the same video ({after.video.duration_s:.1f} s, {after.video.n_frames} frames): "
            "the differences are re-analysis, not progress. Film a new run to compare."
        )
    if before.activity != after.activity:
        warnings.append(
            f"One session shows {before.activity} and the other {after.activity}: running and walking numbers "
            "differ in kind, compare like with like."
        )
    if before.view != after.view:
        warnings.append(f"Filmed from different views ({before.view} vs {after.view}): compare like with like.")
    if before.quality.scale != after.quality.scale:
        warnings.append("One session has the runner's height and the other not: centimetre values differ in kind.")
    for when, r in (("before", before), ("after", after)):
        if r.quality.warnings:
            warnings.append(f"The {when} session has capture warnings: {r.quality.warnings[0]}")
    return warnings


def comparison_text(cmp: Comparison, before_label: str = "before", after_label: str = "after") -> str:
    """A plain-text table of a comparison (the ``gait compare`` output), in people's words."""
    lines = [f"{'measure':34} {before_label:>14} {after_label:>14} {'change':>14}  direction (zone)"]
    for d in cmp.deltas:
        if d.before is None and d.after is None:
            continue
        fb = "not measured" if d.before is None else format_value(d.name, d.before)
        fa = "not measured" if d.after is None else format_value(d.name, d.after)
        fd = "" if d.delta is None else ("+" if d.delta > 0 else "") + format_value(d.name, d.delta)
        zones = f" ({d.zone_before or '-'} → {d.zone_after or '-'})" if d.zone_before or d.zone_after else ""
        lines.append(f"{d.label[:34]:34} {fb:>14} {fa:>14} {fd:>14}  {DIRECTION_WORDS[d.direction]}{zones}")
    for head, items in (
        ("Resolved", cmp.resolved),
        ("Cue gone, not confirmed by the numbers", cmp.unconfirmed),
        ("New", cmp.new),
        ("Still to work on", cmp.persisting),
    ):
        if items:
            lines.append(f"{head}: " + "; ".join(items))
    lines += [f"Note: {w}" for w in cmp.warnings]
    return "\n".join(lines)
