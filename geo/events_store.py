"""Query the imported events (ACLED, UCDP, GDELT, timemap) in the engine, written once with Ibis.

The store (:mod:`geo.ingest.store`: one Parquet file per dataset) is opened once per process and
shared by every session (:func:`get_store`); filters, counts and aggregates run in the engine and
only what a view needs comes back:

* :meth:`EventStore.map_view` — single events when at most ``threshold`` are in view, otherwise
  grid cells (cell size from the zoom, computed for the map's bounds) with a message saying so;
* :meth:`EventStore.timeline_view` — marks when few, counts per day/week/month when many;
* :meth:`EventStore.event` — one event with its source text, link and the dataset's own columns.

Engines, chosen by ``$CAUCASUS_ENGINE``: ``duckdb`` (default; in-process, nothing to run) or
``spark`` (``ibis.pyspark`` on a SparkSession: ``$CAUCASUS_SPARK_MASTER``, default ``local[*]``,
with the store at ``$CAUCASUS_STORE_DIR``, which may then be any URL the cluster reads, such
as ``s3a://bucket/imported``). The same expressions run on both.

How a page uses it (one rerun; every call is answered by the engine)::

    store = get_store()                                   # shared by every session of the process
    q = EventQuery(datasets=("acled", "ucdp"), start=..., end=..., text=..., actors=...)
    layer = store.map_view(q, bbox=(west, south, east, north), zoom=7)
    layer.mode, layer.message          # "events" (layer.events) or "cells" (layer.cells), and why
    strip = store.timeline_view(q)     # "marks" (strip.marks) or "counts" per strip.unit
    store.event("acled", "ARM1001")    # the panel: source text, link, the dataset's own columns

Draw an event as the curated ones are: ``date_precision`` (day | month | year) picks the mark
class, ``date_start``–``date_end`` is its span on the timeline, and ``ring_km`` > 0 means a ring
of that radius, never a pin.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa

from geo.ingest.store import PARTITION_FILE, SCHEMA, configured_store_dir, partitions

ENGINE_ENV = "CAUCASUS_ENGINE"
SPARK_MASTER_ENV = "CAUCASUS_SPARK_MASTER"
ENGINES = ("duckdb", "spark")
#: Up to this many events in view, the map and the timeline get single events; above, aggregates.
SINGLE_EVENTS_MAX = 500
#: The most grid cells a map view returns (the cell grows until the view holds no more).
MAX_CELLS = 2500
#: Grid cells per 256-pixel map tile side: a cell is about 32 pixels wide at every zoom.
CELLS_PER_TILE = 8
#: What the map needs to draw a single imported event (the panel asks :meth:`EventStore.event`).
MARK_COLUMNS = (
    "dataset",
    "source_id",
    "date_start",
    "date_end",
    "date_precision",
    "lat",
    "lon",
    "ring_km",
    "title",
    "event_type",
    "fatalities",
)
TIMELINE_UNITS = ("day", "week", "month")
_TRUNC = {"day": "D", "week": "W", "month": "M"}

BBox = tuple[float, float, float, float]  # west, south, east north (lon_min, lat_min, lon_max, lat_max)


def configured_engine() -> str:
    engine = (os.environ.get(ENGINE_ENV) or "duckdb").strip().lower()
    if engine not in ENGINES:
        raise ValueError(f"${ENGINE_ENV} is '{engine}'; use one of {', '.join(ENGINES)}")
    return engine


@dataclass(frozen=True)
class EventQuery:
    """A filter on imported events. Empty fields do not filter.

    ``start``/``end`` keep every event whose span overlaps them; ``bbox`` is (west, south, east,
    north) in degrees; ``text`` is a case-insensitive substring of title, source text, place or
    actors; ``actors`` keeps events naming any of these actors (whole names, any case): ``None``
    does not filter, an empty tuple keeps nothing (an actor filter that matched no imported name).
    """

    datasets: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    bbox: BBox | None = None
    text: str = ""
    actors: tuple[str, ...] | None = None

    def within(self, bbox: BBox | None) -> EventQuery:
        """This query limited to a map view too (intersected with its own bbox, if any)."""
        if bbox is None:
            return self
        if self.bbox is None:
            return EventQuery(self.datasets, self.start, self.end, bbox, self.text, self.actors)
        w, s, e, n = self.bbox
        w2, s2, e2, n2 = bbox
        both = (max(w, w2), max(s, s2), min(e, e2), min(n, n2))
        return EventQuery(self.datasets, self.start, self.end, both, self.text, self.actors)


@dataclass
class MapView:
    """What the map draws for imported events: single events or grid cells, never both."""

    mode: str  # "events" | "cells"
    total: int  # events matching the query in view
    events: list[dict[str, Any]] = field(default_factory=list)  # MARK_COLUMNS, when mode == "events"
    cells: list[dict[str, Any]] = field(default_factory=list)  # {"lat", "lon", "count"}, when "cells"
    cell_deg: float | None = None
    message: str = ""

    def to_payload(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings; cells as [lat, lon, count] triples."""
        out: dict[str, Any] = {"mode": self.mode, "total": self.total, "message": self.message}
        if self.mode == "events":
            out["events"] = [_jsonable(e) for e in self.events]
        else:
            out["cell_deg"] = self.cell_deg
            out["cells"] = [[round(c["lat"], 5), round(c["lon"], 5), int(c["count"])] for c in self.cells]
        return out


