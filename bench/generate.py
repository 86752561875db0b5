"""Synthetic imported events at any size, deterministic for a seed.

Events cluster around places of the South Caucasus (lon 38–52, lat 36–44) with a uniform
background over the whole box and a few distant points (Brussels, Prague, Moscow, Washington,
Tehran, Ankara), spread over 2018–2025 across the four datasets in the proportions an analyst's
store would hold (GDELT most, then ACLED, UCDP, timemap), with their precisions: most dated to
the day and placed at a town, some to a week, month or year and to a region or country.

    from bench.generate import generate_store
    generate_store(100_000, "/tmp/store", seed=0)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa

from geo.ingest.store import SCHEMA, write_partition

BOX = (38.0, 36.0, 52.0, 44.0)  # lon_min, lat_min, lon_max, lat_max
PLACES = {
    "Jermuk": (39.84, 45.67),
    "Goris": (39.51, 46.34),
    "Kapan": (39.21, 46.41),
    "Sotk": (40.22, 45.93),
    "Vardenis": (40.18, 45.73),
    "Ijevan": (40.88, 45.15),
    "Yerevan": (40.18, 44.51),
    "Meghri": (38.90, 46.24),
    "Lachin": (39.64, 46.55),
    "Stepanakert / Khankendi": (39.82, 46.75),
    "Shusha": (39.76, 46.75),
    "Nakhchivan": (39.21, 45.41),
    "Ganja": (40.68, 46.36),
    "Baku": (40.41, 49.87),
    "Tbilisi": (41.72, 44.79),
    "Tabriz": (38.08, 46.29),
    "Kars": (40.60, 43.10),
    "Gyumri": (40.79, 43.85),
}
DISTANT = {
    "Brussels": (50.85, 4.35),
    "Prague": (50.08, 14.44),
    "Moscow": (55.76, 37.62),
    "Washington": (38.90, -77.04),
    "Tehran": (35.69, 51.39),
    "Ankara": (39.93, 32.86),
}
ACTORS = [
    "Military Forces of Armenia",
    "Military Forces of Azerbaijan",
    "Police Forces of Armenia",
    "State Border Service of Azerbaijan",
    "Civilians (Armenia)",
    "Civilians (Azerbaijan)",
    "Protesters (Armenia)",
    "Protesters (Azerbaijan)",
    "Government of Armenia",
    "Government of Azerbaijan",
    "Government of Russia",
    "Russian Peacekeeping Forces",
    "EU Mission in Armenia",
    "Government of Iran",
    "Government of Turkey",
    "Government of Georgia",
    "Unidentified Armed Group (Azerbaijan)",
    "Artsakh Defence Army",
]
TYPES = ["Battles", "Explosions/Remote violence", "Protests", "Strategic developments", "Violence against civilians"]
#: dataset, share of events, id prefix
DATASETS = [("gdelt", 0.55, ""), ("acled", 0.25, "ARM"), ("ucdp", 0.12, ""), ("timemap", 0.08, "TM-")]
START = dt.date(2018, 1, 1)
DAYS = (dt.date(2025, 12, 31) - START).days


def _events(rng: np.random.Generator, n: int, dataset: str, prefix: str, offset: int) -> pa.Table:
    names = list(PLACES)
    coords = np.array([PLACES[p] for p in names])
    # 70 % near a place, 29.9 % anywhere in the box, 0.1 % far away
    kind = rng.choice(3, size=n, p=[0.70, 0.299, 0.001])
    place_idx = rng.integers(0, len(names), size=n)
    lat = coords[place_idx, 0] + rng.normal(0, 0.15, n)
    lon = coords[place_idx, 1] + rng.normal(0, 0.15, n)
    bg = kind == 1
    lat[bg] = rng.uniform(BOX[1], BOX[3], bg.sum())
    lon[bg] = rng.uniform(BOX[0], BOX[2], bg.sum())
    far = np.flatnonzero(kind == 2)
    far_names = list(DISTANT)
    far_idx = rng.integers(0, len(far_names), size=len(far))
    lat[far] = [DISTANT[far_names[i]][0] for i in far_idx]
    lon[far] = [DISTANT[far_names[i]][1] for i in far_idx]
    lat, lon = np.clip(lat, -90, 90), np.clip(lon, -180, 180)
    location = np.array(names, dtype=object)[place_idx]
    location[bg] = ""
    location[far] = np.array(far_names, dtype=object)[far_idx]

    start = np.datetime64(START) + rng.integers(0, DAYS, size=n).astype("timedelta64[D]")
    precision = rng.choice(np.array(["day", "month", "year"], dtype=object), size=n, p=[0.85, 0.12, 0.03])
    start_m = start.astype("datetime64[M]")
    start_y = start.astype("datetime64[Y]")
    is_month, is_year = precision == "month", precision == "year"
    date_start = np.where(is_month, start_m.astype("datetime64[D]"), start)
    date_start = np.where(is_year, start_y.astype("datetime64[D]"), date_start)
    date_end = np.where(is_month, (start_m + 1).astype("datetime64[D]") - 1, start)
    date_end = np.where(is_year, (start_y + 1).astype("datetime64[D]") - 1, date_end)
    ring = rng.choice(np.array([0.0, 10.0, 25.0, 100.0, 300.0]), size=n, p=[0.6, 0.2, 0.1, 0.07, 0.03])

    a1 = rng.integers(0, len(ACTORS), size=n)
    a2 = (a1 + rng.integers(1, len(ACTORS), size=n)) % len(ACTORS)
    etype = rng.integers(0, len(TYPES), size=n)
    ids = np.arange(offset, offset + n)
    actors = [[ACTORS[i], ACTORS[j]] for i, j in zip(a1, a2, strict=True)]
    titles = [
        f"{TYPES[t]} — {ACTORS[i]} vs {ACTORS[j]}{' — ' + p if p else ''}"
        for t, i, j, p in zip(etype, a1, a2, location, strict=True)
    ]
    fatalities = rng.poisson(0.4, size=n).astype("int64")
    columns = {
        "dataset": pa.array([dataset] * n, pa.string()),
        "source_id": pa.array([f"{prefix}{i}" for i in ids], pa.string()),
        "date_start": pa.array(date_start.astype("datetime64[D]"), pa.date32()),
        "date_end": pa.array(date_end.astype("datetime64[D]"), pa.date32()),
        "date_precision": pa.array(precision, pa.string()),
        "date_precision_code": pa.array(np.where(is_year, 5, np.where(is_month, 3, 1)).astype("int16")),
        "lat": pa.array(lat),
        "lon": pa.array(lon),
        "geo_precision_code": pa.array(np.where(ring == 0, 1, 2).astype("int16")),
        "ring_km": pa.array(ring),
        "title": pa.array(titles, pa.string()),
        "actors": pa.array(actors, pa.list_(pa.string())),
        "actor_key": pa.array([f"|{ACTORS[i].lower()}|{ACTORS[j].lower()}|" for i, j in zip(a1, a2, strict=True)]),
        "event_type": pa.array(np.array(TYPES, dtype=object)[etype], pa.string()),
        "sub_event_type": pa.array([""] * n, pa.string()),
        "fatalities": pa.array(fatalities),
        "location": pa.array(location, pa.string()),
        "country": pa.array([""] * n, pa.string()),
        "source_name": pa.array(["synthetic"] * n, pa.string()),
        "source_text": pa.array([f"Synthetic event {i} for the benchmark." for i in ids], pa.string()),
        "link": pa.array([f"https://example.org/{dataset}/{i}" for i in ids], pa.string()),
        "updated": pa.array(np.full(n, 1_700_000_000, dtype="int64")),
        "raw": pa.array(["{}"] * n, pa.string()),
        "row_hash": pa.array([f"{dataset}{i:030x}"[-32:] for i in ids], pa.string()),
        "file": pa.array(["synthetic"] * n, pa.string()),
        "row": pa.array(ids + 2),
    }
    return pa.table(columns, schema=SCHEMA)


def generate(n: int, seed: int = 0) -> dict[str, pa.Table]:
    """``n`` synthetic events, split by dataset (tables in the store's schema)."""
    rng = np.random.default_rng(seed)
    out, offset, left = {}, 1, n
    for k, (dataset, share, prefix) in enumerate(DATASETS):
        size = left if k == len(DATASETS) - 1 else int(round(n * share))
        size = min(size, left)
        left -= size
        out[dataset] = _events(rng, size, dataset, prefix, offset)
        offset += size
    return out


def generate_store(n: int, store_dir: str | Path, seed: int = 0) -> dict[str, int]:
    """Write ``n`` synthetic events as a store at ``store_dir``; returns rows per dataset."""
    counts = {}
    for dataset, table in generate(n, seed).items():
        if table.num_rows:
            write_partition(store_dir, dataset, table)
        counts[dataset] = table.num_rows
    return counts
