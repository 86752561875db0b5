"""static/vendor holds exactly what the live map and the charts load, each package with its licence, no CDN."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from dashboard import live_map, plotly_chart
from tests.conftest import ROOT

VENDOR = ROOT / "static" / "vendor"
LICENSE_RE = re.compile(r"^(LICEN[CS]E|MIT-LICEN[CS]E)", re.I)


def _is_remote(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def test_every_file_the_live_map_and_the_charts_load_is_there():
    for path in (
        *live_map._VENDOR_JS,
        *live_map._VENDOR_CSS,
        live_map._MODULE,
        plotly_chart._PLOTLY,
        plotly_chart._MODULE,
    ):
        assert (ROOT / "static" / path).is_file(), path


def test_only_what_the_map_and_the_charts_load_is_vendored():
    loaded = {p.split("/")[1] for p in (*live_map._VENDOR_JS, *live_map._VENDOR_CSS, plotly_chart._PLOTLY)}
    packages = {p.name for p in VENDOR.iterdir() if p.is_dir()}
    assert packages == loaded == {"leaflet", "leaflet.markercluster", "plotly"}


def test_the_manifest_matches_the_files():
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    assert set(manifest) == {p.name for p in VENDOR.iterdir() if p.is_dir()}
    for package, entry in manifest.items():
        assert entry["source"].startswith("npm:")
        on_disk = {str(f.relative_to(VENDOR / package)) for f in (VENDOR / package).rglob("*") if f.is_file()}
        assert set(entry["files"]) == on_disk, package
        for name, digest in entry["files"].items():
            assert hashlib.sha256((VENDOR / package / name).read_bytes()).hexdigest() == digest, name


def test_css_url_references_exist():
    """Images referenced by vendored CSS are vendored too, and nothing is fetched from elsewhere."""
    url_re = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
    checked = 0
    for css in VENDOR.rglob("*.css"):
        for _, ref in url_re.findall(css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#")):
                continue
            assert not _is_remote(ref), f"{css}: remote url({ref})"
            target = (css.parent / ref.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{css.relative_to(VENDOR)}: url({ref}) missing"
            checked += 1
    assert checked >= 2


def test_each_vendored_package_has_a_license():
    for pkg in (p for p in VENDOR.iterdir() if p.is_dir()):
        licences = [f for f in pkg.iterdir() if f.is_file() and LICENSE_RE.search(f.name)]
        assert licences, f"static/vendor/{pkg.name} has no LICENSE file"
        assert all(f.stat().st_size > 100 for f in licences)


def test_vendor_is_small_and_has_no_source_maps():
    files = [f for f in VENDOR.rglob("*") if f.is_file()]
    assert not [f for f in files if f.suffix == ".map"]
    # Leaflet and its plugin ≈ 0.2 MB; plotly.js basic 1.1 MB (Streamlit's own Plotly bundle, which
    # the charts no longer load, is 4.7 MB)
    assert sum(f.stat().st_size for f in files) < 1.5 * 2**20


@pytest.mark.parametrize("module", ["map/live_map.js", "plotly/plotly_chart.js", "share/share_link.js"])
def test_the_map_and_chart_modules_load_nothing_from_elsewhere(module):
    js = (ROOT / "static" / module).read_text()
    # the one remote URL is the tile layer, sent from Python (geo.map.reference.TILES)
    assert not re.search(r"https?://", js)
