"""What the CLI's commands share: the analysis settings from the arguments and a progress bar on stderr."""

from __future__ import annotations

import argparse
import sys

from gait.core.config import AnalysisConfig

EXIT_USAGE_OR_INPUT = 2


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.last = -1

    def __call__(self, stage: str, fraction: float) -> None:
        if not self.enabled:
            return
        pct = int(100 * fraction)
        if pct == self.last:
            return
        self.last = pct
        bar = "#" * (pct // 4)
        sys.stderr.write(f"\r{stage:<9} [{bar:<25}] {pct:3d}%")
        if fraction >= 1.0:
            sys.stderr.write("\n")
        sys.stderr.flush()


def config_from_args(args: argparse.Namespace) -> AnalysisConfig:
    """The analysis settings given on the command line (the defaults for the rest)."""
    return AnalysisConfig(
        view=args.view,
        height_cm=args.height_cm,
        belt_speed_kmh=args.belt_speed_kmh,
        capture_fps=args.capture_fps,
        model=args.model,
        max_people=args.max_people,
        engine=args.engine,
    )


#: Settings the report names in words, and how they are spelled on the command line.
FLAG_OF_WORDS = {
    "the runner's height": "--height-cm",
    "the treadmill belt speed": "--belt-speed-kmh",
    "the phone's capture rate": "--capture-fps",
    "the view set to automatic": "--view auto",
}


def with_flags(text: str) -> str:
    """``text`` (a reason or warning of the report, in words) with the command-line option after each setting it
    names: "needs the runner's height" → "needs the runner's height (--height-cm)".

    Parameters
    ----------
    text : words from the report, shared by the app, the PDF and the CLI.

    Returns
    -------
    str
        The same words, each setting followed by its option in brackets (once per setting).
    """
    for words, flag in FLAG_OF_WORDS.items():
        text = text.replace(words, f"{words} ({flag})", 1)
    return text
