"""Where Streamlit serves the files of ``static/`` (``[server] enableStaticServing``): the map's
and the charts' scripts and the vendored libraries they load."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import streamlit as st

STATIC = Path(__file__).resolve().parent.parent / "static"

#: The whole script of a v2 component whose real module is a static file (``data["module"]``,
#: a :func:`static_url`): the browser caches that file, so a rerun sends only the data, never the code.
MODULE_STUB = """
export default async function (args) {
  const module = await import(new URL(args.data.module, window.location.href).href);
  return module.default(args);
}
"""


@cache
def content_hash(path: str) -> str:
    """The first 10 hex digits of the SHA-256 of ``static/<path>``: its version in URLs."""
    return hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:10]


@cache
def static_url(path: str) -> str:
    """The URL of ``static/<path>``, with a hash of its content so that a browser never runs a stale copy."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}/app/static/{path}?v={content_hash(path)}"
