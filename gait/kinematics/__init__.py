"""From a pose to gait events: cleaning (gaps, leg swaps, filtering), the step rhythm, side-view contacts and
toe-offs, rear/front midstances, sub-frame tools, and events given by a person.

See ``docs/ARCHITECTURE.md`` for where this stage sits in the pipeline.
"""
