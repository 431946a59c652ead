"""What several test modules share, by domain: paths, caches, synthetic runners, the CLI, generated clips.

Test modules import from here (fixtures come from ``tests/conftest.py``), never from one another.
"""
