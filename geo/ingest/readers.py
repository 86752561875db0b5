"""Read ACLED, UCDP GED, GDELT 2.0 and timemap files into imported-event rows.

Each reader streams its file (a ``.zip`` holding one file is read too), yields
:class:`~geo.ingest.common.Row` objects numbered the way the curated loader numbers rows
(CSV: the header is row 1, so the first event is row 2; GDELT, which has no header: the
line number; JSON: events from 1), and reports what it cannot read as a
:class:`geo.load.Reject` instead of raising. ``convert(fmt, row, file)`` turns a row into a
store record or raises :class:`~geo.ingest.common.RowError` naming the field.

Columns are those of the published codebooks: ACLED's export (event_id_cnty, event_date, year,
time_precision, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1,
actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country, admin1,
admin2, admin3, location, latitude, longitude, geo_precision, source, source_scale, notes,
fatalities, tags, timestamp), UCDP GED's CSV (id, relid, year, …, where_prec, date_prec,
date_start, date_end, latitude, longitude, side_a, side_b, source_article, source_office,
source_headline, best, …), GDELT 2.0's 61 tab-separated event columns (:data:`GDELT_COLUMNS`)
and the timemap / ukraine-timemap event JSON (a list of events, or ``{"events": [...],
"sources": {...}}``, each event with ``id``, ``date``, ``latitude``, ``longitude``,
``description``, ``location`` and ``sources``: ids into the sources, or the sources themselves).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from geo.ingest.common import (
    ACLED_GEO_KM,
    ACLED_TIME,
    GDELT_GEO_KM,
    UCDP_DATE,
    UCDP_GEO_KM,
    Row,
    RowError,
    cut,
    first_link,
    make_event,
    month_span,
    safe_link,
    split_names,
)
from geo.load import Reject

#: GDELT 2.0 event table columns, in file order (the GDELT 2.0 Event Codebook).
GDELT_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale "
    "NumMentions NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
assert len(GDELT_COLUMNS) == 61

#: CAMEO root codes (EventRootCode) and their names, for GDELT's event type.
CAMEO_ROOTS = {
    "01": "Make public statement",
    "02": "Appeal",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation",
    "07": "Provide aid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}
UCDP_VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}

#: The column holding each dataset's own event id (the key of the store, with the dataset).
ID_FIELD = {"acled": "event_id_cnty", "ucdp": "id", "gdelt": "GLOBALEVENTID", "timemap": "id"}
#: Columns a CSV must have for any of its rows to load.
REQUIRED = {
    "acled": ("event_id_cnty", "event_date", "time_precision", "latitude", "longitude", "geo_precision"),
    "ucdp": ("id", "date_start", "date_end", "date_prec", "where_prec", "latitude", "longitude"),
}
ACLED_RAW = (
    "year disorder_type inter1 inter2 interaction civilian_targeting iso region admin1 admin2 admin3 source_scale tags"
).split()
UCDP_RAW = (
    "relid year type_of_violence conflict_name dyad_name side_a side_b number_of_sources source_office "
    "source_date source_original where_coordinates where_description adm_1 adm_2 event_clarity "
    "deaths_a deaths_b deaths_civilians deaths_unknown high low"
).split()
GDELT_RAW = (
    "Actor1Code Actor1CountryCode Actor2Code Actor2CountryCode IsRootEvent EventCode EventBaseCode "
    "EventRootCode QuadClass GoldsteinScale NumMentions NumSources NumArticles AvgTone "
    "ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_FeatureID DATEADDED"
).split()

Progress = Callable[[int], Any]


# --- opening files ----------------------------------------------------------------------


@contextmanager
def open_binary(path: Path) -> Iterator[tuple[IO[bytes], int]]:
    """The file (or the single file inside a .zip) as bytes, with its size for the progress bar."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise ValueError(f"the zip holds {len(members)} files; give it one")
            with archive.open(members[0]) as fh:
                yield fh, members[0].file_size
    else:
        with open(path, "rb") as fh:
            yield fh, path.stat().st_size


def _lines(fh: IO[bytes], progress: Progress) -> Iterator[str]:
    """Decoded lines; bytes that are not UTF-8 become surrogates that the row checks name."""
    first = True
    for raw in fh:
        progress(len(raw))
        line = raw.decode("utf-8", "surrogateescape")
        if first:
            line = line.removeprefix("\ufeff")
            first = False
        yield line


