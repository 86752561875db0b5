"""Serve the dashboard as one process for many visitors: ``streamlit run serve.py``.

The same app as ``streamlit run streamlit_app.py`` (which Community Cloud runs), through
``st.App``, Streamlit's ASGI entry, with one middleware added: the static files a new visitor
fetches are answered from memory, read and gzipped once per process
(:mod:`dashboard.static_cache`; README "Many visitors").
"""

import streamlit as st
from starlette.middleware import Middleware

from dashboard.static_cache import StaticCache

app = st.App("streamlit_app.py", middleware=[Middleware(StaticCache)])
