"""What the browser tests share: Debian's Chromium, loopback only, and the app served for a module.

The ``server`` and ``browser`` fixtures (tests/conftest.py) use these; the server's output goes
to a file (a pipe nobody reads would fill and stall it) and is shown if it does not start.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: What README's first command serves: the app with the static-file cache (dashboard/static_cache.py).
#: tests/test_config.py serves the plain ``streamlit_app.py`` too, as Community Cloud runs it.
SCRIPT = "serve.py"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LOOPBACK = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    log,
    script: str = SCRIPT,
    env: dict[str, str] | None = None,
    extra: tuple[str, ...] = (),
    timeout_s: float = 60,
) -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` (``extra``: more flags) on a free loopback port, its output to the
    file ``log`` (``env``: more environment, such as ``CAUCASUS_STORE_DIR``); returns the process
    and its base URL once /_stcore/health answers, or raises with the end of the log."""
    port = free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), *extra],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.5)
    stop(proc)
    log.seek(0)
    raise RuntimeError("streamlit did not start: " + log.read().decode(errors="replace")[-2000:])


def stop(proc: subprocess.Popen) -> None:
    """Stop a served app: politely, then for good."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextmanager
def served_app(script: str = SCRIPT, timeout_s: float = 60, env: dict[str, str] | None = None) -> Iterator[str]:
    """:func:`start_app` for a ``with`` block: yields the base URL, stops the app after."""
    with tempfile.TemporaryFile() as log:
        proc, base = start_app(log, script, env, timeout_s=timeout_s)
        try:
            yield base
        finally:
            stop(proc)


class LoopbackContext:
    """A fresh browser context that may only talk to loopback; records what it blocked."""

    def __init__(self, browser, viewport: dict) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.blocked: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _route(self, route) -> None:
        url = route.request.url
        if LOOPBACK.match(url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()
