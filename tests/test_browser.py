"""A real headless Chromium against the served app, with every off-machine request blocked.

Serves ``streamlit_app.py`` on loopback, drives Debian's Chromium through Playwright, and saves
screenshots under ``test-artifacts/browser/`` (the path is printed at the end of the run).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

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
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LOOPBACK = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "streamlit_app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: run `bash .ci/setup` (apt-get install chromium)"
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


MARKER_POSITION_JS = """(eventId) => {
    const map = Object.values(window).find((v) => v instanceof L.Map);
    let at = null;
    map.eachLayer((layer) => {
        const tip = layer instanceof L.CircleMarker && layer.getTooltip && layer.getTooltip();
        if (tip && String(tip.getContent()).includes("[" + eventId + "]")) {
            const p = map.latLngToContainerPoint(layer.getLatLng());
            const r = map.getContainer().getBoundingClientRect();
            at = [r.left + p.x, r.top + p.y];
        }
    });
    return at;
}"""


class Session:
    """A fresh browser context that may only talk to loopback; records what it blocked."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1500, "height": 1100})
        self.blocked: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _route(self, route):
        url = route.request.url
        if LOOPBACK.match(url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, url: str):
        self.page.goto(url)
        self.page.get_by_text(re.compile(r"\d+ of \d+ events")).first.wait_for(timeout=60_000)
        self.settle()
        return self.page

    def settle(self) -> None:
        """Wait until Streamlit has finished running the script and the chart has drawn."""
        self.page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
        self.page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
        self.page.wait_for_timeout(1000)

    def count(self) -> tuple[int, int]:
        text = self.page.get_by_text(re.compile(r"\d+ of \d+ events")).first.inner_text()
        m = re.search(r"(\d+) of (\d+) events", text)
        return int(m[1]), int(m[2])

    def map_frame(self):
        self.page.locator("iframe[title*='st_folium']").first.wait_for(timeout=60_000)
        frame = self.page.frame_locator("iframe[title*='st_folium']").first
        frame.locator(".leaflet-container").wait_for(timeout=60_000)
        return frame

    def leaflet_frame(self):
        """The map's iframe document, once Leaflet has made its map."""
        self.map_frame()
        frame = self.page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
        frame.wait_for_function("() => Object.values(window).some((v) => v instanceof L.Map)")
        return frame

    def click_marker(self, event_id: str) -> None:
        """Click the event's marker where Leaflet draws it on screen."""
        at = self.leaflet_frame().evaluate(MARKER_POSITION_JS, event_id)
        assert at, "the event's marker is not on the map"
        box = self.page.locator("iframe[title*='st_folium']").first.bounding_box()
        self.page.mouse.click(box["x"] + at[0], box["y"] + at[1])

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.context.close()


@pytest.fixture
def session(browser):
    s = Session(browser)
    yield s
    s.close()


def _wait_for_url(page, predicate, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate(page.url):
            return page.url
        page.wait_for_timeout(250)
    raise AssertionError(f"URL never matched: {page.url}")


def test_map_and_timeline_appear_with_no_internet(server, session):
    page = session.open(server)
    frame = session.map_frame()
    # the plain base (country polygons) and the event markers are drawn though tiles are blocked
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    assert frame.locator("path.leaflet-interactive").count() > 10
    assert frame.locator(".leaflet-control-layers").count() == 1
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    assert page.locator(".js-plotly-plot .bars, .js-plotly-plot .scatterlayer .point").count() > 0
    session.shot("01-map-and-timeline")
    # nothing but tiles tried to leave the machine: Leaflet and friends came from the app itself
    assert session.blocked, "expected the tile requests to be blocked"
    assert all("tile" in u or "basemaps" in u for u in session.blocked), session.blocked[:5]


def test_filter_change_writes_the_url_and_the_link_reproduces_the_view(server, browser, session):
    page = session.open(server)
    total = session.count()[1]
    box = page.get_by_role("combobox", name="Event type", exact=True)  # the sidebar multiselect
    box.click()
    box.fill("clash")
    page.keyboard.press("Enter")
    url = _wait_for_url(page, lambda u: "type=clash" in u)
    page.get_by_text(re.compile(rf"3 of {total} events")).first.wait_for(timeout=30_000)
    session.settle()
    session.map_frame()
    session.shot("02-filtered")
    assert parse_qs(urlparse(url).query)["type"] == ["clash"]

    other = Session(browser)  # a fresh context: no cookies, no session state
    try:
        other.open(url)
        other.page.get_by_text(re.compile(rf"3 of {total} events")).first.wait_for(timeout=30_000)
        assert other.count() == (3, total)
        other.settle()
        other.shot("03-shared-link")
    finally:
        other.close()


def test_clicking_a_marker_opens_its_event_panel(server, session):
    event_id = "khankendi-parade-2023-11-08"
    page = session.open(f"{server}/?q=Stepanakert")
    assert session.count()[0] == 1
    session.click_marker(event_id)
    page.get_by_text("What the articles say").first.wait_for(timeout=30_000)
    assert page.get_by_text("Khankendi (also Stepanakert").count() >= 1
    _wait_for_url(page, lambda u: f"event={event_id}" in u)
    session.settle()
    session.map_frame()
    session.shot("04-event-panel")


def _centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_clicking_a_timeline_point_selects_its_event(server, session):
    page = session.open(f"{server}/?q=Stepanakert")
    point = page.locator(".js-plotly-plot .scatterlayer .point").first
    point.wait_for(timeout=30_000)
    x, y = _centre(point)
    page.mouse.move(x - 20, y)
    page.mouse.move(x, y, steps=5)  # plotly picks the point it hovers
    page.mouse.click(x, y)
    page.get_by_text("What the articles say").first.wait_for(timeout=30_000)
    _wait_for_url(page, lambda u: "event=khankendi-parade-2023-11-08" in u)
    session.settle()
    session.map_frame()
    session.shot("05-timeline-click")


def test_a_box_on_the_timeline_selects_those_events(server, session):
    page = session.open(f"{server}/?type=clash")
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for(timeout=30_000)
    plot.hover()
    page.locator(".js-plotly-plot .modebar-btn[data-title='Box Select']").first.click()
    area = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + 2, area["y"] + 2)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] - 2, area["y"] + area["height"] - 2, steps=12)
    page.mouse.up()
    page.get_by_text("3 events selected on the timeline").first.wait_for(timeout=30_000)
    _wait_for_url(page, lambda u: "event=" in u)
    session.settle()
    session.map_frame()
    session.shot("06-timeline-box")


def test_selecting_an_event_keeps_the_maps_pan_and_zoom(server, session):
    event_id = "khankendi-parade-2023-11-08"
    page = session.open(f"{server}/?q=Stepanakert")
    session.leaflet_frame().evaluate(
        "() => { Object.values(window).find((v) => v instanceof L.Map).setView([39.8, 46.75], 9);"
        " window.__sameMap = true; }"
    )
    page.wait_for_timeout(500)
    session.click_marker(event_id)
    _wait_for_url(page, lambda u: f"event={event_id}" in u)
    session.settle()
    frame = session.leaflet_frame()
    # the same map document, at the zoom the user chose: the selection arrived as a layer
    assert frame.evaluate(
        "() => [window.__sameMap === true, Object.values(window).find((v) => v instanceof L.Map).getZoom()]"
    ) == [True, 9]
    session.shot("07-selection-keeps-zoom")
