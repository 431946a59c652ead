"""The cleaned pose: the type every stage after cleaning reads (NumPy only, so readers need not load SciPy)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gait.core.types import FloatArray, PoseSequence

Facing = Literal["left", "right"]


@dataclass(frozen=True)
class CleanPose:
    """A cleaned pose in a known frame, ready for event detection and metrics.

    ``pose`` holds the filtered landmarks (legs un-swapped). ``facing`` is the image direction the runner faces
    in side view; ``leg_length_px`` (hip→knee→ankle, median over frames) is the length unit without a height.
    """

    pose: PoseSequence
    raw: PoseSequence
    unfiltered_xy_px: FloatArray  # glitches removed, gaps filled, legs un-swapped, but not low-passed
    facing: Facing
    facing_confidence: float
    view: str
    view_confidence: float
    swaps_corrected: int
    swapped_frames: int
    leg_length_px: float
    px_per_cm: float | None
    cutoff_hz: float
    detected_pct: float
    detected_view: str = ""  # what the footage looks like, whatever view the user chose
    detected_view_confidence: float = 0.0

    @property
    def sign(self) -> float:
        """+1 when the runner faces image-right, −1 when facing left: multiply image x by it to get forward."""
        return 1.0 if self.facing == "right" else -1.0

    def forward(self, landmark: int | list[int]) -> FloatArray:
        """Forward position (px) of a landmark (mean of several) in the runner frame, relative to the image."""
        x = self.pose.image_xy_px[:, landmark, 0]
        return self.sign * (x.mean(axis=1) if x.ndim == 2 else x)

    def up(self, landmark: int | list[int]) -> FloatArray:
        """Height (px, up positive) of a landmark (mean of several)."""
        y = self.pose.image_xy_px[:, landmark, 1]
        return -(y.mean(axis=1) if y.ndim == 2 else y)
