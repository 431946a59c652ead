"""What front ends run on top of the pipeline: one or two clips analysed and re-scored, event review, history,
compare, batch, accuracy against labels and reading labels files.

See ``docs/ARCHITECTURE.md`` for where this stage sits in the pipeline.
"""
