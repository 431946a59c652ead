"""Small numeric helpers shared by every stage (NumPy only)."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator


@contextlib.contextmanager
def quiet_nan_warnings() -> Iterator[None]:
    """Silence NumPy's all-NaN-slice and empty-mean warnings inside a block (all-NaN windows are expected)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield
