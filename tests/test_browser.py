"""A real headless Chromium against the served app, with every off-machine request blocked.

Serves ``streamlit_app.py`` on loopback, drives Debian's Chromium through Playwright, and saves
screenshots under ``test-artifacts/browser/`` (the path is printed at the end of the run).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from tests.browser_harness import ARTIFACTS, LoopbackContext
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


MAP_JS = "document.querySelector('[data-testid=live-map]').__scm"
MARKER_POSITION_JS = """(eventId) => new Promise((resolve) => {
    const st = MAP;
    const marker = st && st.markers.get(eventId);
    if (!marker) return resolve(null);
    st.cluster.zoomToShowLayer(marker, () => {
        const r = marker.getElement().getBoundingClientRect();
        resolve([r.left + r.width / 2, r.top + r.height / 2]);
    });
})""".replace("MAP", MAP_JS)


class Session(LoopbackContext):
    """The dashboard in a fresh loopback-only browser context."""

    def __init__(self, browser, viewport: dict | None = None):
        super().__init__(browser, viewport or {"width": 1500, "height": 1100})

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

    def live_map(self):
        """The map's state object once Leaflet has drawn it (markers or clusters)."""
        self.page.locator("[data-testid=live-map] .leaflet-marker-icon").first.wait_for(timeout=60_000)
        return self.page

    def map_eval(self, body: str):
        """Evaluate ``body`` with ``st`` bound to the live map's state."""
        self.live_map()
        return self.page.evaluate(f"() => {{ const st = {MAP_JS}; {body} }}")

    def view(self) -> tuple[float, float, float]:
        return tuple(self.map_eval("const c = st.map.getCenter(); return [c.lat, c.lng, st.map.getZoom()];"))

    def click_marker(self, event_id: str) -> None:
        """Click the event's marker where Leaflet draws it on screen (opening its cluster first)."""
        self.live_map()
        at = self.page.evaluate(MARKER_POSITION_JS, event_id)
        assert at, "the event's marker is not on the map"
        self.page.mouse.click(*at)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture(scope="module")
def server(imported_store_dir):
    """The app served on loopback with a store of imported fixture events (ACLED, UCDP, GDELT, timemap)."""
    from tests.browser_harness import served_app

    try:
        with served_app(env={"CAUCASUS_STORE_DIR": str(imported_store_dir)}) as base:
            yield base
    except RuntimeError as err:
        pytest.fail(str(err))


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


LANES_PLOT = ".st-key-timeline .js-plotly-plot"
IMPORTED_PLOT = ".st-key-imported_timeline .js-plotly-plot"


def _pick_type(page, name: str) -> None:
    box = page.get_by_role("combobox", name="Event type", exact=True)  # the sidebar multiselect
    box.click()
    box.fill(name)
    page.keyboard.press("Enter")


def test_map_and_timeline_appear_with_no_internet(server, session):
    page = session.open(server)
    session.live_map()
    # the plain base (country polygons) and the events are drawn though tiles are blocked
    assert page.locator("[data-testid=live-map] path").count() > 10
    assert page.locator("[data-testid=live-map] .leaflet-control-layers").count() == 1
    assert page.locator(LANES_PLOT).count() == 1
    assert page.locator(f"{LANES_PLOT} .bars, {LANES_PLOT} .scatterlayer .point").count() > 0
    session.shot("01-map-and-timeline")
    # the charts come from the vendored plotly.js basic bundle, not Streamlit's 4.7 MB Plotly chunk
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert any("/app/static/vendor/plotly/plotly-basic.min.js" in url for url in loaded)
    assert not [url for url in loaded if "/static/js/PlotlyChart" in url]
    # nothing but tiles tried to leave the machine: Leaflet and friends came from the app itself
    assert session.blocked, "expected the tile requests to be blocked"
    assert all("tile" in u or "basemaps" in u for u in session.blocked), session.blocked[:5]


