"""The static-file cache that ``serve.py`` puts in front of Streamlit (``dashboard/static_cache.py``).

In process: the middleware is called with real ASGI scopes for real files (Streamlit's bundle,
``static/``), an inner app standing for Streamlit records what is passed on. Served: ``streamlit
run serve.py`` answers from the cache with the right bytes and headers, and the rest as before.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from streamlit import file_util

from dashboard import static_cache
from dashboard.static_cache import StaticCache
from dashboard.static_files import STATIC, content_hash

BUNDLE = Path(file_util.get_static_dir()) / "static"
JS = sorted((BUNDLE / "js").glob("*.js"), key=lambda p: p.stat().st_size)[-1]  # the largest chunk
FONT = next(iter(sorted((BUNDLE / "media").glob("*.woff2"))))
PLOTLY = "vendor/plotly/plotly-basic.min.js"


class Streamlit:
    """Stands for Streamlit behind the middleware: answers 299 and records each request."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def acall(cache: StaticCache, path: str, query: str = "", method: str = "GET", headers=()):
    """One request through the middleware: (status, headers, body)."""
    sent: list[dict] = []

    async def send(message) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": method, "path": path, "query_string": query.encode(), "headers": list(headers)}
    await cache(scope, receive, send)
    return sent[0]["status"], {k.decode(): v.decode() for k, v in sent[0]["headers"]}, sent[1]["body"]


def call(cache: StaticCache, path: str, query: str = "", method: str = "GET", headers=()) -> tuple[int, dict, bytes]:
    return asyncio.run(acall(cache, path, query, method, headers))


@pytest.fixture
def inner() -> Streamlit:
    return Streamlit()


@pytest.fixture
def cache(inner) -> StaticCache:
    return StaticCache(inner)


GZIP = ((b"accept-encoding", b"gzip, deflate, br, zstd"),)


def test_plotly_is_present():
    assert (STATIC / PLOTLY).is_file(), "the test names a vendored file the app loads"


def test_a_bundle_file_is_sent_gzipped_once_read_and_immutable(cache, inner, monkeypatch):
    reads: list[str] = []
    real = static_cache.load
    monkeypatch.setattr(static_cache, "load", lambda path, extra=(): reads.append(path) or real(path, extra))

    for _ in range(3):
        status, headers, body = call(cache, f"/static/js/{JS.name}", headers=GZIP)
        assert status == 200
        assert gzip.decompress(body) == JS.read_bytes()
        assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
        assert headers["content-length"] == str(len(body))
        assert headers["cache-control"] == "public, immutable, max-age=31536000"
        assert "javascript" in headers["content-type"] and headers["content-type"].endswith("; charset=utf-8")
    assert reads == [os.path.realpath(JS)], "read and gzipped once, then from memory"
    assert inner.seen == []


def test_a_browser_that_does_not_take_gzip_gets_the_file_as_it_is(cache):
    status, headers, body = call(cache, f"/static/js/{JS.name}")
    assert status == 200 and body == JS.read_bytes() and "content-encoding" not in headers


def test_fonts_are_not_gzipped_again(cache):
    status, headers, body = call(cache, f"/static/media/{FONT.name}", headers=GZIP)
    assert status == 200 and body == FONT.read_bytes() and "content-encoding" not in headers


def test_head_sends_the_headers_only(cache):
    status, headers, body = call(cache, f"/static/js/{JS.name}", method="HEAD")
    assert status == 200 and body == b"" and headers["content-length"] == str(JS.stat().st_size)


def test_an_app_file_is_cached_only_under_its_current_version(cache, inner):
    status, headers, body = call(cache, f"/app/static/{PLOTLY}", f"v={content_hash(PLOTLY)}", headers=GZIP)
    assert status == 200 and gzip.decompress(body) == (STATIC / PLOTLY).read_bytes()
    assert headers["cache-control"] == "public, immutable, max-age=31536000"
    assert headers["x-content-type-options"] == "nosniff" and headers["access-control-allow-origin"] == "*"
    assert inner.seen == []
    # an old or missing version is Streamlit's to answer: an immutable copy must name its bytes
    for query in ("v=0000000000", "", f"v={content_hash(PLOTLY)}x"):
        assert call(cache, f"/app/static/{PLOTLY}", query)[0] == 299
    assert len(inner.seen) == 3


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../__init__.py",  # leaves the bundle
        "/static/js/../../index.html",  # the page itself is not a hashed file
        "/static/js/",  # a folder
        "/static/js/no-such-chunk.js",
        "/static/js\\..\\..\\__init__.py",
        "/static/\x00js",
        "/app/static/../data/events.csv",  # leaves static/
        "/app/static/",
        "/_stcore/health",
        "/explore",
    ],
)
def test_anything_else_goes_to_streamlit_unchanged(cache, inner, path):
    version = content_hash(PLOTLY)
    assert call(cache, path, f"v={version}")[0] == 299
    assert inner.seen == [path]


