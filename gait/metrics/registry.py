"""The metric registry: one :class:`MetricSpec` per reported metric, the single place for what a metric *is*.

Report, CSV, CLI summary, app, PDF, compare, batch summary and feedback all read these specs: the human label,
unit and display precision, the views that support the metric, what it needs from the footage, which direction
is better, the camera's measurement resolution (used for "same" in compare and for cue margins), the typical
range and screening limits (read from :class:`~gait.config.AnalysisConfig`), a one-sentence explanation and
its reference. Machine names (``cadence_spm``) stay in ``report.json``; people see :attr:`MetricSpec.label`.

Adding a metric: its compute function (``gait/metrics/spatiotemporal.py`` or ``posture.py``), its entry here,
and its test (``tests/unit/test_metrics_synthetic.py`` or ``test_posture_synthetic.py``); see
``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from gait.config import AnalysisConfig

View = Literal["side", "rear", "front"]
# level_camera: an angle against the picture's vertical, so only as right as the phone is level.
Need = Literal["real_time", "scale", "feet", "belt_speed", "depth", "level_camera"]
Better = Literal["lower", "higher", "band", "none"]
Zone = Literal["ok", "watch", "flag", ""]

SIDE: frozenset[View] = frozenset({"side"})
FRONTAL: frozenset[View] = frozenset({"rear", "front"})
ANY: frozenset[View] = frozenset({"side", "rear", "front"})


@dataclass(frozen=True)
class Limits:
    """Screening limits of one metric (from :class:`AnalysisConfig`).

    ``better="lower"``: watch at ``watch`` or above, flag at ``flag`` or above. ``"higher"``: watch at or
    below ``watch``, flag at or below ``flag``. ``"band"``: ok inside ``[low, high]``, watch outside.
    """

    better: Better
    watch: float = math.nan
    flag: float = math.nan
    low: float = math.nan
    high: float = math.nan


@dataclass(frozen=True)
class MetricSpec:
    """Everything the product knows about one metric apart from how it is computed."""

    name: str
    label: str
    unit: str  # machine unit, as in report.json
    display_unit: str  # what people read after the number ("°", "steps/min")
    precision: int  # decimals shown to people
    views: frozenset[View]
    needs: frozenset[Need]
    better: Better
    resolution: float  # smallest difference a phone camera resolves, in ``unit`` (approx.)
    typical: tuple[float, float] | None  # typical range in ``unit`` where a source gives one
    typical_template: str  # the typical range as people read it; ``{field}`` is an AnalysisConfig threshold
    explanation: str  # one plain sentence
    reference: str
    signed: bool = False  # signed angle: left/right differ in degrees, never as a percentage
    validated: bool = True  # False: measured but not validated: withheld from the summary, never drives a cue
    unvalidated_reason: str = ""  # why an unvalidated metric is withheld, for people
    computed_in: str = "spatiotemporal"  # the module of gait/metrics that computes it per stride
    headline: bool = False  # shown in summary cards and the PDF's headline row
    summary: bool = False  # a column of batch's summary.csv

    def format(self, value: float | None, with_unit: bool = True) -> str:
        """The value as people read it ("168.5 steps/min", "7°"); "—" when missing."""
        if value is None or not math.isfinite(value):
            return "—"
        text = f"{value:.{self.precision}f}"
        if text.startswith("-") and float(text) == 0.0:
            text = text[1:]
        if not with_unit or not self.display_unit:
            return text
        sep = "" if self.display_unit in ("°", "%") else " "
        return f"{text}{sep}{self.display_unit}"

    @property
    def typical_text(self) -> str:
        """The typical range as people read it, with the default thresholds."""
        return self.typical_for(None)

    def typical_for(self, config: AnalysisConfig | None) -> str:
        """The typical range as people read it, with the thresholds of ``config`` (defaults when None)."""
        if "{" not in self.typical_template:
            return self.typical_template
        values = (config or AnalysisConfig()).to_dict()
        return self.typical_template.format_map({k: _number(v) for k, v in values.items()})

    def in_typical(self, value: float | None) -> bool | None:
        """True inside the typical range, False outside, None when there is no range or no value."""
        if self.typical is None or value is None or not math.isfinite(value):
            return None
        lo, hi = self.typical
        return lo <= value <= hi


def _number(v: object) -> str:
    """A threshold as people read it: no trailing zeros, a real minus sign."""
    return f"{v:g}".replace("-", "−") if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _spec(
    name: str,
    label: str,
    unit: str,
    display_unit: str,
    precision: int,
    views: frozenset[View],
    needs: tuple[Need, ...],
    better: Better,
    resolution: float,
    typical: tuple[float, float] | None,
    typical_template: str,
    explanation: str,
    reference: str,
    **flags: bool | str,
) -> MetricSpec:
    return MetricSpec(
        name,
        label,
        unit,
        display_unit,
        precision,
        views,
        frozenset(needs),
        better,
        resolution,
        typical,
        typical_template,
        explanation,
        reference,
        **flags,  # type: ignore[arg-type]
    )


_SPECS: tuple[MetricSpec, ...] = (
    # --- timing -----------------------------------------------------------------------------------------------
    _spec(
        "cadence_spm",
        "Cadence",
        "steps/min",
        "steps/min",
        0,
        ANY,
        ("real_time",),
        "band",
        2.0,
        (160.0, 175.0),
        "160-175 recreational easy pace",
        "Steps per minute, both feet counted.",
        "Heiderscheit et al. 2011, MSSE 43:296",
        headline=True,
        summary=True,
    ),
    _spec(
        "step_time_s",
        "Step time",
        "s",
        "s",
        3,
        ANY,
        ("real_time",),
        "none",
        0.01,
        (0.34, 0.38),
        "0.34-0.38 s",
        "Time from one foot's landing to the other foot's landing.",
        "derived from cadence",
    ),
    _spec(
        "ground_contact_time_ms",
        "Ground contact time",
        "ms",
        "ms",
        0,
        SIDE,
        ("real_time", "feet"),
        "none",
        15.0,
        (200.0, 300.0),
        "200-300 ms recreational",
        "How long each foot stays on the belt, landing to push-off.",
        "Moore 2016, Sports Med 46:793",
        headline=True,
        summary=True,
    ),
    _spec(
        "flight_time_ms",
        "Flight time",
        "ms",
        "ms",
        0,
        SIDE,
        ("real_time", "feet"),
        "none",
        15.0,
        (50.0, 150.0),
        "50-150 ms running",
        "Time with both feet off the belt between steps.",
        "Moore 2016, Sports Med 46:793",
    ),
    _spec(
        "duty_factor",
        "Duty factor",
        "ratio",
        "",
        2,
        SIDE,
        ("real_time", "feet"),
        "none",
        0.03,
        None,
        "below 0.5 running, above 0.5 walking",
        "Share of the stride each foot spends on the ground.",
        "Novacheck 1998, Gait Posture 7:77",
    ),
    _spec(
        "step_length_m",
        "Step length",
        "m",
        "m",
        2,
        SIDE,
        ("real_time", "belt_speed"),
        "none",
        0.05,
        None,
        "—",
        "Belt distance covered per step (belt speed × step time).",
        "derived from belt speed and cadence",
    ),
    # --- landing ----------------------------------------------------------------------------------------------
    _spec(
        "overstride_cm",
        "Overstride",
        "cm",
        "cm",
        0,
        SIDE,
        ("feet", "scale"),
        "lower",
        2.0,
        None,
        "small; landing well ahead of the hips brakes",
        "How far ahead of the hips the heel lands.",
        "Lieberman et al. 2015, J Exp Biol 218:3406",
    ),
    _spec(
        "overstride_leg_pct",
        "Overstride (% leg length)",
        "% leg length",
        "% of leg",
        0,
        SIDE,
        ("feet",),
        "lower",
        2.0,
        None,
        "small; watch at {overstride_watch_leg_pct} % or more (approx.)",
        "How far ahead of the hips the heel lands, as a share of leg length.",
        "Lieberman et al. 2015, J Exp Biol 218:3406",
        headline=True,
        summary=True,
    ),
    _spec(
        "shank_angle_at_contact_deg",
        "Shin angle at landing",
        "deg",
        "°",
        0,
        SIDE,
        ("feet", "level_camera"),
        "lower",
        2.0,
        (0.0, 8.0),
        "near vertical; watch {shank_angle_watch_deg}°+, flag {shank_angle_flag_deg}°+ (approx.)",
        "How far the shin tilts forward from vertical when the foot lands; vertical is the target.",
        "Souza 2016, PM&R Clin N Am 27:217",
        signed=True,
        headline=True,
        summary=True,
    ),
    _spec(
        "foot_strike_angle_deg",
        "Foot angle at landing",
        "deg",
        "°",
        0,
        SIDE,
        ("feet",),
        "none",
        3.0,
        None,
        "heel first above {foot_strike_rearfoot_above_deg}°, midfoot {foot_strike_forefoot_below_deg} to "
        "{foot_strike_rearfoot_above_deg}°, forefoot below {foot_strike_forefoot_below_deg}° (approx.)",
        "Angle of the foot to the belt at landing: positive when the toes are up (heel first).",
        "Altman & Davis 2012, Gait Posture 35:298",
        signed=True,
        summary=True,
    ),
    _spec(
        "knee_flexion_at_contact_deg",
        "Knee bend at landing",
        "deg",
        "°",
        0,
        SIDE,
        ("feet",),
        "none",
        3.0,
        (15.0, 25.0),
        "15-25° (approx.)",
        "How bent the knee is when the foot lands.",
        "Novacheck 1998, Gait Posture 7:77",
    ),
    _spec(
        "knee_flexion_midstance_deg",
        "Peak knee bend in stance",
        "deg",
        "°",
        0,
        SIDE,
        ("feet",),
        "none",
        3.0,
        (40.0, 45.0),
        "40-45° (approx.)",
        "The most the knee bends while the foot is on the belt.",
        "Novacheck 1998, Gait Posture 7:77",
    ),
    _spec(
        "vertical_oscillation_cm",
        "Vertical bounce",
        "cm",
        "cm",
        1,
        SIDE,
        ("scale",),
        "lower",
        1.0,
        (6.0, 10.0),
        "6-10 cm (approx.)",
        "How far the hips rise and fall with each step.",
        "Moore 2016, Sports Med 46:793",
    ),
    _spec(
        "vertical_oscillation_leg_pct",
        "Vertical bounce (% leg length)",
        "% leg length",
        "% of leg",
        1,
        SIDE,
        (),
        "lower",
        1.0,
        (7.0, 12.0),
        "7-12 % of leg length (approx.)",
        "How far the hips rise and fall with each step, as a share of leg length.",
        "Moore 2016, Sports Med 46:793",
        summary=True,
    ),
    # --- posture ----------------------------------------------------------------------------------------------
    _spec(
        "trunk_lean_deg",
        "Trunk lean",
        "deg",
        "°",
        0,
        SIDE,
        ("level_camera",),
        "band",
        2.0,
        (5.0, 10.0),
        "5-10° forward; flag above {trunk_lean_flag_deg}° or leaning back (approx.)",
        "Forward tilt of the line from hips to shoulders, averaged over the stride.",
        "Teng & Powers 2014, JOSPT 44:785",
        signed=True,
        headline=True,
        summary=True,
        computed_in="posture",
    ),
    _spec(
        "trunk_lean_at_contact_deg",
        "Trunk lean at landing",
        "deg",
        "°",
        0,
        SIDE,
        ("level_camera",),
        "none",
        2.0,
        (5.0, 10.0),
        "5-10° (approx.)",
        "Forward tilt of the trunk when the foot lands.",
        "Teng & Powers 2014, JOSPT 44:785",
        signed=True,
        computed_in="posture",
    ),
    _spec(
        "trunk_lean_midstance_deg",
        "Trunk lean at midstance",
        "deg",
        "°",
        0,
        SIDE,
        ("level_camera",),
        "none",
        2.0,
        (5.0, 10.0),
        "5-10° (approx.)",
        "Forward tilt of the trunk when the body passes over the foot.",
        "Teng & Powers 2014, JOSPT 44:785",
        signed=True,
        computed_in="posture",
    ),
    _spec(
        "waist_bend_deg",
        "Bend at the waist",
        "deg",
        "°",
        0,
        SIDE,
        (),
        "lower",
        2.0,
        None,
        "{waist_bend_flag_deg}° or less (approx.)",
        "How much the upper body folds forward at the hips on top of the whole-body lean.",
        "screening default (approx.)",
        signed=True,
        computed_in="posture",
    ),
    _spec(
        "hip_extension_deg",
        "Hip extension at push-off",
        "deg",
        "°",
        0,
        SIDE,
        ("feet",),
        "higher",
        3.0,
        None,
        "{hip_extension_watch_deg}° or more; low values suggest tight hip flexors (approx.)",
        "How far the thigh swings behind the trunk line at push-off (a visible proxy for hip-flexor tightness).",
        "screening default (approx., to calibrate)",
        signed=True,
        computed_in="posture",
    ),
    _spec(
        "pelvic_drop_deg",
        "Pelvic drop",
        "deg",
        "°",
        1,
        FRONTAL,
        (),
        "lower",
        1.5,
        (0.0, 5.0),
        "about 4° uninjured; watch {pelvic_drop_watch_deg}°+, flag {pelvic_drop_flag_deg}°+ (approx.)",
        "How far the hip of the swinging leg drops during stance, seen from behind.",
        "Bramah et al. 2018, AJSM 46:3023",
        signed=True,
        headline=True,
        summary=True,
        computed_in="posture",
    ),
    _spec(
        "arm_crossover_pct",
        "Arms crossing the midline",
        "% of strides",
        "% of strides",
        0,
        FRONTAL,
        (),
        "lower",
        10.0,
        (0.0, 0.0),
        "0 % ideal",
        "Share of strides in which a hand swings across the body's midline.",
        "screening default (approx.)",
        computed_in="posture",
    ),
    _spec(
        "torso_rotation_deg",
        "Torso rotation",
        "deg",
        "°",
        0,
        ANY,
        ("depth",),
        "lower",
        10.0,
        None,
        "no firm norm",
        "Twist of the shoulders against the hips (needs depth, which one camera only guesses).",
        "no validated single-camera method",
        validated=False,
        unvalidated_reason="not measured: one camera cannot see how far the shoulders twist against the hips (their "
        "depth is guessed); film from above or use a second camera",
        computed_in="posture",
    ),
)

#: name → spec, in display order.
REGISTRY: dict[str, MetricSpec] = {s.name: s for s in _SPECS}
#: Metrics whose values are timed by the clip's clock (withheld for unflagged slow motion).
TIME_METRICS = tuple(s.name for s in _SPECS if "real_time" in s.needs)
#: Metrics shown first (summary cards, the PDF's headline row).
HEADLINE = tuple(s.name for s in _SPECS if s.headline)
#: Columns of batch's summary.csv.
SUMMARY_METRICS = tuple(s.name for s in _SPECS if s.summary)
#: Metrics timed within one stance (landing to push-off): accurate to ±1 frame.
CONTACT_TIME_METRICS = tuple(s.name for s in _SPECS if {"real_time", "feet"} <= s.needs)
#: Angles against the picture's vertical: off by as much as the phone is rolled.
VERTICAL_REFERENCED = tuple(s.name for s in _SPECS if "level_camera" in s.needs)
#: Lengths in cm → their leg-length counterpart, used when no height is given.
LENGTH_CM = {"overstride_cm": "overstride_leg_pct", "vertical_oscillation_cm": "vertical_oscillation_leg_pct"}


def spec(name: str) -> MetricSpec:
    """The spec of ``name``; a :class:`KeyError` names the metric when it is unknown."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}; known: {', '.join(REGISTRY)}") from None


