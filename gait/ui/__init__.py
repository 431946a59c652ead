"""The Streamlit app's pages and widgets (``app.py`` is the entry point).

See ``docs/ARCHITECTURE.md`` for where this stage sits in the pipeline.
"""