def csv_rows(path: Path, fmt: str, rejects: list[Reject], progress: Progress, fh: IO[bytes]) -> Iterator[Row]:
    """Rows of a headed CSV (ACLED, UCDP): the header is row 1, blank lines are skipped uncounted."""
    name = path.name
    reader = csv.reader(_lines(fh, progress))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        rejects.append(Reject(name, None, None, "file is empty — nothing in it was loaded"))
        return
    except csv.Error as err:
        rejects.append(Reject(name, None, None, f"not a readable CSV ({cut(str(err), 200)}) — nothing loaded"))
        return
    missing = [c for c in REQUIRED[fmt] if c not in header]
    if missing:
        total = 0
        try:
            total = sum(1 for rec in reader if any(f.strip() for f in rec))
        except csv.Error:
            pass
        cols = ", ".join(f"'{c}'" for c in missing)
        rejects.append(Reject(name, None, None, f"missing required column {cols} — none of its {total} rows loaded"))
        return
    number = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            number += 1
            rejects.append(Reject(name, number, None, f"not a readable CSV row ({cut(str(err), 120)})"))
            continue
        if not any(f.strip() for f in record):
            continue
        number += 1
        if len(record) > len(header):
            rejects.append(Reject(name, number, None, f"has {len(record)} fields; the header names {len(header)}"))
            continue
        yield Row(number, dict(zip(header, record, strict=False)))


