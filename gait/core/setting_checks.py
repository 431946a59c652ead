"""Plausible ranges of every user setting, checked before any work (CLI, app and Python API alike).

An absurd setting (a height of 1e9 cm, a belt at 1000 km/h) would otherwise give confident nonsense marked
"good"; each is refused with its range in the message.
"""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Any

from gait.core.errors import GaitError

#: setting → (lowest, highest, unit, what to give); both ends included
RANGES: dict[str, tuple[float, float, str, str]] = {
    "height_cm": (100.0, 230.0, "cm", "the runner's standing height in centimetres"),
    "belt_speed_kmh": (3.0, 30.0, "km/h", "the treadmill's belt speed in km/h"),
    "capture_fps": (60.0, 1000.0, "fps", "the phone's slow-motion capture rate, e.g. 120 or 240"),
    "max_people": (1, 3, "people", "how many people the pose model tracks at once"),
    "slow_factor": (1.0, 16.0, "x", "how many times slower the slowed copy plays, e.g. 4"),
}
VIEWS = ("auto", "side", "rear", "front")


class SettingError(GaitError, ValueError):
    """A setting is outside its plausible range (also a ValueError for Python API callers)."""


def option_name(setting: str) -> str:
    """The CLI spelling of a setting (``height_cm`` → ``--height-cm``)."""
    return "--" + {"slow_factor": "slow"}.get(setting, setting).replace("_", "-")


def check_range(setting: str, value: Any) -> float:
    """``value`` as a number when it lies in the plausible range of ``setting``.

    Raises
    ------
    SettingError
        Not a finite number, or outside the range; the message gives the range and the unit.
    """
    lo, hi, unit, what = RANGES[setting]
    name = option_name(setting)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingError(f"{name} {value!r} is not a number; give {what} ({lo:g}-{hi:g} {unit}).")
    v = float(value)
    if not math.isfinite(v) or not lo <= v <= hi:
        raise SettingError(f"{name} {value!r} is outside the plausible range {lo:g}-{hi:g} {unit}; give {what}.")
    if isinstance(lo, int) and v != int(v):
        raise SettingError(f"{name} {value!r} must be a whole number from {lo} to {hi}.")
    return v


#: the pose capture engines (gait/capture/pose.py, gait/capture/tracking.py)
ENGINES = ("mediapipe", "litert")


def check_config(config: Any) -> None:
    """Check every user setting of ``config`` against its range, and every threshold is a finite number.

    Raises
    ------
    SettingError
    """
    if config.view not in VIEWS:
        raise SettingError(f"--view {config.view!r} is not one of {', '.join(VIEWS)}.")
    if not isinstance(config.model, str) or not config.model.strip():
        raise SettingError("--model is empty; give lite, full, heavy or the path of a .task file.")
    for setting in ("height_cm", "belt_speed_kmh", "capture_fps"):
        value = getattr(config, setting)
        if value is not None:
            check_range(setting, value)
    check_range("max_people", config.max_people)
    if config.engine not in ENGINES:
        raise SettingError(f"--engine {config.engine!r} is not one of {', '.join(ENGINES)}.")
    if isinstance(config.detect_every_frames, bool) or not isinstance(config.detect_every_frames, int):
        raise SettingError(f"detect_every_frames {config.detect_every_frames!r} is not a whole number of frames.")
    if not 1 <= config.detect_every_frames <= 300:
        raise SettingError(f"detect_every_frames {config.detect_every_frames} is outside 1-300 frames.")
    for f in fields(config):
        value = getattr(config, f.name)
        if isinstance(value, float) and not math.isfinite(value):
            raise SettingError(f"the setting {f.name} is {value}; give a finite number.")


def check_workers(workers: int | None, cores: int, option: str = "--workers") -> int | None:
    """``workers`` capped at ``cores`` (None stays None: the default, all cores).

    Raises
    ------
    SettingError
        Fewer than 1, or not a whole number.
    """
    if workers is None:
        return None
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise SettingError(f"{option} {workers!r}: give a whole number of processes from 1 to {cores} (the cores).")
    return min(workers, cores)
