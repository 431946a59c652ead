"""Streamlit front end for gait. Thin: the pages are in :mod:`gait.ui`, the analysis in the ``gait`` package.

Run with ``streamlit run app.py``: it listens on 127.0.0.1 (``.streamlit/config.toml``). Shared on a network it
needs sign-in (:mod:`gait.ui.access`, docs/SECURITY.md).
"""

from __future__ import annotations

import streamlit as st

from gait.core.errors import GaitError


def main() -> None:
    """Page set-up and the sidebar's choice of page."""
    from gait.ui.access import gate
    from gait.ui.analyse import analyse_page
    from gait.ui.history import history_page

    st.set_page_config(page_title="gait - running form analysis", layout="wide")
    if not gate():  # local only, or signed in: nothing of an athlete is shown before this
        return
    page = st.sidebar.radio("Page", ["Analyse a video", "History & compare"])
    if page == "History & compare":
        try:
            history_page()
        except GaitError as exc:
            st.error(f"The history could not be used. {exc}")
        return
    analyse_page()


# Streamlit runs this file as "__main__"; the pose worker processes (spawned) import it as "__mp_main__" and must
# not build the page.
if __name__ == "__main__":
    main()
