"""The app's building blocks: cue cards, the metric table, headline cards and the charts."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from gait.core.types import GaitReport
from gait.kinematics.cleaned import CleanPose
from gait.metrics.assessment import assessments_of
from gait.metrics.curves import JOINT_LABELS, GaitCurves, curves_rows, stride_curves
from gait.metrics.geometry import runner_xy
from gait.metrics.registry import HEADLINE, REGISTRY, format_value, label
from gait.outputs.wording import (
    chart_metrics,
    config_of,
    cue_change,
    cue_numbers,
    evidence_text,
    metric_rows,
    shown_cues,
    walking_note,
)
from gait.ui.common import SEVERITY_LABEL
from gait.workflows.trend import axis_format, trend_points

TREND_METRICS = ("cadence_spm", "shank_angle_at_contact_deg", "trunk_lean_deg", "ground_contact_time_ms")


def cue_cards(
    report: GaitReport,
    frame_image: Callable[[int], bytes | None] | None = None,
    previous: GaitReport | None = None,
) -> None:
    """One card per cue: severity, why, the numbers, drills, evidence; "Show me" frames when the video is here.

    ``previous``: the analysis before the latest event edit; each card then says what that edit changed.
    """
    note = walking_note(report)
    if note:
        st.info(note + " Below are the walking measurements; the running advice is left out.")
    before = {c.id: c for c in shown_cues(previous)} if previous is not None else {}
    now = {c.id for c in shown_cues(report)}
    gone = [c.title for cid, c in before.items() if cid not in now]
    if gone:
        st.caption("No longer given after your last edit: " + "; ".join(gone) + ".")
    for cue in shown_cues(report):
        with st.container(border=True):
            st.markdown(f"#### {cue.title}  \n{SEVERITY_LABEL[cue.severity]}")
            st.write(cue.message)
            if cue.numbers:
                st.caption("Numbers: " + cue_numbers(cue))
            old = before.get(cue.id)
            if previous is not None and old is None:
                st.caption(":orange[New after your last edit.]")
            elif old is not None and (changed := cue_change(old, cue)) is not None:
                st.caption(f":orange[Changed by your last edit: {changed}]")
            if cue.drills:
                st.markdown("**Drills**\n" + "\n".join(f"- {d}" for d in cue.drills))
            st.caption(f"Evidence: {evidence_text(cue)}")
            if cue.frames and frame_image is not None:
                with st.expander("Show me"):
                    imgs = st.columns(len(cue.frames))
                    for col, f in zip(imgs, cue.frames, strict=True):
                        img = frame_image(f)
                        if img is not None:
                            col.image(img, caption=f"frame {f}")


def metrics_table(report: GaitReport) -> None:
    """Every metric in words: value, left and right side by side, what to work on (screening lines) and how it
    sits among other runners (typical range), each in its own column."""
    rows = metric_rows(report)
    table = pd.DataFrame(
        [
            {
                "Measure": r.label,
                "Value": r.value,
                "Good to": r.good_to,
                "Left": r.left,
                "Right": r.right,
                "Work on": r.screening_mark,
                "Among runners": r.typical_mark,
                "Typical range": r.typical,
                "Note": r.note,
            }
            for r in rows
        ]
    ).set_index("Measure")
    st.table(table)
    if report.activity == "walking":
        st.caption("The typical ranges are for running: a walk is not marked against them.")
        return
    st.caption(
        "Work on: ⚠ watch / ✖ flag: past a screening line by more than this video resolves (the cues above) · "
        "≈ borderline: past it by less (no cue is given on it). "
        "Among runners: ✓/▲/▼ like, above or below the range most runners show: not a fault on its own. "
        "Good to: how far a number can be from the truth on this video (camera, frame rate, stride-to-stride "
        "spread; docs/ACCURACY.md). Typical ranges are approximate and from the sources in the PDF."
    )


def summary_cards(report: GaitReport) -> None:
    """The headline numbers, labelled in words, each with its mark against the typical range."""
    shown = [n for n in HEADLINE if n in report.metrics and report.metrics[n].value is not None][:5]
    if not shown:
        st.caption("No headline numbers could be measured in this clip.")
        return
    walking = report.activity == "walking"
    config = config_of(report)
    judged = assessments_of(report)
    per_row = 3  # wide enough for "Overstride (% leg length)" and "169 steps/min" at 1366 px
    for start in range(0, len(shown), per_row):
        cols = st.columns(per_row)
        for col, name in zip(cols, shown[start : start + per_row], strict=False):
            spec = REGISTRY[name]
            value = report.metrics[name].value
            col.metric(
                spec.label,
                format_value(name, value),
                delta=None if walking else (judged[name].mark or None),
                delta_color="off",
                delta_arrow="off",
                help=f"{spec.explanation} Typical: {spec.typical_for(config)}.",
            )


def stride_chart(report: GaitReport) -> None:
    """One measure per step over the clip, left and right."""
    rows = pd.DataFrame(report.strides)
    names = chart_metrics(report.strides)
    if not names or "anchor_time_s" not in rows:
        return
    st.subheader("Step by step")
    st.caption(
        "Each point is one step (blue left foot, red right foot) at its time in the clip. A flat band means an "
        "even stride; a lone outlier is often one misread step; two lines apart show a left/right difference."
    )
    name = st.selectbox("Measure", names, index=0, format_func=label)
    spec = REGISTRY[name]
    data = rows[["anchor_time_s", "foot", name]].dropna()
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("anchor_time_s:Q", title="time in the clip (s)"),
            y=alt.Y(f"{name}:Q", title=f"{spec.label} ({spec.display_unit})", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "foot:N", title="foot", scale=alt.Scale(domain=["left", "right"], range=["#4287f5", "#f55a42"])
            ),
            tooltip=[alt.Tooltip("anchor_time_s:Q", title="time (s)", format=".2f"), "foot:N", f"{name}:Q"],
        )
    )
    if spec.typical is not None and report.activity != "walking":
        band = pd.DataFrame([{"lo": spec.typical[0], "hi": spec.typical[1]}])
        chart = alt.Chart(band).mark_rect(opacity=0.12, color="green").encode(y="lo:Q", y2="hi:Q") + chart
    st.altair_chart(chart, width="stretch")


def gait_curves(report: GaitReport, clean: CleanPose) -> GaitCurves | None:
    """The gait-cycle curves of a side-view analysis (None from behind, where the angles are not sagittal)."""
    if report.view != "side":
        return None
    curves = stride_curves(runner_xy(clean), clean.pose.times_s, report.events)
    return None if curves.is_empty() else curves


def curves_chart(curves: GaitCurves) -> None:
    """Hip, knee, ankle and trunk angle over the stride, left and right: mean line, ± SD band, toe-off rule."""
    st.subheader("Gait cycle")
    n = curves.n_strides
    st.caption(
        f"Angles over one stride, from a foot's landing (0 %) to its next landing (100 %): mean of {n['left']} left "
        f"and {n['right']} right strides, the band is ± 1 SD; the dashed line is toe-off. Side-view (2-D) angles: "
        "compare a runner with themselves over time rather than with lab norms, so no typical band is drawn."
    )
    data = pd.DataFrame(curves_rows(curves))
    data["lo"], data["hi"] = data["mean"] - data["sd"], data["mean"] + data["sd"]
    data["angle"] = data["joint"].map(JOINT_LABELS)
    data["toe_off"] = data["foot"].map(curves.toe_off_pct)
    colour = alt.Color("foot:N", title="foot", scale=alt.Scale(domain=["left", "right"], range=["#4287f5", "#f55a42"]))
    x = alt.X("pct:Q", title="% of stride", scale=alt.Scale(domain=[0, 100]))
    base = alt.Chart()
    band = base.mark_area(opacity=0.18).encode(x=x, y=alt.Y("lo:Q", title="degrees"), y2="hi:Q", color=colour)
    line = base.mark_line().encode(
        x=x,
        y=alt.Y("mean:Q", title="degrees"),
        color=colour,
        tooltip=["foot:N", alt.Tooltip("pct:Q", title="% of stride"), alt.Tooltip("mean:Q", format=".1f")],
    )
    toe = base.mark_rule(strokeDash=[4, 3]).encode(x="mean(toe_off):Q", color=colour)
    chart = (
        alt.layer(band, line, toe, data=data)
        .properties(height=170, width=300)
        .facet(facet=alt.Facet("angle:N", title=None, sort=list(JOINT_LABELS.values())), columns=2)
        .resolve_scale(y="independent")
    )
    st.altair_chart(chart)


def trend_chart(conn: sqlite3.Connection, athlete: str) -> None:
    """The athlete's key numbers over the saved sessions, each with its session's uncertainty as a band: a
    change inside the bands is noise, not progress."""
    data = pd.DataFrame(trend_points(conn, athlete, TREND_METRICS))
    if data.empty:
        return
    st.subheader("Trend")
    st.caption(
        "The band is how far each number can be from the truth on that session's video: overlapping bands "
        "mean no change the camera can vouch for."
    )
    names = [n for n in TREND_METRICS if n in set(data["metric"])]
    cols = st.columns(2)
    for k, name in enumerate(names):
        cols[k % 2].altair_chart(trend_metric_chart(data[data["metric"] == name], name), width="stretch")


def trend_metric_chart(data: pd.DataFrame, name: str) -> alt.LayerChart:
    """One metric over the sessions: the value ± its uncertainty as a band, the values as a line with points,
    ticks at the metric's display precision."""
    spec = REGISTRY[name]
    title = f"{spec.label} ({spec.display_unit.strip()})" if spec.display_unit.strip() else spec.label
    fmt = axis_format(name)
    x = alt.X("recorded_on:T", title=None, axis=alt.Axis(format="%Y-%m-%d", labelAngle=-30, tickCount=4))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format=fmt, tickCount=4))
    base = alt.Chart(data).encode(x=x)
    line = base.mark_line(point=True).encode(
        y=y,
        tooltip=[
            alt.Tooltip("recorded_on:T", title="date"),
            alt.Tooltip("value:Q", format=fmt, title=spec.label),
            alt.Tooltip("good_to:N", title="good to"),
            alt.Tooltip("id:Q", title="session"),
        ],
    )
    band = base.mark_area(opacity=0.2).encode(y="lo:Q", y2="hi:Q")  # the uncertainty band
    bars = base.mark_rule(strokeWidth=6, opacity=0.35).encode(y="lo:Q", y2="hi:Q")  # seen at a single session too
    return alt.LayerChart(layer=[line, band, bars], height=180, title=title)