@pytest.mark.parametrize(
    "path",
    [
        f"/static/js/../js/{JS.name}",
        f"/static/./js/{JS.name}",
        f"/static//js/{JS.name}",
        f"/app/static/./{PLOTLY}",
        f"/app/static/vendor//plotly/{PLOTLY.rsplit('/', 1)[1]}",
    ],
)
def test_only_the_canonical_spelling_of_a_path_is_answered(cache, inner, path):
    """Other spellings go to Streamlit (which refuses them): none adds an entry to the cache."""
    assert call(cache, path, f"v={content_hash(PLOTLY)}")[0] == 299
    assert inner.seen == [path] and cache.entries == {}


def test_a_crowd_asking_at_once_reads_and_gzips_a_file_once(cache, monkeypatch):
    reads: list[str] = []
    real = static_cache.load

    def slow_load(path, extra=()):
        reads.append(path)
        time.sleep(0.05)
        return real(path, extra)

    monkeypatch.setattr(static_cache, "load", slow_load)

    async def crowd() -> list[int]:
        answers = await asyncio.gather(*(acall(cache, f"/static/js/{JS.name}") for _ in range(8)))
        return [status for status, _, _ in answers]

    assert asyncio.run(crowd()) == [200] * 8
    assert reads == [os.path.realpath(JS)]


def test_app_files_are_left_to_streamlit_when_static_serving_is_off(cache, inner, monkeypatch):
    from streamlit import config

    real = config.get_option
    monkeypatch.setattr(config, "get_option", lambda key: False if key == "server.enableStaticServing" else real(key))
    assert call(cache, f"/app/static/{PLOTLY}", f"v={content_hash(PLOTLY)}")[0] == 299


def test_gzip_refused_with_q_zero_and_a_known_version_gets_304(cache):
    status, headers, body = call(cache, f"/static/js/{JS.name}", headers=((b"accept-encoding", b"gzip;q=0, br"),))
    assert status == 200 and body == JS.read_bytes() and "content-encoding" not in headers
    etag = headers["etag"]
    status, headers, body = call(cache, f"/static/js/{JS.name}", headers=((b"if-none-match", etag.encode()),))
    assert status == 304 and body == b""


def test_accept_encoding_parsing():
    from dashboard.static_cache import takes_gzip

    assert takes_gzip(b"gzip, deflate, br") and takes_gzip(b"br;q=1.0, gzip;q=0.5") and takes_gzip(b"*")
    assert not takes_gzip(b"gzip;q=0") and not takes_gzip(b"gzip;q=0.0") and not takes_gzip(b"br, deflate")
    assert not takes_gzip(b"") and not takes_gzip(b"*;q=0") and takes_gzip(b"*;q=0, gzip")


def test_ranges_and_other_methods_go_to_streamlit(cache, inner):
    assert call(cache, f"/static/js/{JS.name}", headers=((b"range", b"bytes=0-9"),))[0] == 299
    assert call(cache, f"/static/js/{JS.name}", method="POST")[0] == 299
    assert len(inner.seen) == 2


def test_a_base_url_path_moves_both_prefixes(cache, inner, monkeypatch):
    monkeypatch.setattr(static_cache, "base_path", lambda: "/dash")
    assert call(cache, f"/dash/static/js/{JS.name}")[0] == 200
    assert call(cache, f"/dash/app/static/{PLOTLY}", f"v={content_hash(PLOTLY)}")[0] == 200
    assert call(cache, f"/static/js/{JS.name}")[0] == 299


# --- served: streamlit run serve.py ----------------------------------------------------------


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@pytest.fixture(scope="module")
def served():
    from tests.browser_harness import served_app

    with served_app("serve.py") as base:
        yield base


def test_served_bundle_and_app_files_come_from_the_cache(served):
    status, headers, body = _get(f"{served}/static/js/{JS.name}", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == JS.read_bytes()
    url = f"{served}/app/static/{PLOTLY}?v={content_hash(PLOTLY)}"
    status, headers, body = _get(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["cache-control"] == "public, immutable, max-age=31536000"
    assert gzip.decompress(body) == (STATIC / PLOTLY).read_bytes()


def test_served_unversioned_files_pages_and_health_are_streamlits_as_before(served):
    status, headers, body = _get(f"{served}/app/static/{PLOTLY}")
    assert (
        status == 200 and body == (STATIC / PLOTLY).read_bytes() and "immutable" not in headers.get("cache-control", "")
    )
    status, _, body = _get(f"{served}/_stcore/health")
    assert status == 200 and body == b"ok"
    status, _, page = _get(f"{served}/explore?actor=iran")
    assert status == 200 and b'<div id="root">' in page
    status, _, body = _get(f"{served}/static/../../../etc/passwd")
    assert b"root:" not in body
