"""How a clip is cut into chunks for parallel workers: the cores there are, and chunk bounds that overlap so no
event is lost at a seam.
"""

from __future__ import annotations

import itertools
import os

from gait.core.types import VideoInfo

WARMUP_S = 1.0


MIN_CHUNK_S = 4.0


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


#: How much later a worker's first frame comes than this process's: spawn, imports and model load take ≈3 s of
#: CPU on the 2-core benchmark machine, this process saves them all when MediaPipe is loaded (the app, a
#: benchmark) and ~2 s when not (the CLI); 2 s in between, fixed so results never depend on process state.
WORKER_START_S = 2.0
