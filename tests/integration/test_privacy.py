"""All processing is local: the analysis opens no network connection (sockets are blocked in the test)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.support.paths import TREADMILL, clip


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkUsed(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_network_block_works(no_network: None) -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))


@pytest.mark.slow
def test_analysis_opens_no_connection(no_network: None, tmp_path: Path) -> None:
    from gait import AnalysisConfig, analyze_pose
    from gait.capture.pose import extract_pose
    from gait.capture.probe import probe_video
    from gait.capture.video import iter_frames
    from gait.outputs.annotated_video import render_annotated
    from gait.outputs.files import write_outputs

    info = probe_video(clip(TREADMILL))
    pose = extract_pose(info, frames=iter_frames(info, max_side_px=640, end_s=4.0))
    report, clean = analyze_pose(pose, info, AnalysisConfig())
    write_outputs(report, tmp_path)
    assert report.activity == "running"
    render_annotated(report, clean, tmp_path / "a.mp4", max_side_px=320)
    assert (tmp_path / "a.mp4").stat().st_size > 0
