"""The answer first: one screen with the two or three things to work on (each with one drill), what is fine,
and the handout one click away; a store's "next customer" clears the page for the next runner.

Everything here reads the report's cues and stored judgements (:mod:`gait.metrics.assessment`): nothing is judged
again, so the summary cannot contradict the table below it.
"""

from __future__ import annotations

import streamlit as st

from gait.core.types import GaitReport
from gait.outputs.answer import MAX_WORK_ON, Answer, answer_of

__all__ = ["MAX_WORK_ON", "Answer", "answer_of", "answer_panel", "next_customer_button"]


def answer_panel(report: GaitReport) -> None:
    """The one-screen summary at the top of the results."""
    a = answer_of(report)
    with st.container(border=True):
        st.markdown(f"### {a.headline}")
        if a.work_on:
            st.markdown(
                "**Work on**\n"
                + "\n".join(f"{k}. **{t}**" + (f": {d}" if d else "") for k, (t, d) in enumerate(a.work_on, 1))
            )
        if a.fine:
            st.markdown("**Fine**: " + ", ".join(a.fine))
        if a.borderline:
            st.markdown("**On a screening line, not a cue**: " + ", ".join(a.borderline))
        st.caption("Numbers marked above or below most runners in the table are not faults on their own.")


#: The analyse form's settings and their defaults: widget ``form_<name>``, kept copy ``form_kept_<name>``.
FORM_DEFAULTS: dict[str, object] = {
    "athlete": "",
    "view": "auto",
    "height": None,
    "belt": None,
    "cap": "not slow motion",
    "model": "full",
}


def _clear_for_next_customer() -> None:
    """Results gone, every form field back to its default (set, not dropped: the browser shows the new value)."""
    for key in ("shown", "saved", "review_i", "save_athlete", "key_pick", "key_pick_label"):
        st.session_state.pop(key, None)
    for name, default in FORM_DEFAULTS.items():
        st.session_state[f"form_{name}"] = default
        st.session_state.pop(f"form_kept_{name}", None)


def next_customer_button() -> None:
    """Clear the results and the form (name, height, belt speed, ...) for the next runner."""
    st.button("Next customer", help="Clear this runner's results and the form", on_click=_clear_for_next_customer)
