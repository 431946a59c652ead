"""Refresh the README's pictures: copy the browser tests' latest screenshots into ``docs/screenshots/``.

The test suite never writes a tracked file: the browser tests save into ``test-artifacts/screenshots/``. After a
run of ``python -m pytest tests/app``, look at them, then run ``python -m tests.app.refresh_screenshots``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "test-artifacts" / "screenshots"
TARGET = ROOT / "docs" / "screenshots"


def main() -> int:
    """Copy every PNG of the last browser run into docs/screenshots/; 1 when there is none."""
    shots = sorted(SOURCE.glob("*.png"))
    if not shots:
        print(f"no screenshots in {SOURCE}: run python -m pytest tests/app first", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        shutil.copy2(shot, TARGET / shot.name)
        print(f"{TARGET / shot.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