@dataclass
class TimelineView:
    """What the timeline draws: marks (single events) when few, counts per period when many."""

    mode: str  # "marks" | "counts"
    total: int
    unit: str | None = None  # day | week | month, when mode == "counts"
    marks: list[dict[str, Any]] = field(default_factory=list)
    counts: list[dict[str, Any]] = field(default_factory=list)  # {"period", "dataset", "count"}

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"mode": self.mode, "total": self.total}
        if self.mode == "marks":
            out["marks"] = [_jsonable(m) for m in self.marks]
        else:
            out["unit"] = self.unit
            out["counts"] = [[_iso(c["period"]), c["dataset"], int(c["count"])] for c in self.counts]
        return out


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    return value


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in record.items():
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            out[k] = None
        elif hasattr(v, "item") and not isinstance(v, (str, bytes)):
            out[k] = v.item()
        else:
            out[k] = _iso(v)
    return out


def cell_size(zoom: float, bbox: BBox | None = None) -> float:
    """Grid cell side in degrees: about 32 px at ``zoom``, grown (doubled) until ``bbox``
    holds at most :data:`MAX_CELLS` cells, so the map's payload stays bounded."""
    zoom = min(max(float(zoom), 0.0), 22.0)
    cell = 360.0 / (2**zoom) / CELLS_PER_TILE
    if bbox is not None:
        w, s, e, n = bbox
        width, height = max(e - w, 0.0), max(n - s, 0.0)
        while (width / cell + 1) * (height / cell + 1) > MAX_CELLS:
            cell *= 2
    return cell


def timeline_unit(first: dt.date | None, last: dt.date | None) -> str:
    """The period a timeline counts events in, from their span: day up to 120 days, week up to
    three years, month beyond."""
    span = (last - first).days if first and last else 0
    return "day" if span <= 120 else "week" if span <= 3 * 366 else "month"


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def curated_actor_names(actors: pd.DataFrame) -> dict[str, list[str]]:
    """``{actor_id: [name, *aliases]}`` from the curated actors frame (``geo.load``), for
    :meth:`EventStore.actor_matches`."""
    out = {}
    for row in actors.itertuples():
        raw = getattr(row, "aliases", None)
        aliases = raw if isinstance(raw, (list, tuple)) else str(raw or "").split(";")
        aliases = [str(a).strip() for a in aliases if str(a).strip()]
        out[str(row.actor_id)] = [str(row.name), *aliases]
    return out


def _format_count(n: int) -> str:
    return f"{n:,}"


