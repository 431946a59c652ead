"""A time limit never stops a module half-imported (that would break the module for the rest of the process)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from gait.capture.input_files import VideoTimeLimitError, can_time_limit, time_limit


@pytest.fixture
def slow_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A package (not yet imported) whose import takes 0.4 s in Python, with a submodule bound in its body, as
    MediaPipe's packages do."""
    name = f"slow_import_{time.monotonic_ns()}"
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "part.py").write_text("VALUE = 1\n")
    (pkg / "__init__.py").write_text(
        "import time\n"
        "end = time.monotonic() + 0.4\n"
        "while time.monotonic() < end:\n"
        "    pass\n"
        f"import {name}.part\n"
        "part = part\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def test_a_limit_running_out_during_an_import_waits_for_it(slow_module: str) -> None:
    if not can_time_limit():
        pytest.skip("SIGALRM time limits need the main thread of a POSIX process")
    started = time.monotonic()
    with pytest.raises(VideoTimeLimitError, match=r"time limit of 0\.1 s"), time_limit(0.1, "clip.mp4"):
        __import__(slow_module)
        while time.monotonic() < started + 5.0:  # the work after the import is stopped
            pass
    assert time.monotonic() - started < 2.0
    module = sys.modules[slow_module]  # imported whole: importable again, its parts bound
    assert module.part.VALUE == 1
    assert __import__(slow_module).part.VALUE == 1


def test_a_limit_stops_work_that_runs_past_it() -> None:
    if not can_time_limit():
        pytest.skip("SIGALRM time limits need the main thread of a POSIX process")
    started = time.monotonic()
    with pytest.raises(VideoTimeLimitError), time_limit(0.1, "clip.mp4"):
        while time.monotonic() < started + 5.0:
            pass
    assert time.monotonic() - started < 1.0