def test_the_map_keeps_its_view_and_layers_across_a_filter_change(server, session):
    page = session.open(server)
    session.map_eval("st.map.setView([39.5, 46.3], 9, {animate: false}); st.root.__sameMap = true;")
    # switch a reference layer off through the layer control, as a user would
    page.locator("[data-testid=live-map] .leaflet-control-layers").hover()
    page.get_by_text("Armenia's provinces (Syunik highlighted)").click()
    _wait_for_url(page, lambda u: "hide=provinces" in u and "map=39.5" in u)
    total = session.count()[1]
    scroll = "() => document.querySelector('[data-testid=stMain]').scrollTop"
    page.evaluate("() => { document.querySelector('[data-testid=stMain]').scrollTop = 120; }")
    before = page.evaluate(scroll)
    _pick_type(page, "clash")
    page.get_by_text(re.compile(rf"3 of {total} events")).first.wait_for(timeout=30_000)
    session.settle()
    assert abs(page.evaluate(scroll) - before) <= 2  # the page does not jump
    lat, lon, zoom = session.view()
    assert (round(lat, 2), round(lon, 2), zoom) == (39.5, 46.3, 9)
    same, provinces_on, markers = session.map_eval(
        "return [st.root.__sameMap === true, st.map.hasLayer(st.overlays.provinces.group), st.events.length];"
    )
    assert (same, provinces_on, markers) == (True, False, 3)  # the same map, only the events changed
    query = parse_qs(urlparse(page.url).query)
    assert query["type"] == ["clash"] and query["hide"] == ["provinces"] and query["map"][0].endswith(",9")
    session.shot("02-filtered-keeps-view")


def test_the_copy_link_box_gives_the_view_as_it_is_now(server, browser, session):
    """The map and the timeline write their view into the URL from their fragments, which do not
    redraw the box: it must still give the address with the latest map view and layers."""
    page = session.open(f"{server}/?type=clash")
    session.map_eval("st.map.setView([39.5, 46.3], 9, {animate: false});")
    page.locator("[data-testid=live-map] .leaflet-control-layers").hover()
    page.get_by_text("Armenia's provinces (Syunik highlighted)").click()
    now = _wait_for_url(page, lambda u: "hide=provinces" in u and "map=39.5" in u)
    page.get_by_role("button", name="Copy link to this view").click()
    box = page.get_by_role("textbox", name="Link to this view")
    box.wait_for(timeout=30_000)
    playwright_api.expect(box).to_have_value(now.replace("%2C", ","), timeout=10_000)
    session.shot("03a-copy-link")
    # and the link opens that view in a fresh context
    other = Session(browser)
    try:
        other.open(box.input_value())
        lat, lon, zoom = other.view()
        assert (round(lat, 2), round(lon, 2), zoom) == (39.5, 46.3, 9)
        assert other.map_eval("return st.map.hasLayer(st.overlays.provinces.group);") is False
        assert other.count()[0] == 3
    finally:
        other.close()


def test_the_copy_link_box_fits_a_phone(server, browser):
    """At 390 px the address and its Copy button wrapped onto two rows, and the 48 px box cut
    the button off: they share one row, the address scrolling inside its field."""
    phone = Session(browser, viewport={"width": 390, "height": 844})
    try:
        page = phone.open(f"{server}/?type=clash")
        page.get_by_role("button", name="Copy link to this view").click()
        field = page.get_by_role("textbox", name="Link to this view")
        field.wait_for(timeout=30_000)
        copy = page.get_by_role("button", name="Copy", exact=True)
        f, c = field.bounding_box(), copy.bounding_box()
        assert abs((f["y"] + f["height"] / 2) - (c["y"] + c["height"] / 2)) < 4, (f, c)  # one row
        assert c["x"] + c["width"] <= 390 and copy.is_visible()
        phone.shot("03b-copy-link-phone")
    finally:
        phone.close()


def test_a_link_reproduces_map_view_base_layers_and_timeline_range(server, session):
    page = session.open(
        f"{server}/?map=39.8000,46.7000,10&base=plain&hide=provinces,borders&time=2022-01-01,2023-12-31&lanes=actor"
    )
    lat, lon, zoom = session.view()
    assert (round(lat, 3), round(lon, 3), zoom) == (39.8, 46.7, 10)
    base, provinces, borders = session.map_eval(
        "const on = (id) => st.map.hasLayer(st.overlays[id].group);"
        " return [st.baseName, on('provinces'), on('borders')];"
    )
    assert (base, provinces, borders) == ("plain", False, False)
    x_range = page.evaluate(f"() => document.querySelector('{LANES_PLOT}')._fullLayout.xaxis.range")
    assert x_range[0].startswith("2022-01-01") and x_range[1].startswith("2023-12-31")
    assert page.get_by_role("radio", name="actor").is_checked()
    session.shot("03-link-with-view")


