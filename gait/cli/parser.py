"""The ``gait`` command's arguments: every option, its type and its plausible range (checked while parsing)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def _positive(kind: type[float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
        return value

    return parse


def _in_range(setting: str) -> Callable[[str], float]:
    """An argparse type: a number within the plausible range of ``setting``
    (:data:`gait.core.setting_checks.RANGES`)."""
    from gait.core.setting_checks import RANGES, SettingError, check_range

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            lo, hi, unit, _ = RANGES[setting]
            raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0 (plausible: {lo:g}-{hi:g} {unit})")
        try:
            return check_range(setting, value)
        except SettingError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _session_id(text: str) -> int:
    """A history session id: a whole number that SQLite can hold."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a session id (a whole number)") from None
    if not 1 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{text!r} is not a session id; `gait history list` shows the saved ones")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gait`` command."""
    p = argparse.ArgumentParser(prog="gait", description="Running gait and posture analysis from phone video.")
    sub = p.add_subparsers(dest="command", required=True)
    _analyze_args(sub.add_parser("analyze", help="analyse one treadmill video"))
    b = sub.add_parser("batch", help="analyse many videos (a folder or a quoted glob); resumes where it stopped")
    b.add_argument("videos", help="folder of videos, or a quoted pattern such as 'clips/*.mp4'")
    b.add_argument("--out", required=True, help="output folder: one sub-folder per video and summary.csv")
    _settings_args(b)
    b.add_argument("--processes", type=int, default=None, help="local worker processes (default: available cores)")
    b.add_argument("--scheduler", help="run on a Dask cluster instead, e.g. tcp://10.0.0.5:8786")
    b.add_argument("--pdf", action="store_true", help="also write a PDF handout (report.pdf) per video")
    b.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="SECONDS",
        help="most seconds for one video on a local worker (default 1800); past it, that video is an error row",
    )
    b.add_argument("--quiet", action="store_true", help="no progress bar")

    v = sub.add_parser("validate", help="compare detected events with hand labels or a lab reference")
    v.add_argument("video", help="the labelled video")
    v.add_argument("--labels", required=True, help="labels JSON (events with kind and frame; see docs/ACCURACY.md)")
    v.add_argument("--out", help="folder to cache the pose in (pose.npz) and write report.json")
    _settings_args(v)
    v.add_argument("--quiet", action="store_true", help="no progress bar")

    c = sub.add_parser("compare", help="compare two sessions of one athlete (history ids or report.json paths)")
    c.add_argument("before", help="earlier session: history id or report.json")
    c.add_argument("after", help="later session: history id or report.json")
    _db_arg(c)

    h = sub.add_parser("history", help="list, show, export, delete or erase saved sessions")
    hs = h.add_subparsers(dest="action", required=True)
    hl = hs.add_parser("list", help="saved sessions (of one athlete with --athlete)")
    hl.add_argument("--athlete")
    _db_arg(hl)
    for name, text in (("show", "print a saved session"), ("delete", "delete a saved session")):
        x = hs.add_parser(name, help=text)
        x.add_argument("id", type=_session_id)
        _db_arg(x)
    hp = hs.add_parser("pdf", help="write a saved session's PDF handout")
    hp.add_argument("id", type=_session_id)
    hp.add_argument("--out", required=True, help="the .pdf to write")
    _db_arg(hp)
    he = hs.add_parser("erase", help="erase an athlete: every session, key frame and kept pose, unrecoverably")
    he.add_argument("athlete", help="the athlete's name or ID as saved")
    _db_arg(he)
    hx = hs.add_parser("export", help="export all of an athlete's data (reports, PDFs, a JSON of everything)")
    hx.add_argument("athlete", help="the athlete's name or ID as saved")
    hx.add_argument("--out", required=True, help="the folder to write into")
    _db_arg(hx)
    return p


def _analyze_args(a: argparse.ArgumentParser) -> None:
    """The arguments of ``gait analyze``."""
    a.add_argument("video", help="video file (mp4, mov, m4v, avi, webm)")
    a.add_argument("--out", required=True, help="output folder for report.json, metrics.csv, pose.npz")
    _settings_args(a)
    a.add_argument("--workers", type=int, default=None, help="processes for pose (default: available cores)")
    a.add_argument("--no-cache", action="store_true", help="re-run pose even if OUT/pose.npz exists")
    a.add_argument("--events", help="score these events instead of the detected ones (labels JSON or a report.json)")
    a.add_argument("--reviewed-by", help="with --events: who reviewed the events (named in the report and the PDF)")
    a.add_argument(
        "--key-frame", type=int, help="the contact frame to show in the PDF for that foot (default: a typical one)"
    )
    a.add_argument("--rear", help="a rear-view clip of the same run: one report from both views")
    a.add_argument("--no-video", action="store_true", help="skip the annotated video (annotated.mp4)")
    a.add_argument(
        "--slow", type=_in_range("slow_factor"), default=None, help="also write a slowed copy, e.g. 4 = 0.25x"
    )
    a.add_argument("--blur-face", action="store_true", help="pixelate the runner's face in the annotated video")
    a.add_argument("--pdf", action="store_true", help="also write report.pdf, a one-to-two-page client handout")
    a.add_argument("--athlete", help="save the analysis to the history under this athlete name or ID")
    a.add_argument("--date", help="date of the run for the history (YYYY-MM-DD, default today)")
    a.add_argument("--notes", default="", help="notes saved with the session")
    _db_arg(a)
    a.add_argument("--quiet", action="store_true", help="no progress bar")


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="history file (default: $GAIT_HISTORY or ~/.local/share/gait/history.sqlite3)")


def _settings_args(a: argparse.ArgumentParser) -> None:
    a.add_argument("--view", choices=["auto", "side", "rear", "front"], default="auto")
    a.add_argument("--height-cm", type=_in_range("height_cm"), help="runner height (100-230), for lengths in cm")
    a.add_argument("--belt-speed-kmh", type=_in_range("belt_speed_kmh"), help="treadmill speed (3-30), for step length")
    a.add_argument("--capture-fps", type=_in_range("capture_fps"), help="capture rate of a slow-motion clip (120, 240)")
    a.add_argument("--model", default="full", help="pose model: lite, full (default), heavy, or a .task path")
    a.add_argument(
        "--max-people",
        type=int,
        choices=[1, 2, 3],
        default=2,
        help="people tracked at once (1 is ~40%% faster when the runner is alone in view)",
    )
    a.add_argument(
        "--engine",
        choices=["mediapipe", "litert"],
        default="mediapipe",
        help="pose capture: MediaPipe Tasks, or our own loop on the same models with LiteRT (upright crops)",
    )
