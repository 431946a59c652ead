"""From a video file to a pose: probing and decoding (PyAV), the pose model (MediaPipe), parallel chunks, the pose
cache, the orientation of the body in the picture, and the scene behind the runner (its verticals).

See ``docs/ARCHITECTURE.md`` for where this stage sits in the pipeline.
"""
