"""The vocabulary every stage shares (NumPy only): the analysis settings and their plausible ranges, errors, the
pose landmarks and pose arrays, the report types, the labels' types.

See ``docs/ARCHITECTURE.md`` for where this stage sits in the pipeline.
"""
