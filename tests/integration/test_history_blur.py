"""Key frames are stored in the history with the face blurred, whether or not the annotated outputs blur it."""

from __future__ import annotations

from pathlib import Path

from tests.support.caches import PoseCache
from tests.support.cli import analyse_ok
from tests.support.paths import TREADMILL, clip


def _stored_frames(db: Path) -> tuple[tuple[str, bytes], ...]:
    from gait.workflows.history import connect, load_session

    with connect(db) as conn:
        return load_session(conn, 1).key_frames


def test_history_key_frames_are_face_blurred(pose_cache: PoseCache, tmp_path: Path) -> None:
    video = clip(TREADMILL)
    runs = {}
    for name, extra in (("plain", ()), ("blurred", ("--blur-face",))):
        db = tmp_path / f"{name}.sqlite3"
        analyse_ok(video, tmp_path / name, "--athlete", "Sam", "--db", str(db), *extra, pose_cache=pose_cache)
        runs[name] = _stored_frames(db)
    assert runs["plain"], "no key frames were stored"
    assert runs["plain"] == runs["blurred"]  # without --blur-face the history still gets the blurred frames
