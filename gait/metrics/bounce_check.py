"""Is the measured vertical bounce physically possible with the measured contact and step times?

A runner's centre of mass rises and falls by an amount the stance and flight times fix closely: the spring-mass
("sine-wave") model of Morin et al. (2005, J Appl Biomech 21:167) gives the fall during stance as
``g·tc·T/(2π) − g·tc²/8`` and the rise in flight as ``g·tf²/8`` (``tc`` contact, ``tf = T − tc`` flight, ``T``
the step time). The step time is well measured even at 30 fps (cadence), the split between contact and flight
less so: the prediction is taken over the contact times the footage allows (± their uncertainty). A landmark
bounce far outside that (by more than :data:`MODEL_FACTOR` beyond its own uncertainty) does not move like the
body's centre and is not judged.
"""

from __future__ import annotations

import math

import numpy as np

from gait.core.types import MetricSummary

G_M_S2 = 9.81
#: How far the spring-mass model may be off (its published error is well under this): a bounce past
#: MODEL_FACTOR × the largest prediction, or below the smallest ÷ MODEL_FACTOR, is implausible.
MODEL_FACTOR = 1.5
BOUNCE_METRICS = ("vertical_oscillation_cm", "vertical_oscillation_leg_pct")
#: Adult leg lengths (hip → knee → ankle, cm) a bounce in % of the leg is read over when no height is given.
LEG_CM = (70.0, 105.0)


def predicted_bounce_cm(contact_s: float, step_s: float) -> float:
    """Peak-to-peak rise and fall of the centre of mass (cm) for a contact time and a step time (s)."""
    flight = max(step_s - contact_s, 0.0)
    stance = G_M_S2 * contact_s * step_s / (2 * math.pi) - G_M_S2 * contact_s**2 / 8
    return 100.0 * (max(stance, 0.0) + G_M_S2 * flight**2 / 8)


def bounce_range_cm(
    metrics: dict[str, MetricSummary], u_bounce_cm: float | None, u_bounce_pct: float | None
) -> tuple[float, float] | None:
    """The bounce in cm as far as the footage pins it: value ± its uncertainty with the runner's height; without
    it, the bounce as a share of the leg over every adult leg length (:data:`LEG_CM`). None without a bounce."""
    cm, pct = metrics.get("vertical_oscillation_cm"), metrics.get("vertical_oscillation_leg_pct")
    if cm is not None and cm.value is not None and math.isfinite(cm.value):
        u = u_bounce_cm or 0.0
        return cm.value - u, cm.value + u
    if pct is not None and pct.value is not None and math.isfinite(pct.value):
        u = u_bounce_pct or 0.0
        return (pct.value - u) * LEG_CM[0] / 100.0, (pct.value + u) * LEG_CM[1] / 100.0
    return None


def bounce_doubt(
    metrics: dict[str, MetricSummary],
    u_contact_ms: float | None,
    u_bounce_cm: float | None,
    u_bounce_pct: float | None = None,
) -> str:
    """Why the measured bounce cannot be the body's ("" when it can, or when it cannot be checked).

    Parameters
    ----------
    metrics : the report's metrics (``vertical_oscillation_cm`` or ``vertical_oscillation_leg_pct``,
        ``ground_contact_time_ms``, ``step_time_s``).
    u_contact_ms : the contact time's uncertainty on this footage (ms).
    u_bounce_cm, u_bounce_pct : the bounce's uncertainty on this footage (cm; % of leg length).
    """
    found = bounce_range_cm(metrics, u_bounce_cm, u_bounce_pct)
    contact, step = metrics.get("ground_contact_time_ms"), metrics.get("step_time_s")
    values = [m.value if m is not None else None for m in (contact, step)]
    if found is None or any(v is None or not math.isfinite(v) for v in values) or u_contact_ms is None:
        return ""
    b_lo, b_hi = found
    tc_ms, step_s = (float(v) for v in values)  # type: ignore[arg-type]
    lo_s, hi_s = max((tc_ms - u_contact_ms) / 1000, 0.05), min((tc_ms + u_contact_ms) / 1000, step_s)
    if not lo_s < hi_s:
        return ""
    predicted = [predicted_bounce_cm(tc, step_s) for tc in np.linspace(lo_s, hi_s, 41)]
    if b_lo > MODEL_FACTOR * max(predicted):
        return (
            f"not judged: at least {b_lo:.1f} cm, more than a runner's centre of mass can rise and fall with these "
            f"contact and step times (at most about {max(predicted):.0f} cm): the hip landmarks move more than the "
            "body here"
        )
    if b_hi < min(predicted) / MODEL_FACTOR:
        return (
            f"not judged: at most {b_hi:.1f} cm, less than a runner's centre of mass must rise and fall with these "
            f"contact and step times (at least about {min(predicted):.0f} cm)"
        )
    return ""