def label(name: str) -> str:
    """Human label of a metric name (the name itself for an unknown one)."""
    s = REGISTRY.get(name)
    return s.label if s else name.replace("_", " ")


def format_value(name: str, value: float | None, with_unit: bool = True) -> str:
    """``value`` of metric ``name`` as people read it."""
    s = REGISTRY.get(name)
    if s is None:
        return "—" if value is None or not math.isfinite(value) else f"{value:g}"
    return s.format(value, with_unit)


def metrics_for_view(view: str) -> tuple[str, ...]:
    """Names of the metrics a view supports."""
    return tuple(s.name for s in _SPECS if view in s.views)


def unsupported_by_view(view: str) -> tuple[str, ...]:
    """Names of the metrics a view cannot show."""
    return tuple(s.name for s in _SPECS if view not in s.views)


def limits(name: str, c: AnalysisConfig) -> Limits | None:
    """Screening limits of ``name`` from the config (None for a metric without a screening rule)."""
    table: dict[str, Limits] = {
        "overstride_leg_pct": Limits("lower", c.overstride_watch_leg_pct, math.inf),
        "shank_angle_at_contact_deg": Limits("lower", c.shank_angle_watch_deg, c.shank_angle_flag_deg),
        "waist_bend_deg": Limits("lower", c.waist_bend_flag_deg, 2 * c.waist_bend_flag_deg),
        "pelvic_drop_deg": Limits("lower", c.pelvic_drop_watch_deg, c.pelvic_drop_flag_deg),
        "arm_crossover_pct": Limits("lower", c.arm_crossover_watch_pct, math.inf),
        "hip_extension_deg": Limits("higher", c.hip_extension_watch_deg, c.hip_extension_flag_deg),
        "trunk_lean_deg": Limits(
            "band", c.trunk_lean_watch_deg, c.trunk_lean_flag_deg, c.trunk_lean_min_deg, c.trunk_lean_watch_deg
        ),
        "cadence_spm": Limits("band", low=c.cadence_low_spm, high=math.inf),
    }
    return table.get(name)


