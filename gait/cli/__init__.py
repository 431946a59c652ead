"""The command line: ``gait analyze``, ``validate``, ``batch``, ``compare``, ``history``.

:mod:`gait.cli.entry` parses the arguments and dispatches; :mod:`gait.cli.commands` holds the commands beyond
``analyze``. Importing this package is light: ``gait --help`` loads no SciPy, OpenCV, PyAV or MediaPipe.
"""

from gait.cli.entry import main

__all__ = ["main"]
