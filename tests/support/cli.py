"""The CLI as a user runs it: as a new process, or in this process with the same exit status and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.caches import PoseCache


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m gait.cli ARGS`` in a new process: its exit status, stdout and stderr. For the tests of the
    command itself (the README's command, exit statuses, signals, two runs at once); the others use
    :func:`run_cli_in_process`, which skips the ~2 s of interpreter start and imports."""
    return subprocess.run(
        [sys.executable, "-m", "gait.cli", *args], capture_output=True, text=True, timeout=600, cwd=cwd
    )


#: The warning filters of a fresh interpreter (``python -m gait.cli``): what a user of the command would see.
_DEFAULT_WARNING_FILTERS: tuple[tuple[str, type[Warning], str], ...] = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


def run_cli_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``gait ARGS`` run by :func:`gait.cli.entry.main` in this process, as :func:`run_cli` runs it in a new one: the
    same exit status, and everything written to stdout and stderr, from Python (``sys.stdout``) and from native
    code (file descriptors 1 and 2) alike, with the warning filters and environment of a fresh interpreter (the
    environment is restored afterwards)."""
    import contextlib
    import io
    import tempfile
    import warnings

    from gait.cli.entry import main

    py_out, py_err = io.StringIO(), io.StringIO()
    environ = dict(os.environ)
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as fd_out, tempfile.TemporaryFile() as fd_err:
        saved = os.dup(1), os.dup(2)
        os.dup2(fd_out.fileno(), 1)
        os.dup2(fd_err.fileno(), 2)
        try:
            with contextlib.redirect_stdout(py_out), contextlib.redirect_stderr(py_err), warnings.catch_warnings():
                warnings.resetwarnings()
                for action, category, module in reversed(_DEFAULT_WARNING_FILTERS):
                    warnings.filterwarnings(action, category=category, module=module)  # type: ignore[arg-type]
                try:
                    code = main(list(args))
                except SystemExit as exc:  # argparse's usage errors and --help
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                    if isinstance(exc.code, str):
                        print(exc.code, file=sys.stderr)
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            os.environ.clear()
            os.environ.update(environ)
        fd_out.seek(0)
        fd_err.seek(0)
        stdout = py_out.getvalue() + fd_out.read().decode(errors="replace")
        stderr = py_err.getvalue() + fd_err.read().decode(errors="replace")
    return subprocess.CompletedProcess(["gait", *args], code, stdout, stderr)


def analyse_ok(video: Path, out: Path, *extra: str, pose_cache: PoseCache | None = None) -> dict:
    """``gait analyze VIDEO --out OUT --quiet --no-video EXTRA`` succeeds (run in this process,
    :func:`run_cli_in_process`); its report. With ``pose_cache`` the pose comes from there when it holds one (see
    :meth:`PoseCache.cli`): the CLI runs every other stage."""
    args = ("--quiet", "--no-video", *extra)
    if pose_cache is None:
        proc = run_cli_in_process("analyze", str(video), "--out", str(out), *args)
    else:
        with pose_cache.cli(video, out, args):
            proc = run_cli_in_process("analyze", str(video), "--out", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads((out / "report.json").read_text())


def assert_clean_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit status 2 and one ``gait: error:`` line holding each needle (case-insensitive), no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("gait: error: ")
    assert "Traceback" not in proc.stderr + proc.stdout
    for needle in needles:
        assert needle.lower() in lines[0].lower(), lines[0]
