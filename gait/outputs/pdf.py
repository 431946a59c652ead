"""A one-to-two-page PDF handout of an analysis (ReportLab): summary, key frames, cues with drills, the metric
table with typical ranges, the red-flag note and the capture details.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gait.capture.pose_cache import CACHE_NOTE_START
from gait.core.types import GaitReport
from gait.core.version import __version__
from gait.metrics.curves import JOINT_LABELS, JOINTS, GaitCurves
from gait.metrics.registry import HEADLINE
from gait.metrics.registry import label as metric_label
from gait.outputs.style import SEVERITY_COLOURS
from gait.outputs.wording import cue_numbers, evidence_text, metric_rows, shown_cues, walking_note

SEVERITY_HEX = {k: "#{:02x}{:02x}{:02x}".format(*rgb) for k, rgb in SEVERITY_COLOURS.items()}  # as in the video


def _font() -> tuple[str, str]:
    """A Unicode font (DejaVu Sans, shipped with matplotlib) for °, ≥, ≈; Helvetica when it is not there."""
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:
        ttf = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"
        if (ttf / "DejaVuSans.ttf").is_file() and (ttf / "DejaVuSans-Bold.ttf").is_file():
            if "GaitSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("GaitSans", str(ttf / "DejaVuSans.ttf")))
                pdfmetrics.registerFont(TTFont("GaitSans-Bold", str(ttf / "DejaVuSans-Bold.ttf")))
            return "GaitSans", "GaitSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _font()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=8.5, leading=11)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=bold, fontSize=16, leading=20, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=11, leading=14, spaceBefore=6),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7, leading=9, textColor=colors.HexColor("#555555")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _value_cell(value: str, good_to: str, style: ParagraphStyle) -> Paragraph:
    """A measurement's value, and under it in small grey how far it can be from the truth ("±7°")."""
    small = f"<br/><font size='7' color='#5b6472'>{escape(good_to)}</font>" if good_to else ""
    return Paragraph(escape(value) + small, style)


def report_pdf(
    report: GaitReport,
    key_frames: list[tuple[str, bytes]] | None = None,
    athlete: str | None = None,
    recorded_on: str | None = None,
    notes: str = "",
    video_name: str | None = None,
    curves: GaitCurves | None = None,
    reviewed: str | None = None,
    rear_video_name: str | None = None,
) -> bytes:
    """The PDF handout of an analysis, as bytes.

    Parameters
    ----------
    report : the analysis.
    key_frames : (label, JPEG bytes) from :func:`gait.outputs.keyframes.print_key_frames`.
    athlete, recorded_on, notes : shown in the header when given.
    video_name : the clip's name as the user knows it (default: the analysed file's name; the app passes the
        uploaded name, as its stored copy has a hash name).
    curves : gait-cycle curves (:func:`gait.metrics.curves.stride_curves`), drawn as one figure when given.
    reviewed : who reviewed the events and what changed (:func:`gait.workflows.analysis.review_line`), under the title.
    rear_video_name : the rear clip of a two-view session, named in the header.
    """
    s = _styles()
    buf = io.BytesIO()
    clip = video_name or Path(report.video.path).name
    kind = "Walking" if report.activity == "walking" else "Running"
    title = f"{kind} form screen - " + (f"{athlete} - {clip}" if athlete else clip)
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.3 * cm,
        bottomMargin=1.3 * cm,
        title=title,
        author=f"gait {__version__}",
    )
    story = _header(report, kind, clip, athlete, recorded_on, notes, reviewed, rear_video_name, s)
    story += _headline(report, doc.width, s)
    if key_frames:
        story += [_p("Key frames", s["h2"]), *_key_frame_rows(key_frames, doc.width, s)]
    story += _cue_block(report, s)
    story += _metric_block(report, doc.width, s)
    if curves is not None and not curves.is_empty():
        story += _curves_block(curves, doc.width, s)
    story += _closing(report, s)
    doc.build(story)
    return buf.getvalue()


