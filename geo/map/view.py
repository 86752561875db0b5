"""The map's view: centre, zoom, base layer and hidden overlays, and how a URL holds them.

    ?map=39.52,46.01,9&base=plain&hide=provinces,euma-area

``map`` is ``lat,lon,zoom`` (4 decimals are about 10 m); ``base`` is omitted for the
default tiles; ``hide`` lists the reference layers the user switched off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd

#: What the map can be fitted to: the South Caucasus, or every event (Brussels, Washington...).
EXTENTS = ("region", "all")

#: The South Caucasus, as ``[[south, west], [north, east]]``; down to 37.8°N so that the
#: events drawn at Iran's anchor point (about 37.9°N) are in view.
REGION_VIEW = [[37.8, 43.0], [42.0, 50.0]]

#: Base layers: web tiles, or the plain land-and-water map drawn from the country polygons.
BASES = ("osm", "plain")
MIN_ZOOM, MAX_ZOOM = 2, 14


@dataclass(frozen=True)
class MapView:
    """Where the map looks and what it shows. ``lat``/``lon``/``zoom`` None: fit the extent."""

    lat: float | None = None
    lon: float | None = None
    zoom: float | None = None
    base: str = BASES[0]
    hidden: tuple[str, ...] = field(default_factory=tuple)

    @property
    def positioned(self) -> bool:
        return None not in (self.lat, self.lon, self.zoom)

    def to_params(self) -> dict[str, list[str]]:
        params: dict[str, list[str]] = {}
        if self.positioned:
            params["map"] = [f"{self.lat:.4f},{self.lon:.4f},{self.zoom:g}"]
        if self.base != BASES[0]:
            params["base"] = [self.base]
        if self.hidden:
            params["hide"] = [",".join(sorted(self.hidden))]
        return params

    @classmethod
    def from_params(
        cls, map_value: str | None, base: str | None, hide: str | None, layers: Iterable[str]
    ) -> tuple[MapView, list[str]]:
        """Read a view from the URL's values; notices for anything that is not understood."""
        notices: list[str] = []
        lat = lon = zoom = None
        if map_value:
            try:
                lat, lon, zoom = (float(x) for x in map_value.split(","))
                if not (-85 <= lat <= 85 and -180 <= lon <= 180 and MIN_ZOOM <= zoom <= MAX_ZOOM):
                    raise ValueError
            except ValueError:
                notices.append("The link's map view is not 'latitude,longitude,zoom' on the map; it was ignored.")
                lat = lon = zoom = None
        if base and base not in BASES:
            notices.append(f"The link's base map is not one of {', '.join(BASES)}; showing {BASES[0]}.")
            base = None
        known = set(layers)
        hidden = tuple(h for h in (hide or "").split(",") if h in known)
        if hide and len(hidden) != len([h for h in hide.split(",") if h]):
            notices.append("The link hides map layers that do not exist; they were ignored.")
        return cls(lat=lat, lon=lon, zoom=zoom, base=base or BASES[0], hidden=hidden), notices

    def for_browser(self, seq: int, bounds: list[list[float]]) -> dict[str, object]:
        """What the browser applies when ``seq`` is new: this view, or ``bounds`` fitted."""
        out: dict[str, object] = {"seq": seq, "base": self.base, "hidden": list(self.hidden)}
        if self.positioned:
            out.update(lat=self.lat, lon=self.lon, zoom=self.zoom)
        else:
            out["bounds"] = bounds
        return out


def extent_bounds(events: gpd.GeoDataFrame, extent: str) -> list[list[float]]:
    """``[[south, west], [north, east]]``: the region, or the region and every placed event."""
    (south, west), (north, east) = REGION_VIEW
    points = events.geometry[~(events.geometry.isna() | events.geometry.is_empty)]
    if extent == "all" and len(points):
        south, north = min(south, points.y.min()), max(north, points.y.max())
        west, east = min(west, points.x.min()), max(east, points.x.max())
    return [[float(south), float(west)], [float(north), float(east)]]