def test_zooming_the_timeline_puts_its_range_in_the_url(server, session):
    page = session.open(f"{server}/?type=clash")
    page.locator(f"{LANES_PLOT} .nsewdrag").first.scroll_into_view_if_needed()
    area = page.locator(f"{LANES_PLOT} .nsewdrag").first.bounding_box()
    y = area["y"] + area["height"] / 2
    page.mouse.move(area["x"] + area["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.7, y, steps=10)
    page.mouse.up()
    url = _wait_for_url(page, lambda u: "time=" in u)
    start, end = parse_qs(urlparse(url).query)["time"][0].split(",")
    assert start < end
    session.settle()  # a rerun keeps the zoom
    x_range = page.evaluate(f"() => document.querySelector('{LANES_PLOT}')._fullLayout.xaxis.range")
    assert x_range[0][:10] == start and x_range[1][:10] == end
    # a double-click zooms out: the default view, and no range in the link
    page.locator(f"{LANES_PLOT} .nsewdrag").first.dblclick(position={"x": 150, "y": 20})
    _wait_for_url(page, lambda u: "time=" not in u)
    session.settle()
    x_range = page.evaluate(f"() => document.querySelector('{LANES_PLOT}')._fullLayout.xaxis.range")
    assert x_range[0][:10] < start


def test_clicking_a_marker_opens_its_event_panel(server, session):
    event_id = "khankendi-parade-2023-11-08"
    page = session.open(f"{server}/?q=Stepanakert")
    assert session.count()[0] == 1
    session.click_marker(event_id)
    page.get_by_text("What the articles say").first.wait_for(timeout=30_000)
    assert page.get_by_text("Khankendi (also Stepanakert").count() >= 1
    _wait_for_url(page, lambda u: f"event={event_id}" in u)
    session.settle()
    assert session.map_eval("return st.root.getAttribute('data-selected');") == event_id
    session.shot("04-event-panel")


def _centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _click_mark(page) -> None:
    point = page.locator(f"{LANES_PLOT} .scatterlayer .point").first
    point.wait_for(timeout=30_000)
    point.scroll_into_view_if_needed()
    x, y = _centre(point)
    page.mouse.move(x - 20, y)
    page.mouse.move(x, y, steps=5)  # plotly picks the point it hovers
    page.mouse.click(x, y)


def test_a_timeline_click_highlights_the_event_and_brings_it_into_view(server, session):
    event_id = "khankendi-parade-2023-11-08"
    page = session.open(f"{server}/?q=Stepanakert&map=55.7500,37.6000,9")  # the map looks at Moscow
    assert session.view()[2] == 9
    _click_mark(page)
    page.get_by_text("What the articles say").first.wait_for(timeout=30_000)
    _wait_for_url(page, lambda u: f"event={event_id}" in u)
    session.settle()
    selected, in_view, zoom = session.map_eval(
        f"const ll = st.markers.get('{event_id}').getLatLng();"
        " return [st.root.getAttribute('data-selected'), st.map.getBounds().contains(ll), st.map.getZoom()];"
    )
    assert (selected, in_view, zoom) == (event_id, True, 9)  # panned to it, not zoomed out
    assert page.locator("[data-testid=live-map] .scm-selected").count() == 1
    session.shot("05-timeline-click")


def test_a_rerun_updates_the_charts_in_place(server, session):
    """A selection reruns the page and sends the charts again: Plotly.react updates them in place.
    A new full-screen button (a new click function) in every rerun's config made Plotly rebuild
    each chart from scratch (≈ 3 times the work, and a hover or a box being drawn was lost)."""
    event_id = "khankendi-parade-2023-11-08"
    page = session.open(f"{server}/?q=Stepanakert")
    page.evaluate("() => document.querySelectorAll('.js-plotly-plot .main-svg').forEach((e) => { e.__kept = true; })")
    _click_mark(page)
    _wait_for_url(page, lambda u: f"event={event_id}" in u)
    session.settle()
    kept = page.evaluate(
        f"() => [...document.querySelectorAll('{LANES_PLOT} .main-svg, .st-key-strip .main-svg')]"
        ".map((e) => !!e.__kept)"
    )
    assert kept and all(kept), kept


def test_clicking_the_same_timeline_mark_again_selects_it_again(server, session):
    """Every pick is reported, not only a changed one: click a mark, clear the selection, click
    the same mark again, and it is selected again."""
    event_id = "khankendi-parade-2023-11-08"
    page = session.open(f"{server}/?q=Stepanakert")
    _click_mark(page)
    _wait_for_url(page, lambda u: f"event={event_id}" in u)
    page.get_by_role("button", name="Clear selection").click()
    _wait_for_url(page, lambda u: "event=" not in u)
    session.settle()
    _click_mark(page)
    _wait_for_url(page, lambda u: f"event={event_id}" in u)


def test_the_timeline_opens_full_screen_keeps_its_zoom_and_still_selects(server, session):
    """The chart's full-screen button (st.plotly_chart had one): the lanes spread over the window,
    a rerun (a selection) keeps them there, Escape puts them back at their own height."""
    event_id = "khankendi-parade-2023-11-08"
    page = session.open(f"{server}/?q=Stepanakert")
    plot = page.locator(LANES_PLOT)
    height = plot.bounding_box()["height"]
    plot.scroll_into_view_if_needed()
    plot.hover()
    plot.locator(".modebar-btn[data-title='View full screen']").click()
    full = page.locator(".st-key-timeline .scp-full")
    full.wait_for(timeout=10_000)
    box = plot.bounding_box()
    assert box["width"] >= 1400 and box["height"] >= 1000  # the 1500 x 1100 window, less the margins
    session.shot("05b-timeline-full-screen")
    _click_mark(page)  # selecting in full screen reruns the page; the chart stays spread out
    _wait_for_url(page, lambda u: f"event={event_id}" in u)
    session.settle()
    assert full.count() == 1 and plot.bounding_box()["height"] >= 1000
    page.keyboard.press("Escape")
    full.wait_for(state="detached", timeout=10_000)
    assert abs(plot.bounding_box()["height"] - height) < 2
    assert page.evaluate("() => document.documentElement.classList.contains('scp-full-open')") is False


#: True once the strip's plotting area and dates are the lanes' (to within a pixel).
ALIGNED_JS = """() => {
  const [s, l] = ['strip', 'timeline'].map((k) => document.querySelector(`.st-key-${k} .js-plotly-plot`));
  if (!s || !l || !s._fullLayout || !l._fullLayout) return false;
  const left = (gd) => gd.getBoundingClientRect().left + gd._fullLayout._size.l;
  return Math.abs(left(s) - left(l)) <= 1 && Math.abs(s._fullLayout._size.w - l._fullLayout._size.w) <= 1
    && String(s._fullLayout.xaxis.range) === String(l._fullLayout.xaxis.range);
}"""
#: True once the strip, in full screen, spreads over the window.
FULL_WIDTH_JS = """() => {
  const gd = document.querySelector('.st-key-strip .js-plotly-plot');
  return gd._fullLayout._size.w > window.innerWidth - 100;
}"""
#: Each chart's plotting area on the page (left, right, in px) and its date range.
PLOT_AREAS_JS = """() => ['strip', 'timeline'].map((k) => {
  const gd = document.querySelector(`.st-key-${k} .js-plotly-plot`);
  const left = gd.getBoundingClientRect().left + gd._fullLayout._size.l;
  return [left, left + gd._fullLayout._size.w, gd._fullLayout.xaxis.range.map(String)];
})"""


@pytest.mark.parametrize("width", [1500, 390])
def test_the_count_strip_sits_exactly_over_the_lanes(server, browser, width):
    """A date is at the same x on the strip and on the lanes, also when the lanes scroll in a box
    (its padding and scrollbar made them 16 px narrower), so a drag across the strip picks the
    dates the lanes show under it; the top lane's label is shown too."""
    s = Session(browser, viewport={"width": width, "height": 1100})
    try:
        page = s.open(f"{server}/?lanes=actor")
        page.wait_for_function(ALIGNED_JS, timeout=20_000)  # polled, then measured
        (strip_l, strip_r, strip_dates), (lanes_l, lanes_r, lanes_dates) = page.evaluate(PLOT_AREAS_JS)
        assert abs(strip_l - lanes_l) <= 1 and abs(strip_r - lanes_r) <= 1, (strip_l, strip_r, lanes_l, lanes_r)
        assert strip_dates == lanes_dates
        first = page.locator(f"{LANES_PLOT} .ytick text").first
        assert first.bounding_box()["width"] > 20 and first.text_content().startswith("Commonwealth of")
    finally:
        s.close()


LABELS_AND_MARKS_JS = """() => {
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  const right = Math.max(...[...gd.querySelectorAll('.ytick text')].map((t) => t.getBoundingClientRect().right));
  const marks = [...gd.querySelectorAll('.scatterlayer .point, .barlayer .point path, .barlayer path')]
    .map((m) => m.getBoundingClientRect()).filter((r) => r.width > 0);
  return [right, Math.min(...marks.map((r) => r.left))];
}"""


def test_on_a_phone_the_lane_labels_clear_the_first_marks(server, browser):
    """The labels sit inside the lanes, left of the first mark. On a phone the room the default
    range leaves them was narrower than "military exercise", which covered the 2020 marks: the
    range now starts earlier there, and that is not taken for the user's zoom (no time= link)."""
    s = Session(browser, viewport={"width": 390, "height": 844})
    try:
        page = s.open(f"{server}/?actor=iran")
        page.wait_for_function(f"() => {{ const [l, m] = ({LABELS_AND_MARKS_JS})(); return l < m; }}", timeout=20_000)
        labels_end, first_mark = page.evaluate(LABELS_AND_MARKS_JS)
        assert labels_end < first_mark, (labels_end, first_mark)
        (_, _, strip_dates), (_, _, lanes_dates) = page.evaluate(PLOT_AREAS_JS)
        assert strip_dates == lanes_dates  # the strip shows the same dates
        assert "time=" not in page.url
    finally:
        s.close()


def test_the_count_strip_in_full_screen_uses_the_window_and_lines_up_again_after(server, browser):
    """In the page the strip's plotting area is held over the lanes' (their box's padding); in full
    screen it kept that offset, leaving a third of the window empty."""
    s = Session(browser, viewport={"width": 1500, "height": 1100})
    try:
        page = s.open(f"{server}/?lanes=actor")
        strip = page.locator(".st-key-strip .js-plotly-plot")
        strip.scroll_into_view_if_needed()
        strip.hover()
        strip.locator(".modebar-btn[data-title='View full screen']").click()
        page.locator(".st-key-strip .scp-full").wait_for(timeout=10_000)
        page.wait_for_function(FULL_WIDTH_JS, timeout=10_000)
        (left, right, _), _ = page.evaluate(PLOT_AREAS_JS)
        assert left < 60 and right > 1440, (left, right)
        page.keyboard.press("Escape")
        page.locator(".st-key-strip .scp-full").wait_for(state="detached", timeout=10_000)
        page.wait_for_function(ALIGNED_JS, timeout=10_000)
        (strip_l, strip_r, _), (lanes_l, lanes_r, _) = page.evaluate(PLOT_AREAS_JS)
        assert abs(strip_l - lanes_l) <= 1 and abs(strip_r - lanes_r) <= 1
    finally:
        s.close()


RANGE_JS = "() => document.querySelector('.st-key-timeline .js-plotly-plot')._fullLayout.xaxis.range.map(String)"


@pytest.mark.parametrize(("width", "path"), [(390, "/?actor=iran"), (1500, "/?lanes=source")])
def test_a_double_click_on_the_unzoomed_timeline_changes_nothing(server, browser, width, path):
    """Double-click is "zoom out". On the default view it reset the range to Plotly's own (or to
    the range before the room for the labels), wrote it into the link as a zoom (time=), and on
    a phone put the labels back over the marks."""
    s = Session(browser, viewport={"width": width, "height": 1000})
    try:
        page = s.open(server + path)
        page.wait_for_function(f"() => {{ const [l, m] = ({LABELS_AND_MARKS_JS})(); return l < m; }}", timeout=20_000)
        before = page.evaluate(RANGE_JS)
        area = page.locator(f"{LANES_PLOT} .nsewdrag").first
        area.scroll_into_view_if_needed()
        area.dblclick(position={"x": 150, "y": 20})
        page.wait_for_timeout(500)
        s.settle()  # any rerun the double-click caused has run
        assert "time=" not in page.url
        after = page.evaluate(RANGE_JS)
        # the same view (the labels' room is measured again: within a few days over decades)
        assert all(
            abs(pd.Timestamp(a) - pd.Timestamp(b)) < pd.Timedelta(days=10) for a, b in zip(after, before, strict=True)
        )
        labels_end, first_mark = page.evaluate(LABELS_AND_MARKS_JS)
        assert labels_end < first_mark
    finally:
        s.close()


def test_dragging_across_the_count_strip_sets_the_date_filter(server, session):
    page = session.open(server)
    drag = page.locator(".st-key-strip .js-plotly-plot .nsewdrag").first
    drag.wait_for(timeout=30_000)
    drag.scroll_into_view_if_needed()
    box = drag.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.86, y)  # over the bars of the 2020s
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.99, y, steps=10)
    page.mouse.up()
    url = _wait_for_url(page, lambda u: "from=" in u)
    date_from = dt.date.fromisoformat(re.search(r"from=([0-9-]+)", url)[1])
    assert date_from.year >= 2019, url
    assert session.count()[0] < session.count()[1]  # fewer events than in the data


