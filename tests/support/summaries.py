"""Metric summaries made by hand, for the cue rules and the gates that read summaries."""

from __future__ import annotations

from gait.core.types import MetricSummary


def summary(name: str, value: float | None, quality: str = "good", n: int = 16, **kw) -> MetricSummary:
    return MetricSummary(name=name, value=value, unit="", n=n, quality=quality, **kw)  # type: ignore[arg-type]


def healthy() -> dict[str, MetricSummary]:
    """A runner with nothing to fix."""
    vals = {
        "cadence_spm": 172.0,
        "ground_contact_time_ms": 240.0,
        "trunk_lean_deg": 7.0,
        "waist_bend_deg": 2.0,
        "shank_angle_at_contact_deg": 1.0,  # clearly below the 8° watch line, by more than its 6° resolution
        "overstride_leg_pct": 8.0,
        "knee_flexion_at_contact_deg": 20.0,
        "hip_extension_deg": 16.0,
        "torso_rotation_deg": 15.0,
    }
    m = {k: summary(k, v) for k, v in vals.items()}
    m["ground_contact_time_ms"] = summary("ground_contact_time_ms", 240.0, left=238.0, right=242.0, asymmetry_pct=1.7)
    m["foot_strike_angle_deg"] = summary("foot_strike_angle_deg", 3.0, extra={"pattern": "midfoot"})
    return m
