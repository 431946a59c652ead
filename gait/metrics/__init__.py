"""Metrics: pure functions from a cleaned pose and its events to per-stride rows and summaries."""

from gait.metrics.spatiotemporal import METRIC_UNITS, compute_stride_rows, summarise

__all__ = ["METRIC_UNITS", "compute_stride_rows", "summarise"]
