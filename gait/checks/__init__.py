"""What the footage supports: each check reads the footage (pose, events, stride table) and returns a finding
that lowers or withholds metrics with a reason and a warning; camera and framing geometry, leg visibility.

See ``docs/ARCHITECTURE.md`` for where this stage sits in the pipeline.
"""