def _box_all(page) -> None:
    plot = page.locator(LANES_PLOT).first
    plot.scroll_into_view_if_needed()
    plot.hover()
    page.locator(f"{LANES_PLOT} .modebar-btn[data-title='Box Select']").first.click()
    area = page.locator(f"{LANES_PLOT} .nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + 2, area["y"] + 2)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] - 2, area["y"] + area["height"] - 2, steps=12)
    page.mouse.up()


def test_a_box_on_the_timeline_selects_and_highlights_three(server, session):
    page = session.open(f"{server}/?type=clash")
    _box_all(page)
    page.get_by_text("3 events selected").first.wait_for(timeout=30_000)
    url = _wait_for_url(page, lambda u: u.count("event=") == 3)
    session.settle()
    chosen = parse_qs(urlparse(url).query)["event"]
    assert sorted(session.map_eval("return st.root.getAttribute('data-selected');").split()) == sorted(chosen)
    assert page.locator("[data-testid=live-map] .scm-selected").count() == 3
    session.shot("06-timeline-box")


def test_a_box_of_several_moves_the_map_only_when_none_is_in_view(server, session):
    """A review found a box of seven events moving the map to the first of them, Prague, away
    from the five in view. The map stays when one of the box's events is in view; when none is,
    it pans to the one nearest the centre, at the user's zoom."""
    page = session.open(f"{server}/?type=deployment")  # 4 events at 3 places, 60-200 km apart
    _box_all(page)
    chosen = parse_qs(urlparse(_wait_for_url(page, lambda u: u.count("event=") == 4)).query)["event"]
    page.get_by_role("button", name="Clear selection").click()
    _wait_for_url(page, lambda u: "event=" not in u)
    session.settle()
    where = {
        e: tuple(session.map_eval(f"const ll = st.markers.get({e!r}).getLatLng(); return [ll.lat, ll.lng];"))
        for e in chosen
    }
    # look closely at an event placed away from the first of the box (which opens in the panel,
    # and where the map used to go): that first one is off screen
    target = next(e for e in chosen if where[e] != where[chosen[0]])
    lat, lon = where[target]
    session.map_eval(f"st.map.setView([{lat}, {lon}], 12, {{animate: false}});")
    _wait_for_url(page, lambda u: parse_qs(urlparse(u).query).get("map", [""])[0].endswith(",12"))
    session.settle()
    visible = session.map_eval(
        "const b = st.map.getBounds();"
        " return st.events.filter((e) => b.contains(st.markers.get(e.id).getLatLng())).map((e) => e.id);"
    )
    assert target in visible and chosen[0] not in visible
    before = session.view()
    _box_all(page)
    _wait_for_url(page, lambda u: u.count("event=") == 4)
    session.settle()
    assert session.view() == before, "one of the box's events was in view: the map must not move"
    # from far away (Brussels) it pans to the nearest of them, keeping the zoom
    page.get_by_role("button", name="Clear selection").click()
    _wait_for_url(page, lambda u: "event=" not in u)
    session.map_eval("st.map.setView([50.85, 4.35], 8, {animate: false});")
    _wait_for_url(page, lambda u: "map=50.85" in u)
    session.settle()
    _box_all(page)
    _wait_for_url(page, lambda u: u.count("event=") == 4)
    session.settle()
    lat2, lon2, zoom2 = session.view()
    assert zoom2 == 8

    def mercator(lat: float, lon: float) -> tuple[float, float]:  # as Leaflet projects, up to scale
        return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    brussels = mercator(50.85, 4.35)
    nearest = min(where.values(), key=lambda ll: math.dist(mercator(*ll), brussels))
    assert abs(lat2 - nearest[0]) + abs(lon2 - nearest[1]) < 1e-3, "centred on the nearest of them"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/explore?actor=iran&region=syunik&region_role=either&from=2021-01-01&lanes=actor&event=iran-offers-syunik-base-2021",
        "/?actor=iran&officials=0&from=2021-01-01&to=2022-12-31&q=Syunik",
        "/?map=39.5,46.3,8&base=plain&hide=provinces&time=2021-01-01,2023-12-31&event=iran-exercise-2022",
        "/?type=clash&event=border-clash-2022-09-13&map=39.5000,46.3000,9&base=plain&hide=provinces&time=2021-01-01,2023-12-31",
        "/?region=nakhchivan&region_role=concerns&corroboration=single",
        "/?story=eu-observers-to-euma&step=3",
        "/?play=2022-09-01,90",
        "/?imported=acled&imported=ucdp&from=2022-01-01",
        "/article?source_text=moscowtimes-2024-09-26-russia-iran-rift",
        "/accounts",
        "/sources",
        "/data?type=clash",
        "/about",
    ],
)
def test_every_documented_link_form_opens(server, session, path):
    page = session.page
    page.goto(server + path)
    page.locator("[data-testid=stSidebar]").first.wait_for(timeout=60_000)
    session.settle() if path.startswith(("/?", "/explore")) or path == "/" else page.wait_for_timeout(3000)
    assert not session.blocked or all("tile" in u for u in session.blocked)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0
    if path.startswith("/explore"):
        _wait_for_url(page, lambda u: "actor=iran" in u and "event=iran-offers-syunik-base-2021" in u)
        session.live_map()
    if "imported=" in path:  # the imported datasets stay in the link, on the map and under the timeline
        _wait_for_url(page, lambda u: "imported=acled" in u and "imported=ucdp" in u)
        page.locator(f"{IMPORTED_PLOT} .main-svg").first.wait_for(timeout=60_000)
        assert "Imported: ACLED, UCDP GED (not curated)" in page.locator(IMPORTED_PLOT).first.inner_text()
        assert int(session.map_eval("return st.root.getAttribute('data-others') || '0';")) > 0