def _header(
    report: GaitReport,
    kind: str,
    clip: str,
    athlete: str | None,
    recorded_on: str | None,
    notes: str,
    reviewed: str | None,
    rear_video_name: str | None,
    s: dict[str, ParagraphStyle],
) -> list:
    """The title (``kind``: Running or Walking) and the line under it: date, clip, activity and view; who
    reviewed it; the user's notes."""
    who = f" - {athlete}" if athlete else ""
    story: list = [_p(f"{kind} form screen{who}", s["title"])]
    day = recorded_on or dt.date.today().isoformat()
    story.append(
        _p(
            f"{day} · {clip} · {report.activity}, {report.view} view"
            + (f", facing {report.facing}" if report.facing else "")
            + (f" + rear view ({rear_video_name})" if rear_video_name else ""),
            s["body"],
        )
    )
    if reviewed:
        story.append(_p(reviewed, s["body"]))
    if notes:
        story.append(_p(f"Notes: {notes}", s["body"]))
    return story


def _headline(report: GaitReport, doc_width: float, s: dict[str, ParagraphStyle]) -> list:
    """The headline numbers in one boxed row, each with its mark against the typical range."""
    cells = []
    rows = {r.name: r for r in metric_rows(report)}
    for name in HEADLINE:
        m = report.metrics.get(name)
        if m is not None and m.value is not None and name in rows:
            row = rows[name]
            cells.append(
                Paragraph(
                    f"<font size=7 color='#555555'>{escape(metric_label(name))}</font><br/><b>{escape(row.value)}</b>"
                    + (f"<br/><font size=6.5>{escape(row.mark)}</font>" if row.mark else ""),
                    s["body"],
                )
            )
    if not cells:
        return []
    t = Table([cells], colWidths=[doc_width / len(cells)] * len(cells))
    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.lightgrey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Spacer(1, 4), t]


def _cue_block(report: GaitReport, s: dict[str, ParagraphStyle]) -> list:
    """What to work on: one kept-together paragraph group per cue."""
    story: list = [_p("What to work on", s["h2"])]
    if walking_note(report):
        story.append(_p(walking_note(report) + " The walking measurements are below.", s["body"]))
    for cue in shown_cues(report):
        colour = SEVERITY_HEX.get(cue.severity, "#333333")
        parts = [
            Paragraph(
                f"<font color='{colour}'><b>{escape(cue.severity.upper())}</b></font> <b>{escape(cue.title)}</b>"
                f" - {escape(cue.message)}",
                s["body"],
            )
        ]
        if cue.numbers:
            parts.append(_p("Numbers: " + cue_numbers(cue), s["small"]))
        if cue.drills:
            parts.append(_p("Drills: " + "; ".join(cue.drills), s["body"]))
        parts.append(_p(f"Evidence: {evidence_text(cue)}", s["small"]))
        story.append(KeepTogether([*parts, Spacer(1, 3)]))
    return story


