"""Serve folium's JS/CSS from local static files instead of CDNs: for the naive baseline app
of the benchmarks (tools/naive_app.py), which draws a Folium map where no CDN is reachable.
The dashboard's own map does not use folium (see dashboard/live_map.py); the files this maps
onto are vendored only for the benchmark, by ``tools/vendor_assets.py --set folium``.

folium 0.20 links Leaflet, jQuery, Bootstrap, Font Awesome, ... from public
CDNs: each element lists them in ``default_js`` / ``default_css`` (lists of
``(name, url)``), read at render time. ``use_local_assets`` replaces these
lists, on the instances of the map's tree only (folium's classes are left
alone), with URLs under ``static/vendor/`` (filled by
``tools/vendor_assets.py``), which Streamlit serves at ``/app/static/vendor``
when ``[server] enableStaticServing = true``.

Tile layers are not touched: tiles may still come from the internet.

This module does not import streamlit.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

from branca.element import CssLink, Element, JavascriptLink

__all__ = [
    "DEFAULT_BASE_URL",
    "ICON_PATH_JS",
    "VENDOR_FILES",
    "VENDOR_DIR",
    "UnvendoredAssetError",
    "local_assets",
    "missing_vendor_files",
    "remote_asset_urls",
    "use_local_assets",
]

#: Where Streamlit serves ``static/vendor/`` (``enableStaticServing``).
DEFAULT_BASE_URL = "/app/static/vendor"

#: ``static/vendor/`` of this repository.
VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"  # see --set folium

_JSD = "https://cdn.jsdelivr.net"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"

#: CDN URL, exactly as folium 0.20 declares it -> file under ``static/vendor/``.
#: Keyed by full URL (versions included), so a folium upgrade that moves to
#: other versions shows up as unmapped URLs instead of silently mixing versions.
VENDOR_FILES: dict[str, str] = {
    # folium.Map
    f"{_JSD}/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet/leaflet.js",
    f"{_JSD}/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet/leaflet.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    f"{_JSD}/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": "bootstrap/js/bootstrap.bundle.min.js",
    f"{_JSD}/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.css",
    # Bootstrap 3.0.0 is not on npm: glyphicon rules extracted from 3.2.0.
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": "bootstrap-glyphicons/css/bootstrap-glyphicons.css",
    f"{_JSD}/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": "fontawesome-free/css/all.min.css",
    f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": "leaflet.awesome-markers/js/leaflet.awesome-markers.js",
    f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": "leaflet.awesome-markers/css/leaflet.awesome-markers.css",
    f"{_JSD}/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": "leaflet.awesome.rotate/leaflet.awesome.rotate.min.css",
    # folium.plugins.MarkerCluster / FastMarkerCluster
    f"{_CDNJS}/leaflet.markercluster/1.1.0/leaflet.markercluster.js": "leaflet.markercluster/leaflet.markercluster.js",
    f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.css": "leaflet.markercluster/MarkerCluster.css",
    f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": "leaflet.markercluster/MarkerCluster.Default.css",
    # folium.plugins.Fullscreen (npm has no .min.js; jsDelivr minifies on the fly)
    f"{_JSD}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "leaflet.fullscreen/Control.FullScreen.js",
    f"{_JSD}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    # folium.plugins.MiniMap
    f"{_CDNJS}/leaflet-minimap/3.6.1/Control.MiniMap.js": "leaflet-minimap/Control.MiniMap.min.js",
    f"{_CDNJS}/leaflet-minimap/3.6.1/Control.MiniMap.css": "leaflet-minimap/Control.MiniMap.min.css",
}


_LEAFLET_JS = f"{_JSD}/npm/leaflet@1.9.3/dist/leaflet.js"

#: Loaded right after leaflet.js: sets ``L.Icon.Default.imagePath`` to the
#: vendored ``leaflet/images/``. Without it Leaflet derives the path from
#: leaflet.css, which fails under streamlit-folium (it adds the CSS only after
#: running the scripts) and asks for ``.../leafletmarker-icon.png``.
ICON_PATH_JS = ("leaflet_default_icon_path", "leaflet/leaflet-default-icon-path.js")


class UnvendoredAssetError(LookupError):
    """The map needs a remote JS/CSS file that has no vendored copy."""


def _is_remote(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "//"))


def local_assets(base_url: str = DEFAULT_BASE_URL) -> dict[str, str]:
    """Map each known CDN URL to its local URL under ``base_url``.

    ``base_url`` is where ``static/vendor/`` is served; with a Streamlit
    ``server.baseUrlPath`` of ``foo`` pass ``"/foo/app/static/vendor"``.
    """
    base = base_url.rstrip("/")
    return {cdn: f"{base}/{rel}" for cdn, rel in VENDOR_FILES.items()}


def missing_vendor_files(vendor_dir: Path | str = VENDOR_DIR) -> list[str]:
    """Files of ``VENDOR_FILES`` absent from ``vendor_dir`` (empty when complete)."""
    root = Path(vendor_dir)
    wanted = set(VENDOR_FILES.values()) | {ICON_PATH_JS[1]}
    return sorted(rel for rel in wanted if not (root / rel).is_file())


def _walk(element: Element) -> Iterator[Element]:
    """``element`` and every element below it (``_children``; DualMap's m1/m2)."""
    seen: set[int] = set()
    stack = [element]
    while stack:
        el = stack.pop()
        if id(el) in seen:
            continue
        seen.add(id(el))
        yield el
        for attr in ("m1", "m2"):  # folium.plugins.DualMap
            sub = getattr(el, attr, None)
            if isinstance(sub, Element):
                stack.append(sub)
        stack.extend(getattr(el, "_children", {}).values())


def remote_asset_urls(m: Element) -> list[str]:
    """Remote JS/CSS URLs that rendering ``m``'s whole tree would link."""
    urls = []
    for el in _walk(m.get_root()):
        for attr in ("default_js", "default_css"):
            urls += [url for _, url in getattr(el, attr, None) or [] if _is_remote(url)]
        if isinstance(el, (JavascriptLink, CssLink)) and _is_remote(el.url):
            urls.append(el.url)
    return list(dict.fromkeys(urls))


def use_local_assets(
    m: Element,
    base_url: str = DEFAULT_BASE_URL,
    *,
    strict: bool = True,
) -> Element:
    """Point the JS/CSS of ``m`` and of every element in its tree to ``base_url``.

    Sets ``default_js`` / ``default_css`` as *instance* attributes (new lists),
    so folium's class-level lists and other maps are untouched. Next to
    leaflet.js it adds :data:`ICON_PATH_JS` (default marker images). Script and
    style links already put in the figure header by an earlier render are
    rewritten too. Tile layer URLs are left alone.

    Call it after the last element has been added to the map (elements added
    later keep their CDN links). It is idempotent.

    With ``strict`` (default), raise :class:`UnvendoredAssetError` if some
    remote JS/CSS URL has no vendored copy (e.g. a plugin not vendored yet);
    otherwise only warn and leave such URLs as they are.

    Returns ``m``, for chaining.
    """
    mapping = local_assets(base_url)
    unmapped = [url for url in remote_asset_urls(m) if url not in mapping]
    if unmapped:
        msg = (
            "no vendored copy of: "
            + ", ".join(unmapped)
            + " (add it to tools/vendor_assets.py and tools/folium_assets.VENDOR_FILES)"
        )
        if strict:
            raise UnvendoredAssetError(msg)  # raised before anything is changed
        warnings.warn(msg, stacklevel=2)

    # The root Figure's header holds the <script>/<link> elements of earlier
    # renders; walking from the root reaches them too.
    leaflet_js = mapping[_LEAFLET_JS]
    icon_path_js = (ICON_PATH_JS[0], f"{base_url.rstrip('/')}/{ICON_PATH_JS[1]}")
    for el in _walk(m.get_root()):
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if not links:
                continue
            new = [(name, mapping.get(url, url)) for name, url in links]
            if attr == "default_js" and leaflet_js in [url for _, url in new]:
                # right after leaflet.js (once, also when applied again)
                new = [link for link in new if link[0] != icon_path_js[0]]
                new.insert([url for _, url in new].index(leaflet_js) + 1, icon_path_js)
            setattr(el, attr, new)
        if isinstance(el, (JavascriptLink, CssLink)) and el.url in mapping:
            el.url = mapping[el.url]
            el.code = None  # drop code fetched from the old URL, if any
    return m