@pytest.mark.parametrize("width", [1500, 390])
def test_the_toolbar_leaves_the_dates_readable(server, browser, width):
    """The chart's toolbar (Plotly's modebar, top right; always shown on a touch screen) sat
    over the top row of dates: on a phone it hid most of them. It now has a row of its own."""
    s = Session(browser, viewport={"width": width, "height": 1000})
    try:
        page = s.open(f"{server}/?from=2020-01-01")
        page.locator(LANES_PLOT).first.scroll_into_view_if_needed()
        page.locator(LANES_PLOT).first.hover()
        bar = page.locator(f"{LANES_PLOT} .modebar").first
        bar.wait_for(state="visible", timeout=10_000)
        box = bar.bounding_box()
        dates = page.locator(f"{LANES_PLOT} .xtick text").all()
        assert len(dates) >= 3
        for date in dates:
            d = date.bounding_box()
            overlaps = d["x"] < box["x"] + box["width"] and box["x"] < d["x"] + d["width"]
            assert not (overlaps and d["y"] < box["y"] + box["height"]), (date.inner_text(), d, box)
        s.shot(f"07b-toolbar-{width}")
    finally:
        s.close()


def test_on_a_phone_map_and_timeline_are_usable(server, browser):
    phone = Session(browser, viewport={"width": 390, "height": 844})
    try:
        page = phone.open(server)
        phone.live_map()
        map_box = page.locator("[data-testid=live-map]").bounding_box()
        plot_box = page.locator(f"{LANES_PLOT} .nsewdrag").first.bounding_box()
        assert map_box["width"] >= 300 and plot_box["width"] >= 200
        assert plot_box["y"] > map_box["y"] + map_box["height"]  # stacked
        folded = phone.map_eval("return st.root.querySelector('.scm-legend details').open;")
        assert folded is False  # the legend starts folded on a small map
        phone.shot("07-phone")
    finally:
        phone.close()


