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


def version_of(body: bytes) -> str:
    """A file's version in URLs: the first 10 hex digits of the SHA-256 of its bytes."""
    return hashlib.sha256(body).hexdigest()[:10]


@cache
def content_hash(path: str) -> str:
    """The version of ``static/<path>`` (:func:`version_of` its bytes)."""
    return version_of((STATIC / path).read_bytes())


def base_path() -> str:
    """``server.baseUrlPath`` as a URL prefix: ``""`` or ``"/dash"``."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


@cache
def static_url(path: str) -> str:
    """The URL of ``static/<path>``, with a hash of its content so that a browser never runs a stale copy."""
    return f"{base_path()}/app/static/{path}?v={content_hash(path)}"
