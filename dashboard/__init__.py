"""Streamlit wiring only: the sidebar and URL binding, and the pages."""
