"""Which events lie in which region, decided from geometry, never from names.

A place belongs to a region when most of it lies inside: a point inside the
region, a line with at least :data:`LINE_SHARE` of its length inside, a polygon
with at least :data:`AREA_SHARE` of its area inside. Measurements are made in a
Lambert azimuthal equal-area projection centred on the study area, where
areas are exact and lengths nearly so. An event is in a region when any of its
places is.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

#: region key → the phrase used in the filter sentence and the sidebar.
REGIONS: dict[str, str] = {
    "syunik": "inside Syunik (Zangezur)",
    "nakhchivan": "inside Nakhchivan",
    "lachin-corridor": "along the Lachin corridor",
    "euma-area": "in the EU mission's area",
}

#: Equal-area projection centred on the South Caucasus (metres).
METRIC_CRS = "+proj=laea +lat_0=40 +lon_0=45 +datum=WGS84 +units=m +no_defs"
#: How far from the Lachin corridor line a place may be and still be "along" it.
CORRIDOR_HALF_WIDTH_M = 10_000
#: Slack for points and lines drawn on a region's own border (Natural Earth vertices are shared).
EDGE_TOLERANCE_M = 1_000
LINE_SHARE = 0.10
AREA_SHARE = 0.50


def region_shapes(places: gpd.GeoDataFrame) -> dict[str, BaseGeometry]:
    """The four filter regions as metric polygons; a region whose place is missing is left out."""
    metric = places.to_crs(METRIC_CRS).geometry
    shapes: dict[str, BaseGeometry] = {}
    for key in ("syunik", "nakhchivan", "euma-area"):
        if key in metric.index:
            shapes[key] = metric[key]
    if "lachin-corridor" in metric.index:
        shapes["lachin-corridor"] = metric["lachin-corridor"].buffer(CORRIDOR_HALF_WIDTH_M)
    return shapes


def _inside(geom: BaseGeometry, region: BaseGeometry, region_with_edge: BaseGeometry) -> bool:
    if geom is None or geom.is_empty:
        return False
    if geom.geom_type in ("Point", "MultiPoint"):
        return region_with_edge.contains(geom)
    if geom.geom_type in ("LineString", "MultiLineString"):
        return geom.intersection(region_with_edge).length / geom.length >= LINE_SHARE
    return geom.intersection(region).area / geom.area >= AREA_SHARE


def place_regions(places: gpd.GeoDataFrame) -> dict[str, frozenset[str]]:
    """place_id → the regions it lies in. Places outside the study area lie in none."""
    shapes = {key: (shape, shape.buffer(EDGE_TOLERANCE_M)) for key, shape in region_shapes(places).items()}
    metric = places.to_crs(METRIC_CRS)
    result: dict[str, frozenset[str]] = {}
    for place_id, geom, outside in zip(metric.index, metric.geometry, metric["outside_region"], strict=False):
        result[place_id] = (
            frozenset()
            if outside
            else frozenset(key for key, (shape, with_edge) in shapes.items() if _inside(geom, shape, with_edge))
        )
    return result


def event_regions(events: pd.DataFrame, by_place: Mapping[str, frozenset[str]]) -> pd.Series:
    """event_id → the union of the regions of its places."""
    return pd.Series(
        [frozenset().union(*(by_place.get(p, frozenset()) for p in ids)) for ids in events["place_ids"]],
        index=events.index,
        dtype=object,
    )
