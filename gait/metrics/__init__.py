"""Metrics: pure functions from a cleaned pose and its events to the stride table and its summaries.

:func:`gait.metrics.measure.stride_table` runs the stages for the clip's view and joins their columns once; the registry
(:mod:`gait.metrics.registry`) says what each metric is.
"""
