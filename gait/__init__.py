"""gait: running gait and posture analysis from phone video of a treadmill run.

Public API: :func:`analyze_video`, :func:`analyze_pose`, :class:`AnalysisConfig`, :class:`GaitReport`.

The names are imported on first use (:pep:`562`): ``gait --help``, a usage error or a worker process that needs
only one module do not pay for SciPy and MediaPipe, which :mod:`gait.pipeline` imports.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from gait.core.version import __version__

if TYPE_CHECKING:
    from gait.core.config import AnalysisConfig
    from gait.core.errors import GaitError
    from gait.core.types import GaitReport, PoseSequence
    from gait.pipeline import analyze_pose, analyze_video

#: Each public name and the module it comes from.
_PUBLIC = {
    "AnalysisConfig": "gait.core.config",
    "GaitError": "gait.core.errors",
    "analyze_pose": "gait.pipeline",
    "analyze_video": "gait.pipeline",
    "GaitReport": "gait.core.types",
    "PoseSequence": "gait.core.types",
}

__all__ = ["AnalysisConfig", "GaitError", "GaitReport", "PoseSequence", "__version__", "analyze_pose", "analyze_video"]


def __getattr__(name: str) -> Any:
    """The public name ``name``, imported from its module on first use (then kept in this module)."""
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
