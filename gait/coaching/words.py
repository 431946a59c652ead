"""The words of the advice: the see-a-clinician and load advice on every report, each cue's evidence and drills.

Evidence texts hold ``{placeholders}`` for the thresholds they mention; :func:`evidence` fills them from the
config, so a text never restates a number that lives in :class:`~gait.core.config.AnalysisConfig` or the registry.
"""

from __future__ import annotations

from gait.core.config import AnalysisConfig
from gait.metrics.registry import REGISTRY

RED_FLAGS = (
    "See a clinician (doctor or physiotherapist) if you have numbness, tingling or pain down the leg, sharp or "
    "worsening pain, or back pain that does not improve after 1-2 weeks of rest and self-care. This analysis "
    "screens running form; it does not diagnose."
)
GRADUAL_LOAD = (
    "Change one thing at a time and build up gradually: increase weekly running by no more than about 10 % a "
    "week, and give a form change 4-6 weeks of short practice blocks."
)

EVIDENCE = {
    "run_tall": "Forward trunk lean changes loading of the back and hips; ≈5-10° is typical (Teng & Powers 2014, "
    "JOSPT 44:785). Threshold approx.",
    "lean_from_ankles": "Leaning from the waist rather than the ankles shifts load to the lower back (the article: "
    "'avoid leaning forward from the waist'). Threshold approx.",
    "land_under_hips": "Landing with the foot far ahead of the hips raises braking forces (Lieberman et al. 2015, "
    "J Exp Biol 218:3406); a near-vertical shin at contact is the coaching target (Souza 2016, PM&R Clin N Am "
    "27:217). Thresholds approx.",
    "increase_cadence": "Raising step rate {cadence_raise_pct} % shortens the stride and reduces hip and knee loading "
    "(Heiderscheit et al. 2011, MSSE 43:296). Relative to your own cadence, not a universal 180.",
    "pelvis_level": "Contralateral pelvic drop ≈4° in uninjured vs ≈7-8° in injured runners (Bramah et al. 2018, "
    "AJSM 46:3023). Thresholds approx.",
    "open_hips": "Little hip extension at toe-off is a visible proxy for tight hip flexors / anterior pelvic tilt "
    "(the model cannot see the pelvis itself). Threshold approx., to calibrate.",
    "quiet_upper_body": "Excess torso rotation and arms crossing the midline add twisting load on the lower back. "
    "No firm norm; torso rotation from one camera is uncertain by about ±{torso_rotation_resolution_deg}°.",
    "heel_strike": "Heel striking alone is not a fault: the evidence on strike pattern and injury is mixed. It "
    "matters together with overstriding (Altman & Davis 2012, Gait Posture 35:298).",
    "even_sides": "A left/right symmetry index above {asymmetry_flag_pct} % is worth a look (METRICS.md).",
    "good_form": "No measured value is past a screening line by more than the video can resolve.",
}

DRILLS = {
    "run_tall": (
        "Front and side planks, 3 × 30-45 s",
        "Dead bugs, 3 × 10 per side",
        "Bird dogs, 3 × 10 per side; cue: 'a string pulls the crown of your head up'",
    ),
    "lean_from_ankles": (
        "Wall lean drill: lean as one straight line from the ankles, then run off",
        "Hip hinge with a dowel along the spine, 2 × 10",
        "Front planks, 3 × 30-45 s",
    ),
    "land_under_hips": (
        "Metronome runs at +5 % cadence, 3 × 2 min",
        "Quick-feet drill: short, light steps",
        "Wall-drive or A-skip, landing under the hips",
    ),
    "increase_cadence": (
        "Metronome app set 5 % above your cadence for 1-2 min blocks",
        "Raise it to 10 % over several weeks if it feels natural",
    ),
    "pelvis_level": (
        "Glute bridges (single-leg when easy), 3 × 12",
        "Clamshells with a band, 3 × 15 per side",
        "Side planks, 3 × 30 s per side",
    ),
    "open_hips": (
        "Kneeling hip-flexor (lunge) stretch, 2 × 45 s per side after runs",
        "Couch stretch, 2 × 45 s",
        "Glute bridges to teach hip extension, 3 × 12",
    ),
    "quiet_upper_body": (
        "Arm swing drill: elbows at 90°, hands brush the hips front to back",
        "Pallof press (anti-rotation), 3 × 10 per side",
        "Thoracic rotation stretch on a foam roller",
    ),
    "heel_strike": ("No change needed for the strike itself; work on landing under the hips",),
    "even_sides": ("Single-leg drills on the weaker side (hops, step-ups), 3 × 10",),
    "good_form": ("Keep it up: keep core and glute work in your routine twice a week",),
}


def evidence(cid: str, c: AnalysisConfig) -> str:
    """The evidence line of cue ``cid`` with the thresholds of ``c`` filled in (:data:`EVIDENCE` holds
    ``{placeholders}`` rather than restating the numbers)."""
    lo, hi = c.cadence_raise_pct
    return EVIDENCE[cid].format(
        cadence_raise_pct=f"{lo:g}-{hi:g}",
        asymmetry_flag_pct=f"{c.asymmetry_flag_pct:g}",
        torso_rotation_resolution_deg=f"{REGISTRY['torso_rotation_deg'].resolution:g}",
    )
