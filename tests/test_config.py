"""The production config: no tracebacks for visitors, XSRF on, and no uploads held by the server."""

from __future__ import annotations

import asyncio
import contextlib
import http.cookies
import logging
import os
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from tests.browser_harness import free_port, stop
from tests.conftest import ROOT

CONFIG = ROOT / ".streamlit" / "config.toml"


def _config() -> dict:
    with CONFIG.open("rb") as f:
        return tomllib.load(f)


def test_visitors_see_no_error_details():
    from streamlit.config import ShowErrorDetailsConfigOptions

    value = _config()["client"]["showErrorDetails"]
    assert value == ShowErrorDetailsConfigOptions.NONE.value == "none"


def test_xsrf_protection_stays_on():
    assert _config()["server"].get("enableXsrfProtection", True) is True


def test_uploads_are_capped_at_the_uploaders_size():
    from geo.uploads import MAX_UPLOAD_MB

    server = _config()["server"]
    assert server["maxUploadSize"] == MAX_UPLOAD_MB == 2
    assert server["enableStaticServing"] is True  # the vendored map assets


def test_no_forced_full_garbage_collection_after_every_run():
    # Streamlit's default gc.collect(2) after each script run was half the server's CPU per new
    # visitor (README "Many visitors"); the figures are printed by tools/load_test.py, not asserted.
    assert _config()["runner"]["postScriptGC"] is False


def test_streamlit_reads_the_config_as_written():
    from streamlit import config

    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("client.showErrorDetails") == "none"
        assert config.get_option("server.maxUploadSize") == 2
        assert config.get_option("server.enableXsrfProtection") is True
        assert config.get_option("runner.postScriptGC") is False
    finally:
        config.get_config_options(force_reparse=True)


def test_an_error_is_logged_in_full_but_shown_to_visitors_in_plain_words(caplog):
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    config.get_config_options(force_reparse=True)  # this repo's .streamlit/config.toml
    caplog.set_level(logging.ERROR)
    # Streamlit's loggers do not propagate to the root logger that caplog listens on
    streamlit_logger = logging.getLogger("streamlit")
    streamlit_logger.addHandler(caplog.handler)
    try:
        at = AppTest.from_string("raise ValueError('secret at /srv/app/data')").run()
    finally:
        streamlit_logger.removeHandler(caplog.handler)
    shown = at.exception[0].proto
    assert "secret" not in str(shown) and "ValueError" not in str(shown) and not shown.stack_trace
    assert "error" in shown.message
    logged = [r for r in caplog.records if r.exc_info and "secret at /srv/app/data" in str(r.exc_info[1])]
    assert logged, "the traceback must still reach the server log"


# --- the served app refuses uploads ------------------------------------------------------


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Poll /_stcore/health until it answers 200; fail with the server's output if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    pytest.fail(f"streamlit did not answer /_stcore/health: {out[-2000:]}")


@contextlib.contextmanager
def serve(argv: list[str], base: str) -> Iterator[subprocess.Popen]:
    """Run ``argv`` (a streamlit command line) from the repo root until the block ends."""
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_healthy(base, proc)
        yield proc
    finally:
        stop(proc)


@pytest.fixture(scope="module", params=["serve.py", "streamlit_app.py"])
def server(request) -> Iterator[str]:
    """README's command (the app through ``st.App`` with the static-file cache) and the plain
    script as Community Cloud runs it: the same limits on both."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "streamlit", "run", request.param]
    argv += ["--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port)]
    with serve(argv, base):
        yield base


def _xsrf_cookie(base: str) -> str:
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as r:
        jar = http.cookies.SimpleCookie()
        for header in r.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return jar["_streamlit_xsrf"].value


@contextlib.asynccontextmanager
async def _session(base: str, xsrf: str):
    """Open the app's websocket as a browser does; yield the session id it is given while it stays open."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(
        ws_url,
        subprotocols=["streamlit", xsrf],
        origin=base,
        additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}"},
        max_size=None,
    ) as ws:
        back = BackMsg()
        back.rerun_script.SetInParent()
        await ws.send(back.SerializeToString())
        async with asyncio.timeout(60):
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await ws.recv())
                if msg.WhichOneof("type") == "new_session":
                    break
        yield msg.new_session.initialize.session_id


def _put(base: str, session_id: str, xsrf: str | None, payload: bytes) -> int:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + payload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if xsrf:
        headers |= {"X-Xsrftoken": xsrf, "Cookie": f"_streamlit_xsrf={xsrf}"}
    url = f"{base}/_stcore/upload_file/{session_id}/{uuid.uuid4().hex}"
    request = urllib.request.Request(url, data=body, headers=headers, method="PUT")
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


def test_the_served_app_refuses_an_upload_larger_than_the_cap(server):
    pytest.importorskip("websockets")
    xsrf = _xsrf_cookie(server)

    async def uploads() -> list[int]:
        async with _session(server, xsrf) as session_id:
            assert session_id
            return [
                await asyncio.to_thread(_put, server, session_id, token, payload)
                for token, payload in [
                    (xsrf, b"x" * 64 * 1024),
                    (xsrf, b"x" * 3 * 1024 * 1024),
                    (xsrf, b""),
                    (None, b"x"),
                ]
            ] + [await asyncio.to_thread(_put, server, "no-such-session", xsrf, b"x")]

    small, large, empty, no_token, no_session = asyncio.run(uploads())
    # Streamlit checks the XSRF token (403), then the session (400), then the size (413):
    # a file under the 2 MB cap is taken (held in memory), one over it is refused
    assert small in (200, 204) and empty in (200, 204)
    assert large == 413
    assert (no_token, no_session) == (403, 400)
