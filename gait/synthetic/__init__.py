"""A synthetic treadmill runner with known geometry and timing (:mod:`gait.synthetic.runner`), for tests and
benchmarks.

See ``docs/ARCHITECTURE.md`` for where this stage sits in the pipeline.
"""