def test_stepping_a_story_moves_the_map_and_the_timeline_and_writes_the_step(server, session):
    page = session.open(f"{server}/?story=eu-observers-to-euma&step=3")
    _wait_for_url(page, lambda u: "step=3" in u and "event=" in u)
    session.settle()
    before = parse_qs(urlparse(page.url).query)
    page.get_by_role("button", name="Next").click()
    url = _wait_for_url(page, lambda u: "step=4" in u)
    session.settle()
    after = parse_qs(urlparse(url).query)
    assert after["event"] != before["event"] and after["time"] != before["time"]
    event = after["event"][0]
    selected, in_view = session.map_eval(
        f"const m = st.markers.get('{event}'); return [st.root.getAttribute('data-selected'),"
        " !m || st.map.getBounds().contains(m.getLatLng())];"
    )
    assert selected == event and in_view
    start, end = after["time"][0].split(",")
    x_range = page.evaluate(f"() => document.querySelector('{LANES_PLOT}')._fullLayout.xaxis.range")
    assert x_range[0][:10] == start and x_range[1][:10] == end  # the timeline moved with the step
    assert page.locator(f"{LANES_PLOT} .scatterlayer .textpoint").count() >= 1  # steps are numbered
    session.shot("08-story-step")


def test_playback_moves_the_window_fades_events_and_pausing_gives_a_link(server, browser, session):
    page = session.open(f"{server}/?play=2022-06-01,90")
    session.live_map()
    first = session.map_eval("return st.events.map((e) => e.id + '@' + (e.fade ?? 1)).join(' ');")
    page.get_by_role("button", name="Play").click()
    _wait_for_url(page, lambda u: "play=" in u and "play=2022-06-01" not in u, timeout_s=60)
    session.settle()
    moved = session.map_eval("return st.events.map((e) => e.id + '@' + (e.fade ?? 1)).join(' ');")
    assert moved != first  # events came into the window, left it, or faded
    opacities = session.map_eval(
        "return [...st.markers.values()]"
        ".map((m) => parseFloat(m.getElement() ? m.getElement().style.opacity || 1 : 1));"
    )
    assert opacities and all(0 < o <= 1 for o in opacities)
    page.get_by_role("button", name="Pause").click()
    session.settle()
    paused = parse_qs(urlparse(page.url).query)["play"][0]
    page.wait_for_timeout(4000)
    assert parse_qs(urlparse(page.url).query)["play"][0] == paused  # it stays where it was paused
    session.shot("09-playback-paused")
    other = Session(browser)
    try:
        other.open(f"{server}/?play={paused}")
        assert other.page.get_by_text(re.compile(r"Paused: ")).count() >= 1
        assert parse_qs(urlparse(other.page.url).query)["play"][0] == paused
    finally:
        other.close()


