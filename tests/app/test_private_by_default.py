"""Private by default: the app started exactly as the README says listens on loopback only, and started on
another address without sign-in it shows no athlete data, only how to configure sign-in."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import ROOT

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
LISTEN = "0A"  # TCP state in /proc/net/tcp


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _address(hex_ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An address as /proc/net/tcp{,6} writes it (each 32-bit word in host order, little-endian here)."""
    raw = bytes.fromhex(hex_ip)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return ipaddress.ip_address(words)


def listening_addresses(port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address with a socket listening on ``port`` (all processes), from /proc/net/tcp and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            ip_hex, port_hex = fields[1].split(":")
            if fields[3] == LISTEN and int(port_hex, 16) == port:
                found.append(_address(ip_hex))
    return found


def test_proc_net_tcp_is_read_right() -> None:
    """The reader finds a socket we open ourselves on all interfaces, and one on loopback, as what they are."""
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("no /proc/net/tcp (not Linux)")
    with socket.socket() as wide, socket.socket() as narrow:
        wide.bind(("0.0.0.0", 0))
        wide.listen()
        narrow.bind(("127.0.0.1", 0))
        narrow.listen()
        assert listening_addresses(wide.getsockname()[1]) == [ipaddress.ip_address("0.0.0.0")]
        assert listening_addresses(narrow.getsockname()[1]) == [ipaddress.ip_address("127.0.0.1")]


@pytest.fixture()
def readme_app(tmp_path: Path) -> Iterator[int]:
    """``streamlit run app.py`` from the project folder, as the README says (only a free port added)."""
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("no /proc/net/tcp (not Linux)")
    port = _free_port()
    env = {**os.environ, "GAIT_HISTORY": str(tmp_path / "h.sqlite3"), "HOME": str(tmp_path)}
    log = open(tmp_path / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start: " + (tmp_path / "streamlit.log").read_text()[-2000:])
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_the_readme_command_listens_on_loopback_only(readme_app: int) -> None:
    addresses = listening_addresses(readme_app)
    assert addresses, "nothing listens on the app's port"
    assert all(a.is_loopback for a in addresses), addresses


def _history_with_sam(db: Path) -> None:
    from gait.workflows.history import connect, save_session
    from tests.support.runners import HEALTHY, analyse

    report, _ = analyse(fps=60.0, duration_s=8.0, **HEALTHY)
    with connect(db) as conn:
        save_session(conn, "Sam Secretperson", report, notes="private note about the knee")


def _everything(at: AppTest) -> str:
    parts = [
        str(e.value) for kind in ("markdown", "title", "error", "info", "caption", "subheader") for e in at.get(kind)
    ]
    return "\n".join(parts)


@pytest.mark.parametrize("address", ["0.0.0.0", "192.0.2.10", ""])
def test_a_network_address_without_sign_in_shows_nothing(
    address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit import config

    db = tmp_path / "h.sqlite3"
    _history_with_sam(db)
    monkeypatch.setenv("GAIT_HISTORY", str(db))
    before = config.get_option("server.address")
    config.set_option("server.address", address or None)
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
    finally:
        config.set_option("server.address", before)
    assert not at.exception, at.exception
    text = _everything(at)
    assert "no sign-in is configured" in text and "docs/SECURITY.md" in text and "secrets.toml" in text
    assert not at.sidebar.radio and not at.get("download_button") and not at.get("selectbox")
    assert "Sam" not in text and "knee" not in text


def test_on_loopback_the_history_is_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same history on the project's loopback address is shown (the refusal above is about the address)."""
    db = tmp_path / "h.sqlite3"
    _history_with_sam(db)
    monkeypatch.setenv("GAIT_HISTORY", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.sidebar.radio[0].set_value("History & compare").run()
    assert not at.exception, at.exception
    assert [s.value for s in at.selectbox if s.label == "Athlete"] == ["Sam Secretperson"]


def test_with_sign_in_configured_nothing_shows_before_sign_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An [auth] section: the page is the sign-in button only; an incomplete one is said, not a traceback."""
    db = tmp_path / "h.sqlite3"
    _history_with_sam(db)
    monkeypatch.setenv("GAIT_HISTORY", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = {"cookie_secret": "x" * 64, "client_id": "c", "client_secret": "s"}  # no redirect_uri
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.sidebar.radio and "Sam" not in _everything(at)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("Sign-in is not set up right" in str(e.value) and "SECURITY.md" in str(e.value) for e in at.error)
