"""The side-by-side accounts and the article view in a real headless Chromium, offline.

Serves ``streamlit_app.py`` on loopback, drives Debian's Chromium through Playwright with every
non-loopback request blocked, and saves screenshots at 1280 px and 390 px under
``test-artifacts/browser/``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from geo.corroboration import multi_source_ids
from geo.load import load_dataset
from tests.browser_harness import ARTIFACTS, LoopbackContext

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


WIDE, NARROW = 1280, 390
EUMA = "euma-established-2023-01-23"
MOSCOW = "moscowtimes-2024-09-26-russia-iran-rift"


class Session(LoopbackContext):
    """A page of the dashboard at one width, in a fresh loopback-only browser context."""

    def __init__(self, browser, width: int):
        super().__init__(browser, {"width": width, "height": 900})
        self.width = width

    def open(self, url: str, heading: str):
        self.page.goto(url)
        self.page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
        self.settle()
        return self.page

    def settle(self) -> None:
        self.page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
        self.page.wait_for_timeout(800)

    def shot(self, name: str, height: int = 900) -> Path:
        """Streamlit scrolls inside its own container, so a tall viewport shows more of the page."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}-{self.width}.png"
        self.page.set_viewport_size({"width": self.width, "height": height})
        self.page.wait_for_timeout(500)
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size({"width": self.width, "height": 900})
        return path


@pytest.fixture(params=[WIDE, NARROW], ids=["1280px", "390px"])
def session(request, browser):
    s = Session(browser, request.param)
    yield s
    s.close()


def _on_the_map_with(page, event_id: str) -> str:
    """After following a link to ./explore?event=…: the map page (at /explore, /map or /) with the event."""

    def landed(url: str) -> bool:
        parsed = urlparse(url)
        return parsed.path.rstrip("/").rsplit("/", 1)[-1] in ("explore", "map", "") and parse_qs(parsed.query).get(
            "event"
        ) == [event_id]

    url = _wait_for_url(page, landed)
    title = load_dataset().events.at[event_id, "title"]
    page.get_by_text(title).first.wait_for(timeout=60_000)  # the map page shows the selected event
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(1500)
    assert landed(page.url), page.url  # still there once the page has run
    return url


def _wait_for_url(page, predicate, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate(page.url):
            return page.url
        page.wait_for_timeout(250)
    raise AssertionError(f"URL never matched: {page.url}")


def test_accounts_page_shows_columns_and_links_to_the_map(server, session):
    page = session.open(f"{server}/accounts", "Accounts side by side")
    session.shot("10-accounts", height=1400)
    grid = page.locator(f".acc[data-event='{EUMA}'] .acc-grid")
    if not grid.is_visible():
        page.get_by_text("Council of the EU establishes").first.click()
    grid.wait_for(timeout=30_000)
    columns = grid.locator(".acc-col")
    assert columns.count() >= 1
    assert grid.locator(".acc-item").count() == 3
    assert grid.locator(".acc-side").first.inner_text()
    # every event that more than one article reports, one expander each
    assert page.locator("[class*='st-key-multi_'] .acc").count() == len(multi_source_ids(load_dataset()))
    boxes = [columns.nth(i).bounding_box() for i in range(columns.count())]
    assert all(b["x"] + b["width"] <= session.width for b in boxes), "a column runs off the screen"
    if session.width == NARROW and len(boxes) > 1:
        assert len({round(b["x"]) for b in boxes}) == 1, "columns stack on a phone"
    page.locator(f".acc[data-event='{EUMA}']").screenshot(path=str(ARTIFACTS / f"10-accounts-euma-{session.width}.png"))
    assert not session.blocked, session.blocked[:5]

    page.locator(f".acc[data-event='{EUMA}'] a.acc-map").first.click()
    _on_the_map_with(page, EUMA)
    session.shot("13-map-from-accounts")


def test_article_view_highlights_quotes_and_links_them_to_the_map(server, session):
    page = session.open(f"{server}/article?source_text={MOSCOW}", "Read an article")
    text = page.locator(".art-text")
    text.wait_for(timeout=30_000)
    assert "The Moscow Times" in page.locator(".art-meta").inner_text()
    marks = text.locator("mark.q[id^='q-']")
    assert marks.count() == 20
    assert text.locator(f"mark#q-{EUMA}").count() == 1
    assert text.locator("sup.q-link a").count() == 20
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= session.width, "the article runs off the screen"
    session.shot("11-article", height=2600)
    assert not session.blocked, session.blocked[:5]

    link = text.locator(f"sup.q-link a[href='./explore?event={EUMA}']")
    link.scroll_into_view_if_needed()
    link.click()
    _on_the_map_with(page, EUMA)


def test_the_address_keeps_the_article_a_link_opened(server, browser):
    s = Session(browser, WIDE)
    try:
        page = s.open(f"{server}/article?source_text={MOSCOW}", "Read an article")
        page.locator(".art-text").wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        assert f"source_text={MOSCOW}" in page.url, "the address keeps the article"
    finally:
        s.close()


def test_a_quote_opens_in_its_article(server, browser):
    s = Session(browser, WIDE)
    try:
        page = s.open(f"{server}/accounts", "Accounts side by side")
        block = page.locator(f".acc[data-event='{EUMA}']")
        if not block.locator(".acc-grid").is_visible():
            page.get_by_text("Council of the EU establishes").first.click()
        link = block.locator(f".acc-item[data-source='{MOSCOW}'] a.acc-context")
        link.wait_for(timeout=30_000)
        link.click()
        _wait_for_url(page, lambda u: "/article" in u and f"source_text={MOSCOW}" in u)
        page.locator(f".art-text mark#q-{EUMA}").wait_for(timeout=30_000)
        assert "The Moscow Times" in page.locator(".art-meta").inner_text()
    finally:
        s.close()


def test_the_picker_opens_another_article_and_the_url_keeps_it(server, browser):
    s = Session(browser, WIDE)
    try:
        page = s.open(f"{server}/article?source_text={MOSCOW}", "Read an article")
        box = page.get_by_role("combobox", name="Article")
        box.click()
        # the picker names each article by outlet (or author) and title; the address keeps its id
        kuzio = re.compile(r"^Taras Kuzio \(outlet not named\) — Why Iran And Azerbaijan")
        page.get_by_role("option", name=kuzio).click()
        _wait_for_url(page, lambda u: "source_text=kuzio-2021-10-iran-azerbaijan-near-war" in u)
        s.settle()
        page.locator(".art-meta").get_by_text("Taras Kuzio").first.wait_for(timeout=30_000)
        assert page.locator(".art-text mark.q[id^='q-']").count() == 22
    finally:
        s.close()


def test_each_source_on_the_sources_page_opens_its_article(server, browser):
    s = Session(browser, WIDE)
    try:
        page = s.open(f"{server}/sources", "Sources")
        link = page.locator("a[href*='source_text=caliber-2025-iran-troops-armenia']").first  # its card's link
        link.wait_for(timeout=30_000)
        assert page.locator("a[href*='article?source_text=']").count() == len(load_dataset().sources)
        s.shot("12-sources", height=1800)
        link.click()
        _wait_for_url(page, lambda u: "/article" in u)
        page.locator(".art-meta").get_by_text("Caliber.Az").first.wait_for(timeout=30_000)
        s.shot("12-article-from-sources")
    finally:
        s.close()
