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

from gait.models import DEFAULT_MODEL, resolve_model
from gait.pose import MAX_POSES, POSE_MAX_SIDE_PX, RawDetections, assemble_pose, detect_frames, prefetch
from gait.types import PoseSequence, VideoInfo
from gait.video import iter_frames

ProgressFn = Callable[[str, float], None]
WARMUP_S = 1.0
MIN_CHUNK_S = 4.0


def available_cores() -> int:
    """CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def chunk_bounds(duration_s: float, workers: int, min_chunk_s: float = MIN_CHUNK_S) -> list[tuple[float, float]]:
    """Split ``[0, duration_s)`` into at most ``workers`` chunks of at least ``min_chunk_s``."""
    n = max(1, min(workers, int(duration_s // min_chunk_s)))
    edges = [duration_s * k / n for k in range(n + 1)]
    edges[-1] = float("inf")  # the last chunk runs to the end whatever the container said
    return list(itertools.pairwise(edges))


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
    bounds = chunk_bounds(info.duration_s, workers)
    if len(bounds) == 1:
        raw = detect_frames(info, prefetch(iter_frames(info, max_side_px=POSE_MAX_SIDE_PX)), model, num_poses, progress)
    else:
        parts: dict[int, RawDetections] = {}
        ctx = mp.get_context("spawn")
        with ProcessPoolExecutor(max_workers=len(bounds), mp_context=ctx) as pool:
            try:
                futures = {pool.submit(_chunk, info, a, b, str(model), num_poses): k for k, (a, b) in enumerate(bounds)}
                for done, fut in enumerate(as_completed(futures), start=1):
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
