"""Errors raised by ``gait``.

Every error carries a message that says what went wrong, with which file, and what the user can do about it.
The CLI prints ``str(error)`` on one line and exits with status 2; the app shows it as a friendly message.
"""

from __future__ import annotations


class GaitError(Exception):
    """Base class for every expected failure of an analysis (bad input, unusable footage)."""


class InputFileError(GaitError):
    """The input path is missing, a directory, empty, or otherwise not a readable file."""


class NotAVideoError(GaitError):
    """The file is not a video container PyAV can open, or has no video stream."""


class CorruptVideoError(GaitError):
    """The video opens but its frames cannot be decoded (truncated or damaged file)."""


class InputLimitError(GaitError):
    """The video exceeds a configured limit (duration, resolution, file size)."""


class ModelError(GaitError):
    """The pose model file is missing or fails its integrity check."""


class NoPersonError(GaitError):
    """No person was found in (enough of) the video."""


class InsufficientDataError(GaitError):
    """The footage does not hold enough usable strides for an analysis."""


class PoseFileError(GaitError):
    """A saved PoseSequence (``.npz``) is missing, damaged or of an unknown version."""
