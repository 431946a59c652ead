"""From metric summaries to cues a runner understands: the rules (landing, posture), the engine they share
(margins, key frames, building a cue) and the words (evidence, drills, see-a-clinician advice).

See ``docs/ARCHITECTURE.md`` for where this stage sits in the pipeline.
"""
