"""Uploads go to a private temp folder under content-hash names; user file names never become paths."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gait.capture.uploads import private_dir, remove_dir, store_upload
from gait.core.errors import InputFileError


@pytest.mark.parametrize("name", ["../../etc/passwd.mp4", "/tmp/x/../../run.MOV", "a\\..\\..\\b.m4v", "run.webm"])
def test_names_never_escape_the_private_folder(name: str) -> None:
    root = private_dir()
    try:
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
        p = store_upload(b"\x00\x00\x00\x18ftypmp42" + b"x" * 100, name, root)
        assert p.parent == root and p.exists()
        assert ".." not in p.name and "/" not in p.name and "passwd" not in p.name
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
        assert [q.name for q in root.iterdir()] == [p.name]
    finally:
        remove_dir(root)
    assert not root.exists()


@pytest.mark.parametrize(("name", "data"), [("evil.exe", b"MZ"), ("run.mp4", b""), ("noext", b"data")])
def test_refused_uploads(name: str, data: bytes, tmp_path: Path) -> None:
    with pytest.raises(InputFileError):
        store_upload(data, name, tmp_path)


def test_same_content_same_file(tmp_path: Path) -> None:
    a = store_upload(b"abc", "one.mp4", tmp_path)
    b = store_upload(b"abc", "two.mp4", tmp_path)
    assert a == b
