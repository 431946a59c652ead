"""Light imports: what only reads reports or prints help loads no SciPy, OpenCV, PyAV, MediaPipe or ReportLab.

Each case runs in a fresh interpreter (``sys.modules`` of this one is full), then lists the heavy modules loaded.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("scipy", "cv2", "av", "mediapipe", "reportlab", "ai_edge_litert", "matplotlib", "streamlit")

CASES = {
    "import gait": "import gait",
    "the registry": "import gait.metrics.registry",
    "the metric spec": "import gait.metrics.spec",
    "the report types": "import gait.core.types",
    "the cleaned pose type": "import gait.kinematics.cleaned",
    "compare": "import gait.workflows.compare",
    "the CLI's --help": (
        "import contextlib, io\n"
        "from gait.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['compare', '--help'])"
    ),
}


def heavy_modules_after(code: str) -> list[str]:
    """The heavy top-level modules in ``sys.modules`` after running ``code`` in a new interpreter."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    return done.stdout.split()


@pytest.mark.parametrize("case", list(CASES))
def test_loads_no_heavy_library(case: str) -> None:
    assert heavy_modules_after(CASES[case]) == []


def test_the_probe_sees_a_heavy_import() -> None:
    """The check can fail: importing the cleaning stage (SciPy's filters) is seen."""
    assert "scipy" in heavy_modules_after("import gait.kinematics.clean")
