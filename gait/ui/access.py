"""Who may see the app: private to this computer by default, signed in (OpenID Connect) when shared.

Two modes:

- **Local** (no ``[auth]`` in ``.streamlit/secrets.toml``): the app must listen on a loopback address (the
  project's ``.streamlit/config.toml`` sets ``server.address = "127.0.0.1"``) and be opened from this computer.
  Started on another address, or reached through a proxy or from another machine, it shows nothing but how to
  configure sign-in.
- **Shared** (``[auth]`` configured): every page, download and history row needs sign-in with Streamlit's
  ``st.login``; ``[access] allowed`` in the secrets can restrict who (e-mail addresses or ``@domain``). The
  signed-in identity is recorded on saves, reviews, deletions, erasures and exports
  (:mod:`gait.workflows.history_audit`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

import streamlit as st
from streamlit.errors import StreamlitAuthError

from gait.workflows.history_audit import local_actor

SETUP_HELP = (
    "To share gait on a network, configure sign-in: copy `.streamlit/secrets.example.toml` to "
    "`.streamlit/secrets.toml`, fill in your identity provider (Microsoft, Google or any OpenID Connect provider) "
    "and restart. docs/SECURITY.md explains each step. To use gait on this computer only, start it as the README "
    "says: `streamlit run app.py` (it listens on 127.0.0.1)."
)


def is_loopback(address: str | None) -> bool:
    """True for an address only this computer can reach ("127.0.0.1", "::1", "localhost"); False for "", None
    (Streamlit then listens on every interface), "0.0.0.0" and any other address or name."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def exposure(bound_address: str | None, client_ip: str | None, headers: Mapping[str, str]) -> str | None:
    """Why this app can be seen from beyond this computer, or None when it cannot.

    Parameters
    ----------
    bound_address : Streamlit's ``server.address``.
    client_ip : the browser's address (Streamlit gives None for a loopback client).
    headers : the request headers (a reverse proxy adds ``X-Forwarded-For`` / ``Forwarded``).
    """
    if not is_loopback(bound_address):
        shown = bound_address or "every network interface"
        return f"gait is listening on {shown}, so other computers on the network can open it"
    if client_ip is not None and not is_loopback(client_ip):
        return f"this page was opened from {client_ip}, another computer"
    lowered = {k.lower() for k in headers}
    if lowered & {"x-forwarded-for", "forwarded", "x-real-ip"}:
        return "this page came through a proxy, so other computers can reach it"
    return None


def providers(auth: Mapping[str, object]) -> list[str]:
    """The sign-in providers of an ``[auth]`` section: "default" when it holds ``client_id`` itself, else the
    names of its sub-sections (``[auth.microsoft]``, ``[auth.google]``...)."""
    if not auth:
        return []
    if "client_id" in auth:
        return ["default"]
    return [k for k, v in auth.items() if isinstance(v, Mapping) and "client_id" in v]


def allowed(identity: Mapping[str, object], allow: Iterable[str]) -> bool:
    """True when the signed-in e-mail is in ``allow`` (addresses, or ``@domain`` for a whole domain); everyone the
    provider signs in when ``allow`` is empty. Needs a verified-looking e-mail when there is a list."""
    rules = [a.strip().lower() for a in allow if a.strip()]
    if not rules:
        return True
    email = str(identity.get("email") or "").strip().lower()
    if not email or "@" not in email or identity.get("email_verified") is False:
        return False
    return email in rules or any(r.startswith("@") and email.endswith(r) for r in rules)


def _secrets_section(name: str) -> Mapping[str, object]:
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        section = st.secrets.get(name)
    except Exception:  # a malformed secrets file: Streamlit reports it; sign-in stays off (nothing shown if exposed)
        return {}
    return section if isinstance(section, Mapping) else {}


def sign_in_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section with at least one provider."""
    return bool(providers(_secrets_section("auth")))


def identity_text(identity: Mapping[str, object]) -> str:
    """The signed-in person as recorded: "Name <email>", or what the provider gave."""
    name, email = str(identity.get("name") or "").strip(), str(identity.get("email") or "").strip()
    if name and email:
        return f"{name} <{email}>"
    return email or name or f"subject {identity.get('sub', '?')}"


def current_actor() -> str:
    """Who is using the app, for the audit trail: the signed-in person, or this computer's user (local mode)."""
    if sign_in_configured() and _signed_in():
        return identity_text(st.user.to_dict())
    return local_actor("app, this computer")


def gate() -> bool:
    """Show the page only to whom may see it; False (after saying why and what to do) when nobody may.

    Local mode: only on a loopback address and from this computer. Shared mode: signed in (and allowed).
    """
    auth = _secrets_section("auth")
    names = providers(auth)
    if not names:
        ip = st.context.ip_address
        ip = ip if isinstance(ip, str) else None  # a str on a server; Streamlit's test harness has no client
        reason = exposure(st.get_option("server.address"), ip, dict(st.context.headers))
        if reason is None:
            return True
        st.title("gait is not shared without sign-in")
        st.error(f"Athletes' data stays private: {reason}, and no sign-in is configured, so nothing is shown.")
        st.markdown(SETUP_HELP)
        return False
    if not _signed_in():
        st.title("gait: sign in")
        st.write("This gait is shared: sign in with your organisation's account to see athletes' data.")
        for name in names:
            label = "Sign in" if name == "default" else f"Sign in with {name.capitalize()}"
            if st.button(label, type="primary", key=f"login-{name}"):
                try:
                    st.login(name)
                except StreamlitAuthError as exc:  # an incomplete [auth] section: say which key, not a traceback
                    st.error(f"Sign-in is not set up right: {exc} See docs/SECURITY.md.")
        return False
    me = st.user.to_dict()
    if not allowed(me, _allow_list()):
        st.error(f"{identity_text(me)} is signed in but not allowed to use this gait. Ask its administrator.")
        st.button("Sign out", on_click=st.logout)
        return False
    st.sidebar.caption(f"Signed in as {identity_text(me)}")
    st.sidebar.button("Sign out", on_click=st.logout)
    return True


def _allow_list() -> list[str]:
    value = _secrets_section("access").get("allowed")
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def _signed_in() -> bool:
    """True once the provider signed the person in (False when Streamlit says nothing: fails closed)."""
    return bool(st.user.get("is_logged_in", False))
