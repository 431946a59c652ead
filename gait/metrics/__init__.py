"""Metrics: pure functions from a cleaned pose and its events to per-stride rows and summaries."""

from gait.metrics.registry import REGISTRY
from gait.metrics.spatiotemporal import compute_stride_rows, summarise

__all__ = ["REGISTRY", "compute_stride_rows", "summarise"]
