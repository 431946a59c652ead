"""gait: running gait and posture analysis from phone video of a treadmill run.

Public API: :func:`analyze_video`, :func:`analyze_pose`, :class:`AnalysisConfig`, :class:`GaitReport`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from gait.config import AnalysisConfig
from gait.errors import GaitError
from gait.pipeline import analyze_pose, analyze_video
from gait.types import GaitReport, PoseSequence

__all__ = ["AnalysisConfig", "GaitError", "GaitReport", "PoseSequence", "__version__", "analyze_pose", "analyze_video"]
