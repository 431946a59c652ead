"""Batch analysis of many videos: a local process pool or a Dask distributed cluster, resumable.

Each video's results go to ``OUT/<name>-<key>/`` where the key hashes the video's content and the settings, so
a re-run skips what is finished (after Ctrl-C, a crash, or adding videos to the folder) and a settings change
re-analyses. ``OUT/summary.csv`` has one row per video. The analysis itself is :func:`analyze_job`, the same
function on a local pool and on Dask workers; the client writes every file, so only the videos need to be
reachable from the workers (shared storage), not the output folder.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from gait.capture.input_files import DEFAULT_TIME_LIMIT_S, check_input_file, time_limit
from gait.capture.pose_cache import file_sha256
from gait.capture.uploads import VIDEO_EXTENSIONS
from gait.core.config import AnalysisConfig
from gait.core.errors import GaitError, InputFileError, one_line, stop_request
from gait.core.types import GaitReport
from gait.metrics.registry import SUMMARY_METRICS
from gait.outputs.files import write_atomic
from gait.outputs.fileset import SUMMARY_JUDGEMENT_COLUMNS, result_files, summary_values

BatchProgress = Callable[[int, int, str, str], None]  # (done, total, video name, status)
SCHEDULER_ADDRESS = re.compile(r"((tcp|tls|inproc|ucx|ws|wss)://)?[A-Za-z0-9._\-\[\]:]+:\d{1,5}/?")
SUMMARY_FIELDS = (
    "video",
    "status",
    "output",
    "activity",
    "view",
    *SUMMARY_METRICS,
    *SUMMARY_JUDGEMENT_COLUMNS,
    "cues",
    "warnings",
    "error",
)


@dataclass(frozen=True)
class Job:
    """One video to analyse and the folder its results belong in."""

    video: Path
    out_dir: Path


def find_videos(spec: str | Path) -> list[Path]:
    """Videos named by a folder (all video files in it, not recursive) or a glob pattern, sorted.

    Raises
    ------
    InputFileError
        Nothing matches.
    """
    p = Path(spec)
    # Whatever is named like a video is kept (a link to nowhere or to /dev/zero, a FIFO, a folder "x.mp4"): it
    # gets an error row in summary.csv (see check_input_file) rather than vanishing from the count.
    if p.is_dir():
        found = [f for f in p.iterdir() if f.suffix.lower() in VIDEO_EXTENSIONS]
    else:
        found = [
            Path(f)
            for f in glob.glob(str(spec), recursive=True)
            if not Path(f).is_dir() or Path(f).suffix.lower() in VIDEO_EXTENSIONS
        ]
    if not found:
        raise InputFileError(
            f"{spec}: no videos found. Give a folder of videos ({', '.join(VIDEO_EXTENSIONS)}) or a pattern such as "
            "'clips/*.mp4' (quoted)."
        )
    return sorted(found)


def job_for(video: Path, out: Path, config: AnalysisConfig) -> Job:
    """Where a video's results go: named by its stem, its content hash and the settings' hash.

    Raises
    ------
    InputFileError
        The video is not a regular, finite, readable file (checked before it is hashed: a link to /dev/zero or a
        FIFO would never finish); :func:`run_batch` makes that the video's error row.
    OSError
        The video cannot be read while it is hashed; :func:`run_batch` makes that the video's error row.
    """
    check_input_file(video)
    settings = hashlib.sha256(json.dumps(config.to_dict(), sort_keys=True).encode()).hexdigest()[:6]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", video.stem)[:40] or "video"
    return Job(video, out / f"{stem}-{file_sha256(video)[:12]}-{settings}")


def check_scheduler(address: str) -> str:
    """``address`` when it looks like a Dask scheduler address (``tcp://host:port`` or ``host:port``).

    Raises
    ------
    GaitError
        Not an address; checked before any work.
    """
    if not SCHEDULER_ADDRESS.fullmatch(address.strip()):
        raise GaitError(
            f"--scheduler {address!r} is not a scheduler address; give one such as tcp://10.0.0.5:8786 "
            "(what `dask scheduler` prints)."
        )
    return address.strip()


def load_finished(job: Job) -> GaitReport | None:
    """The job's earlier ``report.json`` when it is a complete, readable report of this gait's schema; None
    otherwise (missing, damaged, crafted or newer: the video is analysed again)."""
    from gait.core.types import load_report

    done = job.out_dir / "report.json"
    if not done.is_file():
        return None
    try:
        report = load_report(done)
    except GaitError:
        return None
    if not (job.out_dir / "metrics.csv").is_file():
        return None
    return report


def analyze_job(
    video: str, config: AnalysisConfig, pdf: bool = False, time_limit_s: float | None = DEFAULT_TIME_LIMIT_S
) -> dict[str, Any]:
    """Analyse one video in this process (one pose worker): the unit of work of a batch, local or on Dask.

    With ``pdf``, the result also holds ``report_pdf``: the handout's bytes (key frames need the video, so it
    is made where the video is read). ``time_limit_s`` ends an analysis that runs longer (an error result); it
    applies where :func:`gait.capture.input_files.can_time_limit` holds (a local worker process, not a Dask worker's
    thread).

    Returns
    -------
    dict
        ``{"status": "analysed", "report_json": ..., "files": {name: text}}`` or ``{"status": "error", "error": ...}``
        (a bad video does not stop the batch).
    """
    from gait.pipeline import analyze_video

    try:
        with time_limit(time_limit_s, video):
            report, clean = analyze_video(video, config, workers=1)
    except GaitError as exc:
        return {"status": "error", "error": str(exc)}
    except Exception as exc:  # one broken video must not end a 200-video batch
        stop = stop_request(exc)
        if stop is not None:  # ... but Ctrl-C or SIGTERM, even wrapped on the way out, ends it
            raise stop from exc
        return {"status": "error", "error": f"{video}: unexpected {type(exc).__name__}: {exc}"}
    files = result_files(report, clean)  # the CLI's and the app's files
    result: dict[str, Any] = {"status": "analysed", "report_json": files["report.json"], "files": files}
    if pdf:
        from gait.outputs.keyframes import print_key_frames
        from gait.workflows.analysis import handout_pdf

        result["report_pdf"] = handout_pdf(report, print_key_frames(report, clean), clean=clean)  # the CLI's PDF
    return result


def summary_row(job: Job, status: str, report: GaitReport | None, error: str = "") -> dict[str, Any]:
    """One row of ``summary.csv``."""
    row: dict[str, Any] = {"video": str(job.video), "status": status, "output": str(job.out_dir), "error": error}
    if report is not None:
        row.update(activity=report.activity, view=report.view, warnings=len(report.quality.warnings))
        row.update(summary_values(report))  # the report's own judgements, every cue shown
    return row


def _run_local(
    jobs: list[Job], config: AnalysisConfig, n_proc: int, pdf: bool = False, limit_s: float | None = None
) -> Iterator[tuple[Job, dict[str, Any]]]:
    if n_proc <= 1 or len(jobs) == 1:
        for job in jobs:
            yield job, analyze_job(str(job.video), config, pdf, limit_s)
        return
    with ProcessPoolExecutor(max_workers=n_proc, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(analyze_job, str(j.video), config, pdf, limit_s): j for j in jobs}
        for fut in as_completed(futures):
            yield futures[fut], fut.result()


def _run_dask(
    jobs: list[Job], config: AnalysisConfig, scheduler: str, pdf: bool = False
) -> Iterator[tuple[Job, dict[str, Any]]]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise GaitError("--scheduler needs Dask: pip install 'gait[cluster]' (dask[distributed]).") from None
    try:
        client = Client(check_scheduler(scheduler), timeout=30)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise GaitError(
            f"Cannot reach the Dask scheduler at {scheduler} ({exc}). Is `dask scheduler` running?"
        ) from None
    with client:
        futures = {client.submit(analyze_job, str(j.video), config, pdf, pure=False): j for j in jobs}
        for fut in dask_completed(futures):
            yield futures[fut], fut.result()


def run_batch(
    spec: str | Path,
    out: str | Path,
    config: AnalysisConfig | None = None,
    processes: int | None = None,
    scheduler: str | None = None,
    progress: BatchProgress | None = None,
    pdf: bool = False,
    time_limit_s: float | None = DEFAULT_TIME_LIMIT_S,
) -> list[dict[str, Any]]:
    """Analyse every video of ``spec`` into ``out``, skipping finished ones; write ``out/summary.csv``.

    Parameters
    ----------
    spec : a folder or a glob pattern.
    out : output folder (one sub-folder per video, and ``summary.csv``).
    config : settings for every video.
    processes : local worker processes (default and most: the available cores); ignored with ``scheduler``.
    scheduler : a Dask scheduler address (``tcp://host:8786``) to run on a cluster instead.
    progress : called as ``progress(done, total, video_name, status)``.
    pdf : also write each video's PDF handout (``report.pdf``) into its folder.
    time_limit_s : most seconds for one video's analysis on a local worker (None: no limit); a video past it
        is an error row and the batch goes on.

    Returns
    -------
    list of dict
        The summary rows, in the order of the videos.
    """
    from gait.capture.chunks import available_cores

    config = config or AnalysisConfig()
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputFileError(f"{out_dir}: exists and is not a folder; give --out a folder path.")
    if scheduler:
        check_scheduler(scheduler)
    jobs, rows, todo = _plan(find_videos(spec), out_dir, config, pdf)
    n_done = len(rows)
    if progress:
        progress(n_done, len(jobs), "", "resumed" if n_done else "start")
    results = (
        _run_dask(todo, config, scheduler, pdf)
        if scheduler
        else _run_local(todo, config, min(processes or available_cores(), available_cores()), pdf, time_limit_s)
    )
    for job, res in results:
        rows[job.video] = _store_result(job, res)
        n_done += 1
        if progress:
            progress(n_done, len(jobs), job.video.name, rows[job.video]["status"])
        _write_summary(out_dir, [rows[j.video] for j in jobs if j.video in rows])
    ordered = [rows[j.video] for j in jobs]
    _write_summary(out_dir, ordered)
    return ordered


def _plan(
    videos: list[Path], out_dir: Path, config: AnalysisConfig, pdf: bool
) -> tuple[list[Job], dict[Path, dict[str, Any]], list[Job]]:
    """Every video's job, the summary rows already known (finished earlier, unreadable) and the jobs to run."""
    jobs: list[Job] = []
    rows: dict[Path, dict[str, Any]] = {}
    todo = []
    for v in videos:
        try:
            job = job_for(v, out_dir, config)
        except (OSError, InputFileError) as exc:  # unreadable, endless, a FIFO: this video's row, not the end
            job = Job(v, out_dir)
            why = str(exc) if isinstance(exc, InputFileError) else f"{v}: cannot be read ({exc.strerror or exc})."
            rows[v] = summary_row(job, "error", None, one_line(why))
            jobs.append(job)
            continue
        jobs.append(job)
        finished = load_finished(job)
        if finished is not None and (not pdf or (job.out_dir / "report.pdf").is_file()):
            rows[job.video] = summary_row(job, "done earlier", finished)
        else:
            todo.append(job)
    return jobs, rows, todo


def _store_result(job: Job, res: dict[str, Any]) -> dict[str, Any]:
    """Write one analysed video's files (metrics first, the report last: report.json marks it finished) and
    return its summary row."""
    if res["status"] != "analysed":
        return summary_row(job, "error", None, one_line(str(res["error"])))
    for name, text in res["files"].items():
        if name != "report.json":
            write_atomic(job.out_dir / name, text)
    if "report_pdf" in res:
        write_atomic(job.out_dir / "report.pdf", res["report_pdf"])
    write_atomic(job.out_dir / "report.json", res["report_json"])
    return summary_row(job, "analysed", GaitReport.from_json(res["report_json"]))


def _write_summary(out_dir: Path, rows: list[dict[str, Any]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SUMMARY_FIELDS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    write_atomic(out_dir / "summary.csv", buf.getvalue())
