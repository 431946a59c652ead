"""The History page's athlete panel: export everything stored about an athlete (a zip), or erase them
(sessions, key frames, the poses and renders the app kept), as asked for by the athlete."""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from pathlib import Path

import streamlit as st

from gait.capture.uploads import private_dir, remove_dir
from gait.ui.access import current_actor
from gait.ui.common import forget, workdir
from gait.workflows.athlete_data import erase_athlete, export_athlete, forget_pose_caches
from gait.workflows.history import connect


def export_zip(conn: sqlite3.Connection, athlete: str, actor: str) -> bytes:
    """The export of :func:`gait.workflows.athlete_data.export_athlete` as zip bytes (written in a private temp folder,
    removed afterwards)."""
    tmp = private_dir("gait-export-")
    try:
        folder = tmp / "export"
        written = export_athlete(conn, athlete, folder, actor)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in written:
                zf.write(f, f.relative_to(folder).as_posix())
        return buf.getvalue()
    finally:
        remove_dir(tmp)


def athlete_data_panel(conn: sqlite3.Connection, athlete: str) -> None:
    """Export and erase buttons for one athlete."""
    st.subheader(f"{athlete}'s data")
    c1, c2 = st.columns(2)
    actor = current_actor()  # here, in the page's run, where the signed-in person is known
    c1.download_button(
        f"Export all of {athlete}'s data (zip)",
        lambda: _export(athlete, actor),
        file_name="gait-export.zip",
        mime="application/zip",
        help="Every session's report.json and PDF, the key frames, and athlete.json with everything stored.",
    )
    with c2.popover(f"Erase {athlete} completely"):
        st.write(
            "Deletes every session, key frame and kept pose of this athlete and rewrites the history file so "
            "nothing of them can be recovered. This cannot be undone: export first if they want a copy."
        )
        typed = st.text_input("Type the athlete's name to confirm", key=f"erase-confirm-{athlete}")
        if st.button("Erase", type="primary", disabled=typed.strip() != athlete.strip()):
            erased = erase_athlete(conn, athlete, actor)
            kept = os.environ.get("GAIT_POSE_CACHE_DIR")
            forget_pose_caches(erased.video_sha256, [workdir(), *([Path(kept)] if kept else [])])
            forget(erased.video_sha256)
            st.session_state["erased"] = f"Erased {athlete}: {erased.n_sessions} sessions."
            st.rerun()


def _export(athlete: str, actor: str) -> bytes:
    """The zip, made when the button is pressed, on a connection of its own (the page's is closed by then)."""
    with connect() as conn:
        return export_zip(conn, athlete, actor)
