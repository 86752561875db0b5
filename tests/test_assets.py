"""The folium map links only vendored JS/CSS (no CDN); see geo/assets.py."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

folium = pytest.importorskip("folium")
from folium import plugins  # noqa: E402

from geo import assets  # noqa: E402

STATIC = ROOT / "static"
VENDOR = STATIC / "vendor"
LICENSE_RE = re.compile(r"licen[cs]e|copying|notice", re.I)


class _Links(HTMLParser):
    """Collects <script src> and <link href> of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.links.append(a["href"])


def _links(html: str) -> _Links:
    p = _Links()
    p.feed(html)
    return p


def _build_map() -> folium.Map:
    m = folium.Map(location=[48.85, 2.35], zoom_start=5)
    cluster = plugins.MarkerCluster(name="points").add_to(m)
    for i, (lat, lon) in enumerate([(48.85, 2.35), (48.86, 2.36), (48.84, 2.34)]):
        folium.Marker([lat, lon], popup=f"p{i}", icon=folium.Icon(icon="info-sign", angle=10 * i)).add_to(cluster)
    plugins.Fullscreen().add_to(m)
    plugins.MiniMap().add_to(m)
    folium.LayerControl().add_to(m)
    return m


def _static_path(url: str) -> Path:
    assert url.startswith("/app/static/"), url
    return STATIC / url[len("/app/static/") :]


def _is_remote(url: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", url, re.I))


def test_rendered_map_has_only_local_script_and_link_urls():
    m = assets.use_local_assets(_build_map())
    html = m.get_root().render()
    found = _links(html)
    urls = found.scripts + found.links
    assert len(found.scripts) >= 7 and len(found.links) >= 9, urls
    remote = [u for u in urls if _is_remote(u)]
    assert remote == []
    for url in urls:
        assert url.startswith("/app/static/vendor/"), url
        assert _static_path(url).is_file(), f"{url} -> missing {_static_path(url)}"
    # no stray CDN reference anywhere in the page (tiles/attribution aside)
    assert not re.search(r"cdn\.jsdelivr|cdnjs\.|code\.jquery|bootstrapcdn", html)
    # tiles still come from the tile server
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in html


def test_default_icon_path_script_follows_leaflet_once():
    m = assets.use_local_assets(assets.use_local_assets(_build_map()))
    scripts = _links(m.get_root().render()).scripts
    helper = "/app/static/vendor/" + assets.ICON_PATH_JS[1]
    assert scripts.count(helper) == 1
    assert scripts.index(helper) == scripts.index("/app/static/vendor/leaflet/leaflet.js") + 1
    assert (VENDOR / "leaflet" / "images" / "marker-icon.png").is_file()


def test_tree_links_are_local_as_streamlit_folium_collects_them():
    # streamlit_folium gathers default_js/default_css of every element itself
    m = assets.use_local_assets(_build_map())
    assert assets.remote_asset_urls(m) == []


def test_folium_classes_are_not_mutated():
    before = {
        cls: (list(cls.default_js), list(cls.default_css))
        for cls in (folium.Map, plugins.MarkerCluster, plugins.Fullscreen, plugins.MiniMap)
    }
    assets.use_local_assets(_build_map())
    for cls, (js, css) in before.items():
        assert cls.default_js == js and cls.default_css == css
        assert all(_is_remote(u) for _, u in js + css)
    # a fresh map is still on the CDN
    assert all(_is_remote(u) for _, u in folium.Map().default_js)


def test_all_folium_default_urls_are_mapped():
    for cls in (
        folium.Map,
        plugins.MarkerCluster,
        plugins.FastMarkerCluster,
        plugins.Fullscreen,
        plugins.MiniMap,
    ):
        for _, url in cls.default_js + cls.default_css:
            assert url in assets.VENDOR_FILES, f"{cls.__name__}: {url} not vendored"


def test_every_mapped_file_is_vendored():
    assert assets.missing_vendor_files(VENDOR) == []


def test_rewrites_links_of_an_earlier_render_and_is_idempotent():
    m = _build_map()
    m.get_root().render()  # header now holds CDN <script>/<link> elements
    assets.use_local_assets(m)
    assets.use_local_assets(m)
    found = _links(m.get_root().render())
    assert not [u for u in found.scripts + found.links if _is_remote(u)]


def test_base_url():
    m = assets.use_local_assets(_build_map(), base_url="/sub/app/static/vendor/")
    found = _links(m.get_root().render())
    assert all(u.startswith("/sub/app/static/vendor/") for u in found.scripts + found.links)
    assert all(v.startswith("/x/") for v in assets.local_assets("/x").values())


def test_unvendored_plugin_is_refused_or_warned():
    m = _build_map()
    plugins.Draw().add_to(m)  # leaflet.draw is not vendored
    with pytest.raises(assets.UnvendoredAssetError, match="leaflet.draw"):
        assets.use_local_assets(m)
    assert all(_is_remote(u) for _, u in m.default_js)  # nothing changed
    with pytest.warns(UserWarning, match="leaflet.draw"):
        assets.use_local_assets(m, strict=False)
    assert not any(_is_remote(u) for _, u in m.default_js)


def test_css_url_references_exist():
    """Images and fonts referenced by vendored CSS are vendored too."""
    url_re = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
    checked = 0
    for css in VENDOR.rglob("*.css"):
        for _, ref in url_re.findall(css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#")):
                continue
            assert not _is_remote(ref), f"{css}: remote url({ref})"
            target = (css.parent / ref.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{css.relative_to(VENDOR)}: url({ref}) missing"
            assert VENDOR in target.parents
            checked += 1
    assert checked >= 15


def test_each_vendored_package_has_a_license():
    packages = [p for p in VENDOR.iterdir() if p.is_dir()]
    assert len(packages) >= 9
    for pkg in packages:
        licences = [f for f in pkg.iterdir() if f.is_file() and LICENSE_RE.search(f.name)]
        assert licences, f"static/vendor/{pkg.name} has no LICENSE file"
        assert all(f.stat().st_size > 100 for f in licences)


def test_vendor_is_small_and_has_no_source_maps():
    files = [f for f in VENDOR.rglob("*") if f.is_file()]
    assert not [f for f in files if f.suffix == ".map"]
    assert sum(f.stat().st_size for f in files) < 4 * 1024 * 1024


def test_awesome_markers_js_supports_extra_classes():
    # folium.Icon(angle=N) passes extraClasses="fa-rotate-N"; the .min.js of
    # drmonty-leaflet-awesome-markers@2.0.2 predates that option.
    url = folium.Map.default_js[[n for n, _ in folium.Map.default_js].index("awesome_markers")][1]
    js = (VENDOR / assets.VENDOR_FILES[url]).read_text()
    assert "extraClasses" in js


def test_module_does_not_import_streamlit():
    src = (ROOT / "geo" / "assets.py").read_text()
    assert not re.search(r"^\s*(import|from)\s+streamlit", src, re.M)
