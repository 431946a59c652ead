"""The ``gait`` command: parse, dispatch to the command, and turn every failure into one line and an exit status.

The commands live in :mod:`gait.cli.analyze` and :mod:`gait.cli.commands`, imported only when run: ``gait --help``
loads no SciPy, OpenCV, PyAV or MediaPipe.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence

from gait.cli.common import EXIT_USAGE_OR_INPUT, with_flags
from gait.cli.parser import build_parser
from gait.core.errors import GaitError, Terminated, one_line, os_error_message, stop_request, write_crash_log


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command (imported here, so that ``--help`` stays light)."""
    if args.command == "analyze":
        from gait.cli.analyze import analyze

        return analyze(args)
    from gait.cli import commands

    run = {
        "batch": commands.batch,
        "compare": commands.compare,
        "validate": commands.validate,
        "history": commands.history,
    }
    return run[args.command](args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gait`` command. Returns the exit status (2 for bad input)."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    args = build_parser().parse_args(argv)
    previous = _stop_on_sigterm()
    try:
        return _run(args)
    except GaitError as exc:
        print(f"gait: error: {with_flags(one_line(str(exc)))}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except OSError as exc:  # disk full, read-only, name too long, ...: which file, what, what to do
        print(f"gait: error: {one_line(os_error_message(exc))}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except (KeyboardInterrupt, Terminated) as exc:
        return _stopped(exc)
    except Exception as exc:  # last resort: one line and a log file with the traceback, never a traceback
        stop = stop_request(exc)  # a stop that Python wrapped on the way out (e.g. mid-import) is still a stop
        if stop is not None:
            return _stopped(stop)
        log = write_crash_log(exc, list(sys.argv[:1]) + list(argv if argv is not None else sys.argv[1:]))
        where = f"the details are in {log}" if log else "no log file could be written"
        print(
            f"gait: error: unexpected {type(exc).__name__}: {one_line(str(exc))[:300]} (a bug in gait; {where}; "
            "please report it with that file).",
            file=sys.stderr,
        )
        return EXIT_USAGE_OR_INPUT
    finally:
        _restore_sigterm(previous)
    return EXIT_USAGE_OR_INPUT


def _stopped(stop: KeyboardInterrupt | Terminated) -> int:
    """Say the run was stopped and return the conventional status: 130 for Ctrl-C, 143 for SIGTERM."""
    if isinstance(stop, Terminated):
        print("gait: stopped (SIGTERM); nothing half-written was left behind.", file=sys.stderr)
        return 143
    print("gait: interrupted; nothing half-written was left behind.", file=sys.stderr)
    return 130


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def _stop_on_sigterm() -> object:
    """Turn SIGTERM into :class:`Terminated` so every cleanup (workers, temp files) runs; the previous handler."""
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread (e.g. called from a test runner thread)
        return None


def _restore_sigterm(previous: object) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]