def gdelt_rows(path: Path, rejects: list[Reject], progress: Progress, fh: IO[bytes]) -> Iterator[Row]:
    """GDELT 2.0 events: no header, tab-separated, 61 columns; rows are line numbers."""
    for number, line in enumerate(_lines(fh, progress), start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(GDELT_COLUMNS):
            rejects.append(
                Reject(
                    path.name,
                    number,
                    None,
                    f"has {len(fields)} tab-separated columns; GDELT 2.0 events have {len(GDELT_COLUMNS)}",
                )
            )
            continue
        yield Row(number, dict(zip(GDELT_COLUMNS, fields, strict=True)))


def timemap_rows(
    path: Path, rejects: list[Reject], progress: Progress, fh: IO[bytes]
) -> Iterator[tuple[Row, dict[str, Any]]]:
    """timemap events (numbered from 1), each with the sources table it refers into."""
    name = path.name
    raw = fh.read()
    progress(len(raw))
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        rejects.append(
            Reject(
                name,
                None,
                None,
                f"not valid UTF-8 (byte 0x{raw[err.start]:02x} on line {line}); save the file as UTF-8 — "
                "nothing in it was loaded",
            )
        )
        return
    except RecursionError:
        rejects.append(Reject(name, None, None, "malformed JSON: nested too deeply to read — nothing loaded"))
        return
    except ValueError as err:
        if isinstance(err, json.JSONDecodeError):
            reason = f"{err.msg} at line {err.lineno} column {err.colno}"
        else:
            reason = cut(str(err))
        rejects.append(Reject(name, None, None, f"malformed JSON: {reason} — nothing loaded"))
        return
    sources: dict[str, Any] = {}
    if isinstance(doc, dict):
        table = doc.get("sources")
        if isinstance(table, dict):
            sources = {str(k): v for k, v in table.items() if isinstance(v, dict)}
        elif isinstance(table, list):
            sources = {str(s.get("id")): s for s in table if isinstance(s, dict) and s.get("id") is not None}
        doc = doc.get("events")
    if not isinstance(doc, list):
        rejects.append(Reject(name, None, None, 'not a timemap export: expected a list of events or {"events": [...]}'))
        return
    for i, event in enumerate(doc):
        if not isinstance(event, dict):
            rejects.append(Reject(name, i + 1, None, f"an event must be a JSON object, got {type(event).__name__}"))
            continue
        yield Row(i + 1, event), sources


# --- converting rows ---------------------------------------------------------------------


def _raw(row: Row, names: list[str]) -> dict[str, str]:
    out = {}
    for n in names:
        try:
            value = row.text(n)
        except RowError:
            continue
        if value:
            out[n] = value
    return out


def acled(row: Row, file: str) -> dict[str, Any]:
    sid = row.text("event_id_cnty", required=True)
    day = row.date("event_date")
    code = row.integer("time_precision", required=True, allowed=ACLED_TIME)
    if code == 1:
        start = end = day
    elif code == 2:
        start, end = day - dt.timedelta(days=6), day + dt.timedelta(days=6)
    else:
        start, end = month_span(day)
    geo = row.integer("geo_precision", required=True, allowed=ACLED_GEO_KM)
    lat, lon = row.coordinate("latitude", 90), row.coordinate("longitude", 180)
    actor1, actor2 = row.text("actor1"), row.text("actor2")
    actors = split_names(actor1, row.text("assoc_actor_1"), actor2, row.text("assoc_actor_2"))
    kind = row.text("sub_event_type") or row.text("event_type")
    who = " vs ".join(a for a in (actor1, actor2) if a)
    place = row.text("location")
    title = " — ".join(p for p in (kind, who, place) if p) or sid
    return make_event(
        "acled",
        file,
        row.number,
        source_id=sid,
        date_start=start,
        date_end=end,
        date_precision=ACLED_TIME[code],
        date_precision_code=code,
        lat=lat,
        lon=lon,
        geo_precision_code=geo,
        ring_km=ACLED_GEO_KM[geo],
        title=title,
        actors=actors,
        event_type=row.text("event_type"),
        sub_event_type=row.text("sub_event_type"),
        fatalities=row.count("fatalities"),
        location=place,
        country=row.text("country"),
        source_name=row.text("source"),
        source_text=row.text("notes"),
        link=first_link(row.text("notes")),
        updated=row.count("timestamp"),
        raw=_raw(row, ACLED_RAW),
    )


def ucdp(row: Row, file: str) -> dict[str, Any]:
    sid = row.text("id", required=True)
    start, end = row.date("date_start"), row.date("date_end")
    if end < start:
        raise RowError("date_end", f"{end} is before date_start {start}")
    code = row.integer("date_prec", required=True, allowed=UCDP_DATE)
    geo = row.integer("where_prec", required=True, allowed=UCDP_GEO_KM)
    lat, lon = row.coordinate("latitude", 90), row.coordinate("longitude", 180)
    side_a, side_b = row.text("side_a"), row.text("side_b")
    violence = row.integer("type_of_violence")
    who = row.text("dyad_name") or " – ".join(s for s in (side_a, side_b) if s) or row.text("conflict_name")
    place = row.text("where_coordinates") or row.text("adm_2") or row.text("adm_1")
    headline = row.text("source_headline")
    article = row.text("source_article")
    return make_event(
        "ucdp",
        file,
        row.number,
        source_id=sid,
        date_start=start,
        date_end=end,
        date_precision=UCDP_DATE[code],
        date_precision_code=code,
        lat=lat,
        lon=lon,
        geo_precision_code=geo,
        ring_km=UCDP_GEO_KM[geo],
        title=" — ".join(p for p in (who, place) if p) or sid,
        actors=split_names(side_a, side_b),
        event_type=UCDP_VIOLENCE.get(violence, ""),
        sub_event_type=row.text("conflict_name"),
        fatalities=row.count("best"),
        location=place,
        country=row.text("country"),
        source_name=row.text("source_office"),
        source_text="\n".join(p for p in (headline, article) if p),
        link=first_link(article) or first_link(row.text("source_original")),
        raw=_raw(row, UCDP_RAW),
    )


def gdelt(row: Row, file: str) -> dict[str, Any]:
    sid = row.text("GLOBALEVENTID", required=True)
    if not sid.isdigit():
        raise RowError("GLOBALEVENTID", f"not a whole number{_got(sid)}")
    day = row.date("SQLDATE")
    geo = row.integer("ActionGeo_Type", required=True, allowed=GDELT_GEO_KM)
    lat, lon = row.coordinate("ActionGeo_Lat", 90), row.coordinate("ActionGeo_Long", 180)
    actor1, actor2 = row.text("Actor1Name"), row.text("Actor2Name")
    root = row.text("EventRootCode").zfill(2)
    kind = CAMEO_ROOTS.get(root, "")
    added = row.text("DATEADDED")
    updated = None
    if len(added) == 14 and added.isdigit():
        try:
            stamp = dt.datetime.strptime(added, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
            updated = int(stamp.timestamp())
        except ValueError:
            raise RowError("DATEADDED", f"not a YYYYMMDDHHMMSS time{_got(added)}") from None
    url = row.text("SOURCEURL")
    place = row.text("ActionGeo_FullName")
    title = " · ".join(p for p in (actor1, kind or row.text("EventCode"), actor2) if p) or sid
    return make_event(
        "gdelt",
        file,
        row.number,
        source_id=sid,
        date_start=day,
        date_end=day,
        date_precision="day",
        date_precision_code=None,
        lat=lat,
        lon=lon,
        geo_precision_code=geo,
        ring_km=GDELT_GEO_KM[geo],
        title=f"{title} ({place})" if place else title,
        actors=split_names(actor1, actor2),
        event_type=kind,
        sub_event_type=row.text("EventCode"),
        fatalities=None,
        location=place,
        country=row.text("ActionGeo_CountryCode"),
        source_name=url if url and safe_link(url) is None else "",
        source_text="",
        link=safe_link(url),
        updated=updated,
        raw=_raw(row, GDELT_RAW),
    )


def _got(value: str) -> str:
    return f" (got {cut(repr(value))})" if value else ""


def timemap(row: Row, file: str, sources: dict[str, Any]) -> dict[str, Any]:
    sid = row.text("id", required=True)
    day = row.date("date")
    lat, lon = row.coordinate("latitude", 90), row.coordinate("longitude", 180)
    description = row.text("description")
    cited = []
    listed = row.fields.get("sources") or []
    if not isinstance(listed, list):
        raise RowError("sources", "must be a list of source ids or source objects")
    for item in listed:
        source = item if isinstance(item, dict) else sources.get(str(item)) if isinstance(item, (str, int)) else None
        if source is None:
            continue
        paths = source.get("paths") if isinstance(source.get("paths"), list) else []
        candidates = [source.get("url"), source.get("path"), *paths]
        link = next((safe_link(c) for c in candidates if isinstance(c, str) and safe_link(c)), None)
        cited.append(
            {
                "id": str(source.get("id", item if not isinstance(item, dict) else "")),
                "title": str(source.get("title") or source.get("description") or "")[:500],
                "url": link,
            }
        )
    kinds = []
    for key in ("category", "associations", "filters"):
        value = row.fields.get(key)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, dict):
                v = v.get("value") or v.get("name")
            if isinstance(v, str) and v.strip() and v.strip() not in kinds:
                kinds.append(v.strip())
    actors = row.fields.get("actors")
    title = row.text("title") or cut(description.split("\n")[0], 120) or sid
    return make_event(
        "timemap",
        file,
        row.number,
        source_id=sid,
        date_start=day,
        date_end=day,
        date_precision="day",
        date_precision_code=None,
        lat=lat,
        lon=lon,
        geo_precision_code=None,
        ring_km=0.0,
        title=title,
        actors=split_names(*[a for a in actors if isinstance(a, str)]) if isinstance(actors, list) else [],
        event_type=kinds[0] if kinds else "",
        sub_event_type="; ".join(kinds[1:]),
        fatalities=None,
        location=row.text("location"),
        country="",
        source_name="; ".join(c["title"] for c in cited if c["title"])[:1000],
        source_text=description,
        link=next((c["url"] for c in cited if c["url"]), None),
        raw={"sources": cited, "time": row.text("time")} if cited or row.fields.get("time") else {},
    )


def read(path: Path, fmt: str, rejects: list[Reject], progress: Progress) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, store record) for every row that converts; the others become rejects."""
    with open_binary(path) as (fh, _size):
        yield from read_stream(path, fh, fmt, rejects, progress)


def read_stream(
    path: Path, fh: IO[bytes], fmt: str, rejects: list[Reject], progress: Progress
) -> Iterator[tuple[int, dict[str, Any]]]:
    """:func:`read` on an open binary stream (an upload held in memory); ``path`` names it in reports."""
    name = path.name
    if fmt == "timemap":
        pairs: Iterator[tuple[Row, Any]] = timemap_rows(path, rejects, progress, fh)
    elif fmt == "gdelt":
        pairs = ((r, None) for r in gdelt_rows(path, rejects, progress, fh))
    else:
        pairs = ((r, None) for r in csv_rows(path, fmt, rejects, progress, fh))
    for row, extra in pairs:
        try:
            if fmt == "acled":
                record = acled(row, name)
            elif fmt == "ucdp":
                record = ucdp(row, name)
            elif fmt == "gdelt":
                record = gdelt(row, name)
            else:
                record = timemap(row, name, extra)
        except RowError as err:
            rejects.append(Reject(name, row.number, err.field, err.reason))
            continue
        except Exception as err:  # an input nobody foresaw: report the row, go on
            rejects.append(Reject(name, row.number, None, f"row cannot be read ({type(err).__name__})"))
            continue
        yield row.number, record


def file_size(path: Path) -> int:
    try:
        with open_binary(path) as (_fh, size):
            return size
    except Exception:
        return 0


__all__ = ["GDELT_COLUMNS", "ID_FIELD", "file_size", "read"]
