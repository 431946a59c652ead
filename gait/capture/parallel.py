"""Pose extraction on several cores: the clip is cut into time chunks analysed by worker processes.

Each worker decodes from a little before its chunk (``warmup_s``) so the tracker and MediaPipe's landmark
smoothing are settled when its own frames begin; only frames inside the chunk are kept, and the runner is chosen
once over the stitched detections, so the events see no seam.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from gait.capture.chunks import WARMUP_S, available_cores, chunk_bounds, lead_seconds
from gait.capture.detections import POSE_MAX_SIDE_PX, RawDetections, prefetch
from gait.capture.models import DEFAULT_MODEL, resolve_model
from gait.capture.pose import DEFAULT_ENGINE, MAX_POSES, assemble_pose, detect_frames
from gait.capture.video import iter_frames
from gait.core.types import PoseSequence, VideoInfo

ProgressFn = Callable[[str, float], None]


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
    engine: str = DEFAULT_ENGINE,
    detect_every: int | None = None,
) -> PoseSequence:
    """Pose of every frame using ``workers`` processes (default: the available cores); with
    ``engine="litert"``, threads (:func:`gait.capture.tracking.extract_threads`; ``detect_every``: see there).

    Falls back to one process for clips too short to split (under 2 × ``MIN_CHUNK_S``). ``workers`` is capped at
    the available cores (each worker holds one model and a few decoded frames: memory is bounded by the cores, not
    by the clip's length or the number asked for). On any exit (an error, Ctrl-C, SIGTERM) the workers are ended.
    """
    workers = min(workers or available_cores(), available_cores())
    resolve_model(model)  # fail early, in this process, with the clear message
    if engine == "litert":
        from gait.capture.tracking import DETECT_EVERY_FRAMES, extract_threads

        raw = extract_threads(info, str(model), workers, num_poses, progress, detect_every or DETECT_EVERY_FRAMES)
        if progress:
            progress("pose", 1.0)
        return assemble_pose(info, raw, model)
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