def zone(name: str, value: float | None, c: AnalysisConfig) -> Zone:
    """Screening zone of a value: ok, watch or flag ("" without limits or value)."""
    lim = limits(name, c)
    if lim is None or value is None or not math.isfinite(value):
        return ""
    if lim.better == "lower":
        return "flag" if value >= lim.flag else "watch" if value >= lim.watch else "ok"
    if lim.better == "higher":
        return "flag" if value <= lim.flag else "watch" if value <= lim.watch else "ok"
    if name == "trunk_lean_deg" and value > lim.flag:
        return "flag"
    return "ok" if lim.low <= value <= lim.high else "watch"


def zone_clear_of_noise(name: str, value: float | None, c: AnalysisConfig) -> Zone:
    """The zone of ``value`` moved by the metric's resolution towards the benign side: the zone the camera can
    vouch for. A value whose raw :func:`zone` is watch or flag but whose margined zone is ok sits within the
    measurement resolution of its threshold (borderline), and no cue fires on it."""
    lim = limits(name, c)
    if lim is None or value is None or not math.isfinite(value):
        return ""
    r = spec(name).resolution
    if lim.better == "lower":
        moved = value - r
    elif lim.better == "higher":
        moved = value + r
    else:
        moved = value - r if value > lim.high else value + r if value < lim.low else value
    return zone(name, moved, c)
