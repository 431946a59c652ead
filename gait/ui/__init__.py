"""The Streamlit app's pages (``app.py`` is the entry point): analyse, review, history and compare."""
