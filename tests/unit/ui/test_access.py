"""Who may see the app: loopback or not, exposure through a proxy or another computer, providers, allow-lists."""

from __future__ import annotations

import pytest

from gait.ui.access import allowed, exposure, identity_text, is_loopback, providers


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        (None, False),
        ("192.168.1.20", False),
        ("gait.clinic.example", False),
    ],
)
def test_is_loopback(address: str | None, loopback: bool) -> None:
    assert is_loopback(address) is loopback


def test_exposure() -> None:
    assert exposure("127.0.0.1", None, {}) is None
    assert "every network interface" in str(exposure(None, None, {}))
    assert "0.0.0.0" in str(exposure("0.0.0.0", None, {}))
    assert "192.168.1.7" in str(exposure("127.0.0.1", "192.168.1.7", {}))
    assert exposure("127.0.0.1", "127.0.0.1", {}) is None
    assert "proxy" in str(exposure("127.0.0.1", None, {"X-Forwarded-For": "203.0.113.9"}))
    assert "proxy" in str(exposure("127.0.0.1", None, {"forwarded": "for=203.0.113.9"}))


def test_providers() -> None:
    assert providers({}) == []
    assert providers({"redirect_uri": "x", "cookie_secret": "y"}) == []
    assert providers({"redirect_uri": "x", "client_id": "c"}) == ["default"]
    auth = {"redirect_uri": "x", "microsoft": {"client_id": "m"}, "google": {"client_id": "g"}, "note": "n"}
    assert providers(auth) == ["microsoft", "google"]


def test_allowed() -> None:
    pat = {"email": "Pat@Clinic.example", "name": "Pat"}
    assert allowed(pat, [])
    assert allowed(pat, ["@clinic.example"])
    assert allowed(pat, ["pat@clinic.example"])
    assert not allowed(pat, ["@other.example", "sam@clinic.example"])
    assert not allowed({"email": "pat@evilclinic.example"}, ["@clinic.example"])
    assert not allowed({"name": "no e-mail"}, ["@clinic.example"])
    assert not allowed({"email": "pat@clinic.example", "email_verified": False}, ["@clinic.example"])


def test_identity_text() -> None:
    assert identity_text({"name": "Pat T", "email": "pat@clinic.example"}) == "Pat T <pat@clinic.example>"
    assert identity_text({"email": "pat@clinic.example"}) == "pat@clinic.example"
    assert identity_text({"sub": "abc"}) == "subject abc"
