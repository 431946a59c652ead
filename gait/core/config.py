"""AnalysisConfig: every threshold and parameter of an analysis, each with its unit and source.

Thresholds are screening defaults, not clinical norms (see ``docs/CONVENTIONS.md`` and the registry); "approx." marks
figures to treat as starting points.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

View = Literal["auto", "side", "rear", "front"]


@dataclass(frozen=True)
class AnalysisConfig:
    """Parameters of one analysis. Frozen: derive variants with :meth:`with_`."""

    # --- user inputs ---------------------------------------------------------------------------------------
    view: View = "auto"
    height_cm: float | None = None  # runner's standing height; gives a px→cm scale
    belt_speed_kmh: float | None = None  # treadmill speed; gives step length
    capture_fps: float | None = None  # real capture rate of slow-motion clips stored at a lower playback rate
    model: str = "full"
    max_people: int = 2  # people the pose model tracks at once; 1 is cheaper but MediaPipe then smooths (lags)
    engine: str = (
        "mediapipe"  # pose capture: "mediapipe" (MediaPipe Tasks) or "litert" (our loop, gait.capture.tracking)
    )
    # litert: frames between two detector runs while fewer than max_people are followed (1: every frame, as
    # MediaPipe does; more is faster but finds a person stepping into view later)
    detect_every_frames: int = 5

    # --- cleaning ------------------------------------------------------------------------------------------
    max_gap_s: float = 0.2  # gaps without a pose up to this long are interpolated; longer stay NaN
    cutoff_hz: float = 12.0  # low-pass cutoff for landmark trajectories (running kinematics: ~10-15 Hz)
    # The cutoff is capped at this fraction of fps/2: at 30 fps phone landmarks are too jittery for 12 Hz
    # (8.25 Hz there), at 60 fps and above 12 Hz keeps the impact sharp enough for angles at contact.
    cutoff_max_nyquist_fraction: float = 0.55
    filter_order: int = 2  # Butterworth order per pass (filtfilt doubles it, zero phase)

    # --- events --------------------------------------------------------------------------------------------
    ground_tolerance_leg_frac: float = 0.06  # foot counts as on the belt within this fraction of leg length
    # Initial contact: where the landing foot has lost this fraction of its late-swing forward speed relative to
    # the pelvis (the middle of the braking edge; docs/ACCURACY.md has the measurement that chose it).
    contact_speed_drop_frac: float = 0.5
    # ...unless the foot is still coming down there, by at least this share of the ground tolerance per frame: a
    # runner who reaches far ahead slows the foot in the air (swing-leg retraction), and it touches where it stops
    # descending, within touch_level_tol_frac of the ground tolerance of the level it stands at
    # (gait/kinematics/landing.py).
    # Chosen on the home-gym overstrider's hand labels (contacts -3.1 -> -1.0 frames; shin at landing -1.7° from
    # hand-placed joints) with the treadmill clip's contacts and shin unchanged; docs/ACCURACY.md.
    touch_descent_tol_frac: float = 0.5
    touch_level_tol_frac: float = 0.85
    # ...and no later than the foot moving back at this share of the belt's speed (+ this many frames): a foot
    # moving with the belt stands on it (a far foot's height drifting down while it stands is not a landing).
    touch_belt_speed_frac: float = 0.9
    touch_after_catch_frames: float = 0.25
    # An arrival closer than this to the braking edge agrees with it (s): the low-pass rounds an abrupt stop on
    # the belt by about as much (a synthetic runner at 30 fps whose touch is the braking edge: +0.66 frame).
    touch_min_shift_s: float = 0.025
    # A foot whose lowest point is higher than this (× leg length) at its forward-most point is still in the air
    # (swing-leg retraction): its contact is where it comes down to the belt instead.
    airborne_leg_frac: float = 0.12
    # A landing foot with its heel or toe this close (× frame width) to the picture's side edge, or beyond it, is
    # cut by the frame: its forward-most point and braking are not seen, so no contact is timed there.
    frame_edge_margin_frac: float = 0.01
    frame_edge_max_cut_frac: float = 0.25  # ...unless more than this share of landings is cut (see events.py)
    # Step search (gait/kinematics/contacts.py; project defaults, chosen on the synthetic runner and the labelled
    # clips):
    step_spacing_period_frac: float = 0.6  # forward peaks at least this many step periods apart
    step_prominence_leg_frac: float = 0.1  # ...standing out by this much (× leg length)
    missed_step_prominence_leg_frac: float = 0.02  # a step missed in a two-step gap: this much is enough
    contact_lookback_period_frac: float = 0.35  # late swing searched for the peak speed, in step periods
    foot_vote_full_leg_frac: float = 0.2  # a heel this far ahead of the other (× leg) votes with full weight
    run_gap_periods: float = 1.6  # a gap of more than this many step periods splits the L/R alternation
    midstance_prominence_leg_frac: float = 0.01  # rear/front view: pelvis dips standing out by this (× leg)
    midstance_vote_full_leg_frac: float = 0.1  # ...and a heel this much lower than the other (× leg) votes fully
    # Toe-off: the toe has risen this far (× leg length) above its belt level. Higher bands wait for the toe to
    # be well clear of the belt: 0.06 read toe-offs ~35 ms late against hand labels (docs/ACCURACY.md).
    toe_off_lift_leg_frac: float = 0.03
    # Slowest step rate searched for, in the clip's own time: low so that an unflagged 8× slow-motion clip
    # (a 170 steps/min runner shows ≈21) is still found, and then reported as implausible rather than missed.
    min_cadence_spm: float = 12.0
    max_cadence_spm: float = 300.0
    # The shortest step anyone takes: sprinters at top speed touch ~0.09 s and fly ~0.12 s per step (Weyand et al.
    # 2000, J Appl Physiol 89:1991), about 0.2 s a step; two contacts closer than this are one landing found twice
    # or noise (gait/kinematics/event_sanity.py), never two steps.
    min_step_time_s: float = 0.18
    running_min_cadence_spm: float = 120.0  # below this while running looks like unflagged slow motion
    # Step rhythm slower by this factor in part of the clip = a slow-motion section (slow motion is 2x-8x; a
    # walk-to-run change on the belt is about 1.5x).
    tempo_change_max_ratio: float = 1.8
    # Cadence in the last third of the clip differing from the first third by this factor: a warning.
    pace_change_warn_ratio: float = 1.15
    # Belt line off the picture's horizontal by more than this (°): a rolled phone or an inclined treadmill
    # (gait.checks.camera). Trunk lean and shin angle are measured against the picture's vertical; 3° is about the
    # resolution the registry gives them.
    belt_tilt_max_deg: float = 3.0
    treadmill_max_incline_deg: float = 8.5  # 15 % grade, the steepest common treadmill setting
    # Near leg looking longer than the far one by more than this factor: the phone is close (perspective). The
    # ratio is about 1 + 0.18 m / distance: 1.08 is a phone ~2.2 m away, closer than the 2.5-4 m the filming
    # guide asks for; the landmarks' own leg-length noise is ~2 % (walking clip, filmed from afar: 1.01).
    perspective_max_leg_ratio: float = 1.08
    # A phone pitched up or down by more than this (°, from the scene's verticals, gait.capture.verticals) gets a note
    # even where the runner's vertical stays upright: 10° is a phone on the floor tilted up to fit the runner in.
    camera_max_pitch_deg: float = 10.0
    # From behind or in front, a roll of the phone (from the scene's verticals) above this lowers the pelvic drop:
    # its left/right difference is off by twice the roll, and 2° is past the metric's 1.5° resolution.
    frontal_roll_max_deg: float = 1.0

    # --- scale ---------------------------------------------------------------------------------------------
    leg_length_height_ratio: float = 0.491  # (thigh + shank) / height, Winter 2009 anthropometry

    min_duration_s: float = 2.0  # shorter clips (real time) cannot hold enough strides for any analysis

    # --- quality -------------------------------------------------------------------------------------------
    min_strides_per_side: int = 6  # fewer → metric quality "poor" (METRICS.md: ~6 per side)
    min_reliable_duration_s: float = 10.0  # shorter clips: every quality at most "fair", cues lowered, a warning
    min_pose_detected_pct: float = 80.0
    min_fps_contact_times: float = 50.0  # below this contact/flight times carry a ±1 frame warning
    min_fps_landing: float = 23.0  # below this a frame outlasts the landing: instant values poor (23.976 passes)
    asymmetry_flag_pct: float = 10.0  # symmetry index above this is flagged (METRICS.md)

    # --- feedback thresholds (screening defaults; see METRICS.md and gait/coaching/rules.py for sources) ----------
    trunk_lean_watch_deg: float = 12.0  # Teng & Powers 2014 JOSPT 44:785: ≈5-10° typical (approx.)
    trunk_lean_flag_deg: float = 15.0  # METRICS.md: flag "Run tall" > 15° (approx.)
    trunk_lean_min_deg: float = 0.0  # leaning back (< 0°) is flagged too (approx.)
    waist_bend_flag_deg: float = 5.0  # METRICS.md: bending at the waist > 5° (approx.)
    shank_angle_watch_deg: float = 8.0  # Souza 2016 PM&R Clin N Am 27:217 (approx.)
    shank_angle_flag_deg: float = 12.0  # Souza 2016 (approx.)
    overstride_watch_leg_pct: float = 20.0  # heel ahead of hip at contact, % leg length (approx., calibrate)
    straight_knee_at_contact_deg: float = 15.0  # knee flexion at contact below this with overstride = braking
    cadence_low_spm: float = 165.0  # recreational easy pace ≈160-175 (Heiderscheit 2011 MSSE 43:296)
    cadence_raise_pct: tuple[float, float] = (5.0, 10.0)  # Heiderscheit 2011: +5-10 % reduces loading
    pelvic_drop_watch_deg: float = 5.0  # Bramah et al. 2018 AJSM 46:3023: ≈4° uninjured vs 7-8° injured
    pelvic_drop_flag_deg: float = 7.0  # Bramah 2018 (approx.)
    hip_extension_watch_deg: float = 10.0  # proxy for hip-flexor tightness (approx., calibrate on real data)
    hip_extension_flag_deg: float = 5.0
    torso_rotation_watch_deg: float = 35.0  # no firm norm (METRICS.md); wide given ±10° uncertainty
    arm_crossover_watch_pct: float = 50.0  # wrists cross the midline in most strides

    # --- foot strike pattern (from the foot angle at landing, docs/CONVENTIONS.md) ---------------------------
    foot_strike_rearfoot_above_deg: float = 8.0  # heel first above this (Altman & Davis 2012, approx.)
    foot_strike_forefoot_below_deg: float = -1.6  # toes first below this (Altman & Davis 2012, approx.)

    # --- cleaning details (gait/kinematics/clean.py; project defaults, chosen on the synthetic runner and the corpus)
    # The length unit of the cleaning thresholds when no leg is ever seen: this fraction of the frame height (a
    # runner filling the frame has legs about a quarter of it).
    fallback_leg_frame_frac: float = 0.25
    outlier_half_window_s: float = 0.05  # glitch filter: half-width of the median window, s (±3 frames at 60 fps)
    outlier_min_half_window_frames: int = 2  # ...and at least this many frames either side (30 fps and below)
    outlier_leg_frac: float = 0.15  # a landmark this far (× leg length) from its neighbourhood is a glitch
    swap_flip_cost_leg_frac: float = 0.02  # prior cost of exchanging one frame's leg labels, × leg length
    # View from the body's width: (shoulder width + hip width) / 2 over the torso length, ≈ 0.05-0.25 side-on,
    # ≈ 0.6-0.9 from behind or in front, 0.3-0.5 an oblique camera.
    view_side_ratio_max: float = 0.45  # the side score is 0 at and above this width ratio
    view_side_ratio_ramp: float = 0.3  # ...and rises to 1 over this much below it
    view_side_min_score: float = 0.5  # a side score of at least this is a side view

    def __post_init__(self) -> None:
        from gait.core.setting_checks import check_config

        check_config(self)  # plausible ranges (gait.core.setting_checks), before any work

    def with_(self, **changes: Any) -> AnalysisConfig:
        """Return a copy with some fields changed."""
        return replace(self, **changes)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> AnalysisConfig:
        """The thresholds an analysis was run with, from the ``settings`` a report recorded (:meth:`to_dict`).

        A recorded value is taken only when it has its setting's kind (a number for a number, text for text, a
        list of numbers for a pair); anything else — a damaged or hand-edited report — keeps the default, and so
        does every setting when the recorded ones together are not valid.
        """
        default = cls()
        known: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in settings and _same_kind(settings[f.name], getattr(default, f.name)):
                v = settings[f.name]
                known[f.name] = tuple(v) if isinstance(v, list) else v
        try:
            return cls(**known)
        except (TypeError, ValueError):
            return default

    def to_dict(self) -> dict[str, Any]:
        """The settings as a plain dictionary (recorded in the report)."""
        return asdict(self)

    def cutoff_for(self, fps: float) -> float:
        """Low-pass cutoff (Hz) that respects the Nyquist limit at ``fps``."""
        return min(self.cutoff_hz, self.cutoff_max_nyquist_fraction * fps / 2.0)


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _same_kind(value: object, default: object) -> bool:
    """Whether a recorded setting can stand for one whose default is ``default``."""
    if default is None:
        return value is None or _is_number(value)
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        return _is_number(value)
    if isinstance(default, tuple):
        return isinstance(value, (list, tuple)) and len(value) == len(default) and all(map(_is_number, value))
    return isinstance(value, type(default))
