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

Bounded: only files that exist inside those two folders, named by their one canonical path, are
kept (Streamlit's bundle is ≈ 25 MB, the app's ≈ 1.5 MB, each kept at most once plain and once
gzipped); any other spelling of a path (``./``, ``//``, ``..``, a backslash), a missing or
unreadable file, a compressed file type, a range request, any method but GET and HEAD, and
``/app/static`` when ``server.enableStaticServing`` is off go to Streamlit unchanged. A file is
read and gzipped once per process even when a crowd asks for it at the same moment (one lock
for loading), and a conditional request for it (``If-None-Match``) gets a 304.
"""

from __future__ import annotations

import gzip
import mimetypes
import os
from dataclasses import dataclass
from urllib.parse import parse_qs

import anyio
import anyio.to_thread
from streamlit import config, file_util
from streamlit.path_security import is_unsafe_path_pattern

from dashboard.static_files import STATIC, base_path, version_of

#: What Streamlit sends for its hashed bundle files, and the proxy for versioned app files.
IMMUTABLE = b"public, immutable, max-age=31536000"
#: Types worth gzipping (fonts and images are compressed already); smaller files are sent as they are.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MIN_GZIP_BYTES = 1024


@dataclass(frozen=True)
class Entry:
    """One file as sent: its bytes, gzipped bytes when smaller, its version and its headers."""

    body: bytes
    gzipped: bytes | None
    version: str  # dashboard.static_files.version_of(body): what a versioned URL must name
    headers: tuple[tuple[bytes, bytes], ...]


def load(path: str, extra_headers: tuple[tuple[bytes, bytes], ...] = ()) -> Entry | None:
    """Read ``path`` and gzip it once if its type compresses; None for a file this cache leaves
    to Streamlit (a compressed type such as ``.gz``, whose encoding Streamlit reports)."""
    kind, encoding = mimetypes.guess_type(path)
    if encoding is not None:
        return None
    with open(path, "rb") as f:
        body = f.read()
    kind = kind or "application/octet-stream"
    gzipped = None
    if kind.startswith(COMPRESSIBLE) and len(body) >= MIN_GZIP_BYTES:
        packed = gzip.compress(body, compresslevel=9, mtime=0)
        gzipped = packed if len(packed) < len(body) else None
    if kind.startswith("text/") or kind == "application/javascript":
        kind += "; charset=utf-8"
    version = version_of(body)
    headers = (
        (b"content-type", kind.encode()),
        (b"cache-control", IMMUTABLE),
        (b"etag", f'"{version}"'.encode()),
        *extra_headers,
    )
    if gzipped is not None:
        headers += ((b"vary", b"Accept-Encoding"),)
    return Entry(body, gzipped, version, headers)


def inside(root: str, relative: str) -> str | None:
    """The path of ``root/relative`` if it is a file inside ``root`` named by its one canonical
    relative path (no ``./``, ``//``, ``..``, backslash, drive or symlink detour), else None."""
    if not relative or "\x00" in relative or is_unsafe_path_pattern(relative):
        return None
    full = os.path.realpath(os.path.join(root, relative))
    if not full.startswith(root + os.sep) or os.path.relpath(full, root) != relative:
        return None
    return full if os.path.isfile(full) else None


def takes_gzip(accept_encoding: bytes) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip (``gzip;q=0`` refuses it; ``*`` counts
    when gzip is not named)."""

    def accepted(params: str) -> bool:
        q = params.strip().lower()
        return not (q.startswith("q=") and q[2:].strip().rstrip("0").rstrip(".") in ("", "0"))

    star = False
    for item in accept_encoding.decode("latin-1").split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if name == "gzip":
            return accepted(params)
        if name == "*":
            star = accepted(params)
    return star


class StaticCache:
    """ASGI middleware: serve Streamlit's bundle and the app's versioned files from memory."""

    def __init__(self, app) -> None:
        self.app = app
        self.bundle_root = os.path.realpath(os.path.join(file_util.get_static_dir(), "static"))
        self.app_root = os.path.realpath(STATIC)
        self.entries: dict[str, Entry | None] = {}
        self.loading = anyio.Lock()

    def _find(self, scope) -> tuple[str, tuple, str | None] | None:
        """The file a request names, the extra headers it gets and the version it must have."""
        path, base = scope["path"], base_path()
        if path.startswith(f"{base}/static/"):
            full = inside(self.bundle_root, path[len(f"{base}/static/") :])
            return (full, (), None) if full else None
        if path.startswith(f"{base}/app/static/") and config.get_option("server.enableStaticServing"):
            full = inside(self.app_root, path[len(f"{base}/app/static/") :])
            version = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
            if full and version:
                extra = ((b"access-control-allow-origin", b"*"), (b"x-content-type-options", b"nosniff"))
                return full, extra, version
        return None

    async def _entry(self, full: str, extra: tuple) -> Entry | None:
        if full not in self.entries:
            async with self.loading:  # a crowd asking at once: the first reads, the rest wait for it
                if full not in self.entries:
                    try:
                        # off the event loop (plotly.js basic takes ≈ 40 ms to gzip)
                        self.entries[full] = await anyio.to_thread.run_sync(load, full, extra)
                    except OSError:
                        return None  # unreadable now: Streamlit answers, and the next request tries again
        return self.entries[full]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        found = None if b"range" in headers else self._find(scope)
        entry = None if found is None else await self._entry(found[0], found[1])
        if entry is None or (found[2] is not None and found[2] != entry.version):
            # not ours to answer, or an old version in the URL: an immutable copy must name its bytes
            await self.app(scope, receive, send)
            return
        response_headers = list(entry.headers)
        if headers.get(b"if-none-match") == f'"{entry.version}"'.encode():
            await send({"type": "http.response.start", "status": 304, "headers": response_headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = entry.body
        if entry.gzipped is not None and takes_gzip(headers.get(b"accept-encoding", b"")):
            body = entry.gzipped
            response_headers.append((b"content-encoding", b"gzip"))
        response_headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
