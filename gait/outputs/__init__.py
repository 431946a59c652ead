"""What people read and keep: wording of metrics and cues, report.json and metrics.csv, the annotated video,
key frames, the PDF handout and its colours, the output folder.

See ``docs/ARCHITECTURE.md`` for where this stage sits in the pipeline.
"""