def _span(row: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    """The ``lo`` and ``hi`` of a one-row aggregate as dates; None where there are none (NaT)."""
    lo, hi = row["lo"].iloc[0], row["hi"].iloc[0]
    return (None if pd.isna(lo) else pd.Timestamp(lo).date(), None if pd.isna(hi) else pd.Timestamp(hi).date())


class EventStore:
    """The imported events of one store, on one engine. Use :func:`get_store` to share one."""

    def __init__(self, store_dir: str | Path | None = None, engine: str | None = None, spark: Any = None):
        self.store_dir = str(store_dir) if store_dir is not None else configured_store_dir()
        self.engine = engine or configured_engine()
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine '{self.engine}'; use one of {', '.join(ENGINES)}")
        self._lock = threading.RLock()
        self._signature: Any = None
        self._table: ibis.Table | None = None
        if self.engine == "duckdb":
            self.con = ibis.duckdb.connect()
        else:
            self.con = ibis.pyspark.connect(spark if spark is not None else _spark_session())

    # --- loading -------------------------------------------------------------------------

    def _is_url(self) -> bool:
        return "://" in self.store_dir

    def _current_signature(self) -> Any:
        if self._is_url():
            return self.store_dir
        out = []
        for p in partitions(self.store_dir):
            try:
                st = p.stat()
            except OSError:
                continue
            out.append((str(p), st.st_mtime_ns, st.st_size))
        return tuple(out)

    @property
    def table(self) -> ibis.Table:
        """Every imported event; (re)loaded when the store's files change."""
        with self._lock:
            signature = self._current_signature()
            if self._table is None or signature != self._signature:
                self._table = self._load(signature)
                self._signature = signature
            return self._table

    def refresh(self) -> None:
        """Read the store again on the next query (a local store is re-read by itself when its
        files change; a URL store, on a cluster, only when asked)."""
        with self._lock:
            self._table = None

    def _load(self, signature: Any) -> ibis.Table:
        if self._is_url():
            return self.con.read_parquet(f"{self.store_dir.rstrip('/')}/*/{PARTITION_FILE}")
        paths = [s[0] for s in signature]
        if not paths:
            return ibis.memtable(pa.Table.from_pylist([], schema=SCHEMA))
        if self.engine == "duckdb":
            return self.con.read_parquet(paths)
        return self.con.read_parquet(str(Path(self.store_dir).resolve() / "*" / PARTITION_FILE))

    def _run(self, expr: Any) -> pd.DataFrame:
        with self._lock:
            return expr.execute()

    def _scalar(self, expr: Any) -> Any:
        with self._lock:
            return expr.execute()

    # --- filters -------------------------------------------------------------------------

    def filtered(self, query: EventQuery | None = None) -> ibis.Table:
        """The events matching ``query``, as an Ibis expression (nothing runs yet)."""
        t = self.table
        q = query or EventQuery()
        preds = []
        if q.datasets:
            preds.append(t.dataset.isin(list(q.datasets)))
        if q.start is not None:
            preds.append(t.date_end >= q.start)
        if q.end is not None:
            preds.append(t.date_start <= q.end)
        if q.bbox is not None:
            w, s, e, n = (float(v) for v in q.bbox)
            preds += [t.lat >= s, t.lat <= n]
            if w <= e:
                preds += [t.lon >= w, t.lon <= e]
            else:  # across the antimeridian
                preds.append((t.lon >= w) | (t.lon <= e))
        if q.text.strip():
            needle = q.text.strip().lower()
            preds.append(
                t.title.lower().contains(needle)
                | t.source_text.lower().contains(needle)
                | t.location.lower().contains(needle)
                | t.actor_key.contains(needle)
            )
        if q.actors is not None:
            names = [a.strip().lower() for a in q.actors if a.strip()]
            if names:
                preds.append(ibis.or_(*(t.actor_key.contains(f"|{name}|") for name in names)))
            else:  # the actor filter is on and named nothing the store holds: no event
                preds.append(ibis.literal(False))
        # one filter with every predicate: Ibis compiles one SELECT, not one per condition
        return t.filter(*preds) if preds else t

    def count(self, query: EventQuery | None = None) -> int:
        return int(self._scalar(self.filtered(query).count()))

    def counts_by_dataset(self, query: EventQuery | None = None) -> dict[str, int]:
        t = self.filtered(query)
        df = self._run(t.group_by("dataset").aggregate(count=t.count()))
        return {str(r.dataset): int(r.count) for r in df.itertuples()}

    # --- actors --------------------------------------------------------------------------

    def actor_names(self, query: EventQuery | None = None, limit: int | None = None) -> pd.DataFrame:
        """Imported actor names with their event counts (rows: name, count), most frequent first."""
        t = self.filtered(query)
        names = t.select(name=t.actors.unnest())
        expr = names.group_by("name").aggregate(count=names.count()).order_by([ibis.desc("count"), "name"])
        return self._run(expr.limit(limit) if limit else expr).reset_index(drop=True)

    def actor_matches(
        self, curated: Mapping[str, Iterable[str]], query: EventQuery | None = None
    ) -> dict[str, list[str]]:
        """For each curated actor id, the imported actor names equal (ignoring case and spacing)
        to its name or one of its aliases: ``{"armenia": ["ARMENIA"], ...}``; ids with no match
        are left out. ``query`` limits the names looked at (``EventQuery(datasets=("acled",))``:
        ACLED's). Pass the result's names as ``EventQuery(actors=...)`` and tell the user
        which names were matched (nothing is matched by guesswork)."""
        imported: dict[str, list[str]] = {}
        for name in self.actor_names(query)["name"]:
            imported.setdefault(_norm(str(name)), []).append(str(name))
        out: dict[str, list[str]] = {}
        for actor_id, names in curated.items():
            found: list[str] = []
            for n in names:
                for hit in imported.get(_norm(n), []):
                    if hit not in found:
                        found.append(hit)
            if found:
                out[actor_id] = found
        return out

    # --- the map -------------------------------------------------------------------------

    def grid(self, query: EventQuery | None, bbox: BBox, zoom: float) -> tuple[pd.DataFrame, float]:
        """Events in ``bbox`` counted per grid cell: rows (lat, lon, count), lat/lon being the
        mean position of the cell's events; and the cell size in degrees."""
        cell = cell_size(zoom, bbox)
        t = self.filtered((query or EventQuery()).within(bbox))
        gx = (t.lon / cell).floor().name("gx")
        gy = (t.lat / cell).floor().name("gy")
        agg = t.group_by([gx, gy]).aggregate(lat=t.lat.mean(), lon=t.lon.mean(), count=t.count())
        df = self._run(agg.select("lat", "lon", "count").order_by(ibis.desc("count")))
        return df.reset_index(drop=True), cell

    def events(
        self, query: EventQuery | None = None, limit: int = SINGLE_EVENTS_MAX, columns: tuple[str, ...] = MARK_COLUMNS
    ) -> pd.DataFrame:
        """Single events (newest first), at most ``limit``."""
        t = self.filtered(query)
        expr = t.select(*columns).order_by([ibis.desc("date_start"), "dataset", "source_id"]).limit(limit)
        return self._run(expr).reset_index(drop=True)

    def map_view(
        self, query: EventQuery | None, bbox: BBox, zoom: float, threshold: int = SINGLE_EVENTS_MAX
    ) -> MapView:
        """Single events if at most ``threshold`` match in ``bbox``, else grid cells with a message."""
        q = (query or EventQuery()).within(bbox)
        total = self.count(q)
        if total <= threshold:
            rows = self.events(q, limit=threshold).to_dict("records")
            return MapView("events", total, events=rows)
        cells, cell = self.grid(query, bbox, zoom)
        message = (
            f"{_format_count(total)} imported events shown as {_format_count(len(cells))} cells; "
            "zoom in or filter to see single events"
        )
        return MapView("cells", total, cells=cells.to_dict("records"), cell_deg=cell, message=message)

    # --- the timeline --------------------------------------------------------------------

    def date_range(self, query: EventQuery | None = None) -> tuple[dt.date | None, dt.date | None]:
        t = self.filtered(query)
        return _span(self._run(t.aggregate(lo=t.date_start.min(), hi=t.date_end.max())))

    def timeline(self, query: EventQuery | None = None, unit: str | None = None) -> tuple[pd.DataFrame, str]:
        """Events per period (by their start date) and dataset: rows (period, dataset, count).
        ``unit`` day, week (starting Monday) or month; by default chosen from the span."""
        if unit is None:
            unit = timeline_unit(*self.date_range(query))
        if unit not in TIMELINE_UNITS:
            raise ValueError(f"unit must be one of {', '.join(TIMELINE_UNITS)}")
        t = self.filtered(query)
        period = t.date_start.truncate(_TRUNC[unit]).name("period") if unit != "day" else t.date_start.name("period")
        expr = t.group_by([period, t.dataset]).aggregate(count=t.count()).order_by(["period", "dataset"])
        df = self._run(expr).reset_index(drop=True)
        if len(df):
            df["period"] = pd.to_datetime(df["period"]).dt.date
        return df, unit

    def timeline_view(
        self, query: EventQuery | None = None, threshold: int = SINGLE_EVENTS_MAX, unit: str | None = None
    ) -> TimelineView:
        t = self.filtered(query)
        # the count and the span in one scan (the span picks the period when ``unit`` is None)
        head = self._run(t.aggregate(n=t.count(), lo=t.date_start.min(), hi=t.date_end.max()))
        total = int(head["n"].iloc[0])
        if total <= threshold:
            cols = ("dataset", "source_id", "date_start", "date_end", "date_precision", "title", "event_type")
            return TimelineView(
                "marks", total, marks=self.events(query, limit=threshold, columns=cols).to_dict("records")
            )
        if unit is None:
            unit = timeline_unit(*_span(head))
        df, unit = self.timeline(query, unit)
        return TimelineView("counts", total, unit=unit, counts=df.to_dict("records"))

    # --- the panel -----------------------------------------------------------------------

    def event(self, dataset: str, source_id: str) -> dict[str, Any] | None:
        """One event with every stored column (``raw`` is the dataset's own columns as JSON)."""
        t = self.table
        df = self._run(t.filter((t.dataset == dataset) & (t.source_id == str(source_id))).limit(1))
        if df.empty:
            return None
        record = df.iloc[0].to_dict()
        record["actors"] = [str(a) for a in (record.get("actors") if record.get("actors") is not None else [])]
        return _jsonable(record)


def _spark_session() -> Any:
    from pyspark.sql import SparkSession

    master = os.environ.get(SPARK_MASTER_ENV) or "local[*]"
    return (
        SparkSession.builder.master(master)
        .appName("caucasus-events")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


_SHARED: dict[tuple[str, str], EventStore] = {}
_SHARED_LOCK = threading.Lock()


def get_store(store_dir: str | Path | None = None, engine: str | None = None) -> EventStore:
    """The process-wide :class:`EventStore` for this store and engine (one connection per process)."""
    key = (str(store_dir) if store_dir is not None else configured_store_dir(), engine or configured_engine())
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = EventStore(key[0], key[1])
        return _SHARED[key]
