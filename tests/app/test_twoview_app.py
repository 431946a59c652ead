"""Two views in the app (AppTest): the real side clip and a synthetic rear clip of the same cadence give one
report with both views' metrics, both annotated videos and both views' key frames; a rear clip at another
cadence (another run) is warned about; a second side clip in the rear box is refused in words.

The rear clip is a synthetic runner filmed from behind (:func:`gait.synthetic.runner.make_pose`, known geometry) over
a plain video of the same length: we have no real rear-view footage. Its pose goes in the app's pose folder, so
the app runs every stage after the pose model on it, as on an upload.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from tests.app.conftest import SAMPLE, seed_pose
from tests.support.paths import ROOT, TREADMILL_CADENCE_SPM

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
FPS = 30.0


def plain_clip(path: Path, n_frames: int, size: tuple[int, int], fps: float = FPS, grey_level: int = 90) -> Path:
    """A grey H.264 clip of ``n_frames`` (the picture under a synthetic runner's skeleton); clips of different
    grey levels are different files (the app keeps analyses per file content)."""
    import av

    w, h = size
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=Fraction(int(fps), 1))
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.options = {"preset": "ultrafast"}
        grey = np.full((h, w, 3), grey_level, np.uint8)
        for _ in range(n_frames):
            for packet in stream.encode(av.VideoFrame.from_ndarray(grey, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def rear_clip(folder: Path, app_pose_dir: Path, name: str, grey_level: int, **runner) -> Path:
    """A synthetic rear-view clip whose pose the app finds in its pose folder."""
    from gait.synthetic.runner import make_pose

    pose = make_pose(view="rear", fps=FPS, duration_s=12.0, image_size=(640, 360), px_per_cm=1.3, **runner).pose
    video = plain_clip(folder / name, pose.n_frames, (pose.width, pose.height), grey_level=grey_level)
    seed_pose(app_pose_dir, video, pose)
    return video


def _analyse_pair(at: AppTest, rear: Path) -> None:
    at.run()
    at.file_uploader[0].upload("side.mp4", SAMPLE.read_bytes(), "video/mp4")
    at.file_uploader[1].upload(rear.name, rear.read_bytes(), "video/mp4")
    next(b for b in at.button if b.label == "Analyse").click().run()
    assert not at.exception, at.exception


def test_a_side_and_a_rear_clip_give_one_report(tmp_path: Path, app_pose_dir: Path, monkeypatch) -> None:
    db = tmp_path / "history.sqlite3"
    monkeypatch.setenv("GAIT_HISTORY", str(db))
    rear = rear_clip(tmp_path, app_pose_dir, "rear.mp4", 90, cadence_spm=TREADMILL_CADENCE_SPM, pelvic_drop_deg=9.0)
    at = AppTest.from_file(APP, default_timeout=600)
    _analyse_pair(at, rear)
    assert not at.error, [e.value for e in at.error]
    assert any("side.mp4 · side view" in str(c.value) and "+ rear view (rear.mp4)" in str(c.value) for c in at.caption)
    table = at.table[0].value
    assert "Pelvic drop" in table.index and not table.loc["Pelvic drop", "Value"].startswith("not measured")
    assert "Shin angle at landing" in table.index  # the side clip's measures too
    assert not any("may be two different runs" in str(w.value) for w in at.warning)
    assert len(at.get("video")) == 2  # both views' annotated videos
    captions = [i.caption for el in at.get("image") for i in el.proto.imgs]
    assert any(c.startswith("Rear view: ") for c in captions) and any("foot contact" in c for c in captions)
    shown = at.session_state["shown"]
    titles = [c.title for c in shown.report.cues]
    assert len(titles) == len(set(titles))  # one cue list, no duplicates
    assert shown.report.settings["second_view"]["video_name"] == "rear.mp4"

    # Saved and reopened: both views in the history, both views' key frames in the PDF.
    at.text_input(key="save_athlete").input("Sam")
    next(b for b in at.button if b.label == "Save to history").click().run()
    assert any("Saved as session" in s.value for s in at.success), [e.value for e in at.error]
    at.sidebar.radio[0].set_value("History & compare").run()
    assert not at.exception, at.exception
    listing = at.dataframe[0].value
    assert listing["Views"].tolist() == ["side + rear"] and listing["Video"].tolist() == ["side.mp4 + rear rear.mp4"]
    assert any(str(c.value) == "Two views: side clip side.mp4, rear clip rear.mp4." for c in at.caption)
    _pdf_has_both_views(db, tmp_path)


def _pdf_has_both_views(db: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess

    from gait.workflows.analysis import handout_pdf
    from gait.workflows.history import connect, list_sessions, load_session

    with connect(db) as conn:
        saved = load_session(conn, list_sessions(conn)[0].id)
    labels = [label for label, _ in saved.key_frames]
    assert any(lb.startswith("Rear view: ") for lb in labels) and any("foot contact" in lb for lb in labels), labels
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(handout_pdf(saved.report, list(saved.key_frames), video_name=saved.info.video_name))
    text = " ".join(subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "+ rear view (rear.mp4)" in text and "Rear view: Left midstance" in text and "Pelvic drop" in text, text[
        :800
    ]


def test_a_rear_clip_of_another_run_is_warned_about(tmp_path: Path, app_pose_dir: Path) -> None:
    rear = rear_clip(tmp_path, app_pose_dir, "other_run.mp4", 120, cadence_spm=148.0)
    at = AppTest.from_file(APP, default_timeout=600)
    _analyse_pair(at, rear)
    assert any("may be two different runs" in str(w.value) for w in at.warning), [w.value for w in at.warning]


def test_two_side_clips_are_refused_in_words(tmp_path: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=600)
    side_copy = tmp_path / "also_side.mp4"
    side_copy.write_bytes(SAMPLE.read_bytes())
    _analyse_pair(at, side_copy)
    assert at.error, "expected a message"
    msg = at.error[0].value
    assert "The rear clip (also_side.mp4) looks like a side view, not a rear view" in msg, msg
    assert "Traceback" not in msg
