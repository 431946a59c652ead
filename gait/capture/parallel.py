"""Pose extraction on several cores: the clip is cut into time chunks analysed by worker processes.

Each worker decodes from a little before its chunk (``warmup_s``) so the tracker and MediaPipe's landmark
smoothing are settled when its own frames begin; only frames inside the chunk are kept, and the runner is chosen
once over the stitched detections, so the events see no seam.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from gait.capture.models import DEFAULT_MODEL, resolve_model
from gait.capture.pose import MAX_POSES, POSE_MAX_SIDE_PX, RawDetections, assemble_pose, detect_frames, prefetch
from gait.capture.video import iter_frames
from gait.core.types import PoseSequence, VideoInfo

ProgressFn = Callable[[str, float], None]
WARMUP_S = 1.0
MIN_CHUNK_S = 4.0
#: How much later a worker's first frame comes than this process's: spawn, imports and model load take ≈3 s of
#: CPU on the 2-core benchmark machine, this process saves them all when MediaPipe is loaded (the app, a
#: benchmark) and ~2 s when not (the CLI); 2 s in between, fixed so results never depend on process state.
WORKER_START_S = 2.0


def available_cores() -> int:
    """CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def chunk_bounds(
    duration_s: float, workers: int, min_chunk_s: float = MIN_CHUNK_S, lead_s: float = 0.0
) -> list[tuple[float, float]]:
    """Split ``[0, duration_s)`` into at most ``workers`` chunks of at least ``min_chunk_s``.

    The first chunk is ``lead_s`` longer than the others (it runs in the calling process, which starts at once,
    while the workers are still starting and decode ``WARMUP_S`` before their chunk).
    """
    n = max(1, min(workers, int(duration_s // min_chunk_s)))
    lead_s = min(lead_s, duration_s / n) if n > 1 else 0.0
    rest_s = (duration_s - lead_s) / n
    edges = [lead_s * (k > 0) + rest_s * k for k in range(n + 1)]
    edges[-1] = float("inf")  # the last chunk runs to the end whatever the container said
    return list(itertools.pairwise(edges))


def lead_seconds(info: VideoInfo) -> float:
    """How much longer (in clip seconds) the chunk run in this process is than a worker's: a worker decodes
    ``WARMUP_S`` more and starts ``WORKER_START_S`` later (about the compute of 30 frames with the full model, so
    fewer clip seconds at a higher frame rate)."""
    return WARMUP_S + WORKER_START_S * 30.0 / max(info.effective_fps, 1.0)


def _chunk(info: VideoInfo, start_s: float, end_s: float, model: str, num_poses: int) -> RawDetections:
    begin = max(0.0, start_s - WARMUP_S) if start_s > 0 else None
    frames = prefetch(
        iter_frames(info, max_side_px=POSE_MAX_SIDE_PX, start_s=begin, end_s=None if end_s == float("inf") else end_s)
    )
    raw = detect_frames(info, frames, model, num_poses)
    keep = RawDetections()
    keep.extend(raw, after_s=start_s - 1e-9 if start_s > 0 else -float("inf"))
    return keep


def extract_pose_parallel(
    info: VideoInfo,
    model: str = DEFAULT_MODEL,
    workers: int | None = None,
    progress: ProgressFn | None = None,
    num_poses: int = MAX_POSES,
) -> PoseSequence:
    """Pose of every frame using ``workers`` processes (default: the available cores).

    Falls back to one process for clips too short to split (under 2 × ``MIN_CHUNK_S``). ``workers`` is capped at
    the available cores (each worker holds one model and a few decoded frames: memory is bounded by the cores, not
    by the clip's length or the number asked for). On any exit (an error, Ctrl-C, SIGTERM) the workers are ended.
    """
    workers = min(workers or available_cores(), available_cores())
    resolve_model(model)  # fail early, in this process, with the clear message
    bounds = chunk_bounds(info.duration_s, workers, lead_s=lead_seconds(info))
    if len(bounds) == 1:
        raw = detect_frames(info, prefetch(iter_frames(info, max_side_px=POSE_MAX_SIDE_PX)), model, num_poses, progress)
    else:
        parts: dict[int, RawDetections] = {}
        ctx = mp.get_context("spawn")
        with ProcessPoolExecutor(max_workers=len(bounds) - 1, mp_context=ctx) as pool:
            try:
                futures = {
                    pool.submit(_chunk, info, a, b, str(model), num_poses): k
                    for k, (a, b) in enumerate(bounds)
                    if k > 0
                }
                # The first chunk runs here, at once, while the workers start (spawn, imports, model load).
                parts[0] = _chunk(info, *bounds[0], str(model), num_poses)
                for done, fut in enumerate(as_completed(futures), start=2):
                    parts[futures[fut]] = fut.result()
                    if progress:
                        progress("pose", done / len(bounds))
            except BaseException:
                _end_workers(pool)
                raise
        raw = RawDetections()
        for k in range(len(bounds)):
            raw.extend(parts[k], after_s=raw.times[-1] if raw.times else -float("inf"))
        # Decode order, as one process counts frames (and the renderer reads them): unique and increasing with
        # time across chunks; a seeked chunk can only guess its indices from times, which repeat with a variable
        # frame rate.
        raw.index = list(range(len(raw.times)))
    if progress:
        progress("pose", 1.0)
    return assemble_pose(info, raw, model)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate a pool's worker processes now (instead of waiting for their chunks) and reap them."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5)
