"""The physiological range of each metric for running and for walking: pure data, read by the catalogue."""

from __future__ import annotations

#: What a human running / walking stride can show at all (metric unit), deliberately wider than any typical range:
#: the extremes reported in the literature plus the metric's measurement error. A value outside is a failed
#: measurement (a swapped or misplaced joint, a mis-timed event), withheld with its reason and never a cue
#: (gait.metrics.plausibility). None: no physiological bound (a percentage of strides; a metric never shown).
#: Sources: step rate and contact time, sprinters to slow joggers: Weyand et al. 2000, J Appl Physiol 89:1991
#: (sprint steps ~4.5 Hz, contact ~80-100 ms); Moore 2016, Sports Med 46:793 (recreational contact 200-300 ms,
#: vertical oscillation 6-10 cm). Joint angles through the running stride: Novacheck 1998, Gait Posture 7:77 (knee
#: 10-45° through stance, hip extension at toe-off ~5-20°, never a thigh in front of the trunk at push-off);
#: walking: Perry & Burnfield 2010, Gait Analysis (2nd ed.) and Winter 2009 (stance 60 % of the cycle, knee 0-20°
#: in stance, hip extension ~10-20° at toe-off). Landing geometry: Souza 2016, PM&R Clin N Am 27:217 (shin
#: angle), Altman & Davis 2012, Gait Posture 35:298 (foot angle about −15° to +30°), Lieberman et al. 2015, J Exp
#: Biol 218:3406 (heel 0-30 cm ahead of the hips). Each bound adds the metric's resolution (approx.).
PLAUSIBLE: dict[str, tuple[tuple[float, float] | None, tuple[float, float] | None]] = {
    # name: (running, walking)
    "cadence_spm": ((120.0, 270.0), (50.0, 220.0)),
    "step_time_s": ((0.22, 0.5), (0.27, 1.2)),
    "ground_contact_time_ms": ((70.0, 500.0), (300.0, 1600.0)),
    "flight_time_ms": ((0.0, 300.0), None),  # walking has none: gait.checks.findings withholds it
    "duty_factor": ((0.15, 0.62), (0.45, 0.9)),  # walking: over 0.5 by definition, less its resolution
    "step_length_m": ((0.3, 2.8), (0.15, 1.2)),
    "overstride_cm": ((-15.0, 60.0), (-10.0, 70.0)),
    "overstride_leg_pct": ((-20.0, 70.0), (-10.0, 80.0)),
    "shank_angle_at_contact_deg": ((-20.0, 35.0), (-15.0, 40.0)),
    "foot_strike_angle_deg": ((-30.0, 45.0), (-20.0, 45.0)),
    "knee_flexion_at_contact_deg": ((-5.0, 50.0), (-10.0, 35.0)),
    "knee_flexion_midstance_deg": ((10.0, 75.0), (-10.0, 65.0)),  # walking: its peak in stance is pre-swing
    "vertical_oscillation_cm": ((1.5, 20.0), (0.5, 12.0)),
    "vertical_oscillation_leg_pct": ((2.0, 24.0), (0.5, 14.0)),
    "trunk_lean_deg": ((-15.0, 35.0), (-15.0, 30.0)),
    "trunk_lean_at_contact_deg": ((-15.0, 35.0), (-15.0, 30.0)),
    "trunk_lean_midstance_deg": ((-15.0, 35.0), (-15.0, 30.0)),
    "waist_bend_deg": ((-20.0, 45.0), (-20.0, 45.0)),
    # the thigh behind the trunk at push-off: a reading of −8° or less (resolution 6°) is no running stride
    "hip_extension_deg": ((-8.0, 45.0), (-8.0, 40.0)),
    "pelvic_drop_deg": ((-10.0, 20.0), (-10.0, 15.0)),
    "arm_crossover_pct": (None, None),
    "torso_rotation_deg": (None, None),
}