def test_an_uploaded_acled_file_is_a_layer_of_its_own(server, session):
    page = session.open(server)
    session.live_map()
    page.get_by_text("Other event data").click()
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(
        str(ROOT / "tests" / "fixtures" / "ingest" / "acled_2022.csv")
    )
    page.get_by_text(re.compile(r"Show my \d+ uploaded events")).wait_for(timeout=30_000)
    session.settle()
    shown = int(session.map_eval("return st.root.getAttribute('data-others') || '0';"))
    assert shown > 0
    curated = session.map_eval("return st.events.length;")
    assert curated == session.count()[0] - len(unplaced_ids())  # the curated events are untouched
    assert page.get_by_text(re.compile(r"events from your upload, drawn as pink squares")).count() == 1
    assert page.get_by_text(re.compile(r"rows of your file were refused")).count() == 1  # the fixture's broken rows
    # and under the curated lanes, a chart of their own, titled as not curated
    upload_plot = page.locator(".st-key-upload_timeline .js-plotly-plot")
    upload_plot.locator(".main-svg").first.wait_for(timeout=60_000)
    assert "Uploaded by you (not curated)" in upload_plot.first.inner_text()
    assert page.get_by_text("Your upload is shown whole").count() == 1
    session.shot("10-upload")


def unplaced_ids() -> list[str]:
    from geo.load import load_dataset
    from geo.map import unplaced_events

    return unplaced_events(load_dataset().events)
