"""The live map's popups and cluster clicks leave room for its controls, on a phone and on a desktop.

Headless Chromium against the served app (loopback only; the tiles fail, as expected). Screenshots
go to ``test-artifacts/browser/map-*.png``. The popups are opened on an event that the link already
selects: the click then reruns the page without first drawing the event panel.
"""

from __future__ import annotations

import pytest

from tests.test_browser import LANES_PLOT, MAP_JS, Session, _click_mark, _wait_for_url

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}
CLUSTER_MAX_ZOOM = 11  # static/map/live_map.js
BAKU = "aliyev-receives-ahmadian-2025-01-08"
CONTROLS = {
    "zoom": ".leaflet-control-zoom",
    "layers": ".leaflet-control-layers",
    "legend": ".scm-legend",
    "scale": ".leaflet-control-scale",
    "attribution": ".leaflet-control-attribution",
}
BOXES_JS = """(controls) => {
    const root = document.querySelector('[data-testid=live-map]');
    const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const popup = root.querySelector('.leaflet-popup');
    const out = {map: box(root), popup: popup && box(popup.querySelector('.leaflet-popup-content-wrapper'))};
    for (const [name, sel] of Object.entries(controls)) {
        const el = root.querySelector(sel);
        if (el && el.getBoundingClientRect().width) out[name] = box(el);
    }
    return out;
}"""


def _inside(inner, outer) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _boxes(session) -> dict:
    return session.page.evaluate(BOXES_JS, CONTROLS)


def _open_popup(session, server, event_id: str, query: str = "") -> dict:
    """Open ``event_id`` (already selected by the link) and click its marker; the boxes once the
    popup has panned into view and the click's rerun is over."""
    page = session.open(f"{server}/?event={event_id}{query}")
    session.live_map()
    page.locator("[data-testid=live-map]").scroll_into_view_if_needed()
    session.click_marker(event_id)
    page.locator("[data-testid=live-map] .leaflet-popup").wait_for(timeout=10_000)
    page.wait_for_timeout(800)  # the pan into view
    session.settle()
    boxes = _boxes(session)
    if not boxes["popup"]:
        # Seen twice in full-suite runs, never alone (16 tries, also under CPU load): the popup
        # a click opened was gone once the click's rerun ended. Not understood yet (README,
        # "Known issues"); these tests are about where a popup goes, so they open it again.
        session.click_marker(event_id)
        page.locator("[data-testid=live-map] .leaflet-popup").wait_for(timeout=10_000)
        page.wait_for_timeout(800)
        session.settle()
        boxes = _boxes(session)
    return boxes


def _assert_clear(boxes: dict, thing) -> None:
    assert _inside(thing, boxes["map"]), (thing, boxes["map"])
    for name in CONTROLS:
        if name in boxes:
            assert not _overlaps(thing, boxes[name]), (name, thing, boxes[name])


@pytest.fixture
def phone(browser):
    s = Session(browser, viewport=PHONE)
    yield s
    s.close()


@pytest.fixture
def desktop(browser):
    s = Session(browser, viewport=DESKTOP)
    yield s
    s.close()


def test_on_a_phone_a_popup_fits_the_map_clear_of_the_controls(server, phone):
    boxes = _open_popup(phone, server, "israel-turkey-resupply-azerbaijan-2020")
    phone.shot("map-01-phone-popup")
    popup, map_box = boxes["popup"], boxes["map"]
    assert popup, "the popup closed"
    assert popup[2] - popup[0] <= map_box[2] - map_box[0] - 16  # never wider than the map less a margin
    _assert_clear(boxes, popup)
    # its text at the popup's 12 px, not Streamlit's 16 px for paragraphs (a tall popup on a phone)
    sizes = phone.page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-popup-content .ev-popup p, .leaflet-popup-content blockquote')]"
        ".map((e) => getComputedStyle(e).fontSize)"
    )
    assert sizes and set(sizes) == {"12px"}, sizes
    # a marker's tooltip (title, date, id) wraps within the map instead of running past it
    box = phone.page.evaluate(
        "() => { const m = document.querySelector('[data-testid=live-map] .leaflet-marker-icon');"
        " m.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
        " const t = document.querySelector('[data-testid=live-map] .leaflet-tooltip');"
        " const r = t.getBoundingClientRect(); return [r.width, getComputedStyle(t).whiteSpace]; }"
    )
    assert box[0] <= map_box[2] - map_box[0] and box[1] == "normal", box


def test_on_a_desktop_a_popup_pans_clear_of_the_zoom_and_layers_controls(server, desktop):
    boxes = _open_popup(desktop, server, BAKU)
    desktop.shot("map-02-desktop-popup")
    assert boxes["popup"], "the popup closed"
    _assert_clear(boxes, boxes["popup"])


