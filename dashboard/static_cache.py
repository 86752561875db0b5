"""Answer the static files a new visitor fetches from memory, read and gzipped once per process.

A browser with an empty cache fetches ≈ 120 files before it draws the map: Streamlit's frontend
bundle (``/static/``, content-hashed names) and the app's own scripts, Leaflet and plotly.js basic
(``/app/static/<path>?v=<hash>``, :func:`dashboard.static_files.static_url`). Streamlit serves
each through Starlette's file responses, which hand the stat, open, read and close of the file to
worker threads: ≈ 2 ms of server CPU a request whatever its size, and it gzips the app's own files
again on every request (plotly.js basic: ≈ 34 ms). That was most of a new session's CPU (README
"Many visitors"). This middleware is the in-process counterpart of ``deploy/nginx.conf``'s cache,
for a copy served without a proxy: mounted by ``serve.py`` through ``st.App`` (Streamlit's way to
add ASGI middleware), it answers those two kinds of files from memory, gzipped once when that
helps, and passes every other request, and any file it cannot vouch for, on to Streamlit:

- ``/static/...``: files of Streamlit's own bundle, with the headers Streamlit gives them
  (``immutable``: a returning visitor fetches none).
- ``/app/static/<path>?v=<hash>``: only when ``<hash>`` is the file's current content hash, so a
  version in the URL always names the bytes sent; then ``immutable`` too, as the proxy sends.

Bounded: only files that exist inside those two folders are kept (Streamlit's bundle is ≈ 25 MB,
the app's ≈ 5 MB, each kept at most once plain and once gzipped); a path that leaves them, a
missing file, a range request or any method but GET and HEAD goes to Streamlit unchanged.
"""

from __future__ import annotations

import gzip
import mimetypes
import os
from dataclasses import dataclass
from urllib.parse import parse_qs

import anyio.to_thread
from streamlit import config, file_util

from dashboard.static_files import STATIC, content_hash

#: What Streamlit sends for its hashed bundle files, and the proxy for versioned app files.
IMMUTABLE = b"public, immutable, max-age=31536000"
#: Types worth gzipping (fonts and images are compressed already); smaller files are sent as they are.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MIN_GZIP_BYTES = 1024


@dataclass(frozen=True)
class Entry:
    """One file as sent: its bytes, gzipped bytes when smaller, and its headers."""

    body: bytes
    gzipped: bytes | None
    headers: tuple[tuple[bytes, bytes], ...]


def load(path: str, extra_headers: tuple[tuple[bytes, bytes], ...] = ()) -> Entry:
    """Read ``path`` and gzip it once if its type compresses."""
    with open(path, "rb") as f:
        body = f.read()
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    gzipped = None
    if kind.startswith(COMPRESSIBLE) and len(body) >= MIN_GZIP_BYTES:
        packed = gzip.compress(body, compresslevel=9, mtime=0)
        gzipped = packed if len(packed) < len(body) else None
    if kind.startswith("text/") or kind == "application/javascript":
        kind += "; charset=utf-8"
    headers = ((b"content-type", kind.encode()), (b"cache-control", IMMUTABLE), *extra_headers)
    if gzipped is not None:
        headers += ((b"vary", b"Accept-Encoding"),)
    return Entry(body, gzipped, headers)


def inside(root: str, relative: str) -> str | None:
    """The real path of ``root/relative`` if it is a file inside ``root``, else None."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    full = os.path.realpath(os.path.join(root, relative))
    return full if full.startswith(root + os.sep) and os.path.isfile(full) else None


class StaticCache:
    """ASGI middleware: serve Streamlit's bundle and the app's versioned files from memory."""

    def __init__(self, app) -> None:
        self.app = app
        self.bundle_root = os.path.realpath(os.path.join(file_util.get_static_dir(), "static"))
        self.app_root = os.path.realpath(STATIC)
        self.entries: dict[tuple[str, str], Entry] = {}

    def _prefixes(self) -> tuple[str, str]:
        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        base = f"/{base}" if base else ""
        return f"{base}/static/", f"{base}/app/static/"

    def _find(self, scope) -> tuple[tuple[str, str], str, tuple] | None:
        """The cache key, file path and extra headers of a request this cache answers."""
        path = scope["path"]
        bundle, app_static = self._prefixes()
        if path.startswith(bundle):
            full = inside(self.bundle_root, path[len(bundle) :])
            return (("bundle", full), full, ()) if full else None
        if path.startswith(app_static):
            relative = path[len(app_static) :]
            full = inside(self.app_root, relative)
            version = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
            if full and version == content_hash(relative):
                extra = ((b"access-control-allow-origin", b"*"), (b"x-content-type-options", b"nosniff"))
                return ("app", full), full, extra
        return None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        found = None if b"range" in headers else self._find(scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        key, full, extra = found
        entry = self.entries.get(key)
        if entry is None:
            # once per file and process, off the event loop (plotly.js basic takes ≈ 40 ms to gzip)
            entry = await anyio.to_thread.run_sync(load, full, extra)
            self.entries[key] = entry
        body = entry.body
        response_headers = list(entry.headers)
        if entry.gzipped is not None and b"gzip" in headers.get(b"accept-encoding", b""):
            body = entry.gzipped
            response_headers.append((b"content-encoding", b"gzip"))
        response_headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