def _metric_block(report: GaitReport, doc_width: float, s: dict[str, ParagraphStyle]) -> list:
    """The measurement table and the line naming what was not measured."""
    heads = ("measure", "value (good to)", "left / right", "work on · among runners", "typical (screening)")
    rows = [[_p(h, s["cell"]) for h in heads]]
    all_rows = metric_rows(report)
    for r in (r for r in all_rows if r.measured):
        lr = f"{r.left} / {r.right}" if r.left and r.right else ""
        rows.append(
            [
                _p(r.label + (f" ({r.note})" if r.note else ""), s["cell"]),
                _value_cell(r.value, r.good_to, s["cell"]),
                _p(lr, s["cell"]),
                _p(r.mark, s["cell"]),
                _p(r.typical, s["cell"]),
            ]
        )
    table = Table(rows, colWidths=[4.6 * cm, 2.6 * cm, 2.6 * cm, 2.3 * cm, doc_width - 12.1 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.grey),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f4f7")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    story: list = [_p("Measurements", s["h2"]), table]
    missing = [f"{r.label} ({r.value.removeprefix('not measured: ')})" for r in all_rows if not r.measured]
    if missing:
        story.append(_p("Not measured in this clip: " + "; ".join(missing) + ".", s["small"]))
    return story


def _curves_block(curves: GaitCurves, doc_width: float, s: dict[str, ParagraphStyle]) -> list:
    """The gait-cycle figure with its caption."""
    png = curves_png(curves)
    iw, ih = ImageReader(io.BytesIO(png)).getSize()
    n = curves.n_strides
    return [
        _p("Gait cycle", s["h2"]),
        _p(
            f"Angles over one stride, landing (0 %) to the same foot's next landing (100 %): mean ± 1 SD of "
            f"{n['left']} left and {n['right']} right strides; dashed line: toe-off. 2-D side-view angles: compare "
            "the runner with themselves over time.",
            s["small"],
        ),
        Image(io.BytesIO(png), width=doc_width * 0.8, height=doc_width * 0.8 * ih / iw),
    ]


def _closing(report: GaitReport, s: dict[str, ParagraphStyle]) -> list:
    """The red-flag advice, the capture details, warnings and notes, and the screening disclaimer."""
    v, q = report.video, report.quality
    story: list = [_p("When to see a professional", s["h2"])]
    story += [_p(a, s["body"]) for a in report.advice]
    capture = (
        f"{v.width}x{v.height}, {v.fps:.2f} fps"
        + (f" (captured at {v.capture_fps:g} fps)" if v.capture_fps else "")
        + f", {v.duration_s:.1f} s; pose found in {q.pose_detected_pct:.0f}% of frames; "
        + ("lengths scaled by the runner's height" if q.scale == "height" else "lengths as % of leg length")
        + f"; model {report.settings.get('model', 'full')}."
    )
    story += [_p("Capture", s["h2"]), _p(capture, s["small"])]
    story += [_p(f"Warning: {w}", s["small"]) for w in q.warnings]
    # What was checked and found fine, or said about the footage (not how this computer processed it).
    story += [_p(f"Note: {n}", s["small"]) for n in report.notes if not n.startswith(CACHE_NOTE_START)]
    story.append(
        _p(
            f"Screening and coaching from video, not a diagnosis. Made with gait {__version__}, on this computer.",
            s["small"],
        )
    )
    return story


def _key_frame_rows(key_frames: list[tuple[str, bytes]], doc_width: float, s: dict[str, ParagraphStyle]) -> list:
    """The key frames in rows of at most three (pictures over their captions): a two-view session has five."""
    rows = []
    for start in range(0, len(key_frames), 3):
        chunk = key_frames[start : start + 3]
        width = (doc_width - 0.4 * cm * (len(chunk) - 1)) / len(chunk)
        imgs, caps = [], []
        for label, jpeg in chunk:
            iw, ih = ImageReader(io.BytesIO(jpeg)).getSize()
            h = min(width * ih / iw, 7.5 * cm)
            imgs.append(Image(io.BytesIO(jpeg), width=h * iw / ih, height=h))
            caps.append(_p(label, s["small"]))
        rows.append(Table([imgs, caps], colWidths=[width + 0.4 * cm] * len(chunk)))
    return rows


def curves_png(curves: GaitCurves, dpi: int = 150) -> bytes:
    """The gait-cycle curves as one PNG figure (2 × 2 panels: hip, knee, ankle, trunk; left blue, right red)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 4.6), dpi=dpi)
    axes = fig.subplots(2, 2, sharex=True)
    colours = {"left": "#4287f5", "right": "#f55a42"}
    for ax, joint in zip(axes.flat, JOINTS, strict=True):
        for foot, colour in colours.items():
            if (joint, foot) not in curves.mean:
                continue
            m, sd = curves.mean[(joint, foot)], curves.sd[(joint, foot)]
            ax.fill_between(curves.pct, m - sd, m + sd, color=colour, alpha=0.18, linewidth=0)
            ax.plot(curves.pct, m, color=colour, linewidth=1.4, label=foot)
            toe = curves.toe_off_pct.get(foot)
            if toe is not None and toe == toe:
                ax.axvline(toe, color=colour, linestyle="--", linewidth=0.8)
        ax.set_title(JOINT_LABELS[joint], fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_xlim(0, 100)
        ax.grid(alpha=0.25)
        ax.set_ylabel("degrees", fontsize=7)
    for ax in axes[1]:
        ax.set_xlabel("% of stride", fontsize=7)
    axes[0, 0].legend(fontsize=7, frameon=False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