def test_bringing_a_selected_event_into_view_keeps_its_open_popup_whole(server, desktop):
    """The map's own pan to a selected event (a timeline click) does not push its open popup off
    the map or under a control."""
    page = desktop.page
    _open_popup(desktop, server, BAKU, "&q=Ahmadian")
    # the event's marker at the bottom of the map, its popup above it
    desktop.map_eval(
        f"const p = st.map.latLngToContainerPoint(st.markers.get('{BAKU}').getLatLng()); const s = st.map.getSize();"
        " st.map.panBy([p.x - s.x / 2, p.y - (s.y - 12)], {animate: false});"
    )
    desktop.settle()
    assert page.locator("[data-testid=live-map] .leaflet-popup").count() == 1
    seq = desktop.map_eval("return st.focusSeq;")
    _click_mark(page)  # the timeline selects it again: the map brings it into view
    _wait_for_url(page, lambda u: f"event={BAKU}" in u)
    page.wait_for_function(f"() => {{ const st = {MAP_JS}; return st.focusSeq !== {seq}; }}", timeout=30_000)
    page.wait_for_timeout(800)
    desktop.settle()
    page.locator("[data-testid=live-map]").scroll_into_view_if_needed()
    desktop.shot("map-03-desktop-focus-popup")
    boxes = _boxes(desktop)
    assert boxes["popup"], "the popup closed"
    _assert_clear(boxes, boxes["popup"])
    assert page.locator(LANES_PLOT).count() == 1


def _cluster(session, cluster_js: str) -> tuple[list[str], tuple[float, float]]:
    """The event ids in the cluster ``cluster_js`` evaluates to (``st`` is the live map's state),
    and the centre of its icon on the page."""
    return session.map_eval(
        f"const c = {cluster_js}; const r = c.getElement().getBoundingClientRect();"
        " return [c.getAllChildMarkers().map((k) => k.scmEvent.id), [r.left + r.width / 2, r.top + r.height / 2]];"
    )


def test_a_cluster_click_zooms_in_no_closer_than_needed_and_spreads_its_events(server, desktop):
    page = desktop.open(server)
    desktop.live_map()
    # the cluster of seven near Meghri (six events at one place, one ~20 km away)
    children, at = _cluster(
        desktop, "st.cluster.getVisibleParent(st.markers.get('russian-border-guards-agreement-1992'))"
    )
    assert len(children) == 7
    zoom_before = desktop.view()[2]
    page.mouse.click(*at)
    page.wait_for_function(f"() => {MAP_JS}.map.getZoom() > {zoom_before}", timeout=10_000)
    page.wait_for_timeout(1500)  # the zoom, the spread and any pan that clears the controls
    desktop.settle()
    desktop.shot("map-04-desktop-cluster-click")
    zoom, in_view, shown = desktop.map_eval(
        f"const ids = {children!r};"
        " const ms = ids.map((id) => st.markers.get(id));"
        " const shown = ms.map((m) => st.cluster.getVisibleParent(m)).filter(Boolean);"
        " const box = (l) => { const r = l.getElement().getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; };"
        " return [st.map.getZoom(), ms.map((m) => st.map.getBounds().contains(m.getLatLng())),"
        " [...new Set(shown)].map(box)];"
    )
    assert zoom <= CLUSTER_MAX_ZOOM
    assert all(in_view)
    assert len(shown) == len(children)  # every event on its own marker: none left in a cluster
    boxes = _boxes(desktop)
    for marker in shown:
        _assert_clear(boxes, marker)


def test_the_largest_clusters_spread_events_all_stay_on_the_map(server, desktop):
    """The Yerevan cluster (28 events, most at one place) cannot come apart by zooming: its
    children are spread around it. The spread ran off the map's right edge (3 or 4 cut off)
    while the map tried to fit the cluster left over beside it as well."""
    page = desktop.open(server)
    desktop.live_map()
    children, at = _cluster(
        desktop,
        "[...new Set([...st.markers.values()].map((m) => st.cluster.getVisibleParent(m)))]"
        ".filter((p) => p && p.getChildCount).sort((a, b) => b.getChildCount() - a.getChildCount())[0]",
    )
    assert len(children) >= 20
    page.mouse.click(*at)
    page.wait_for_timeout(2500)  # the zoom, the spread and the pan that keeps it clear
    desktop.shot("map-05-desktop-largest-cluster")
    spread = desktop.map_eval(
        f"const ms = {children!r}.map((id) => st.markers.get(id));"
        " return ms.filter((m) => st.cluster.getVisibleParent(m) === m).map((m) => {"
        " const r = m.getElement().getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });"
    )
    assert len(spread) >= 10  # the spread markers
    boxes = _boxes(desktop)
    left, top, right, bottom = boxes["map"]
    for marker in spread:
        assert left <= marker[0] and marker[2] <= right and top <= marker[1] and marker[3] <= bottom, (
            marker,
            boxes["map"],
        )
        _assert_clear(boxes, marker)
