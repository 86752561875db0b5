"""Load every curated file in ``data/`` into typed frames, with a report of rejects.

``load_dataset()`` never raises on bad input: each row that cannot be used is
left out *and* named in ``Dataset.rejects`` with its file, row, field and a
reason a curator can act on. Row numbers count the header as row 1, as a
spreadsheet does; GeoJSON features are numbered from 1.

Rejections cascade and say so: an event whose actor was rejected is itself
rejected, and so are the citations of a rejected event.
"""

from __future__ import annotations

import calendar
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from pydantic import BaseModel, ValidationError
from shapely.geometry import shape
from shapely.validation import explain_validity

from geo.schema import (
    REGION_BOUNDS,
    ActorRecord,
    CitationRecord,
    EventRecord,
    NarrativeRecord,
    PlaceRecord,
    RelationRecord,
    SourceRecord,
)
from geo.text import find_quote

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
#: Points the app (``dashboard/data.py``) and ``python -m geo.check`` at another copy of ``data/``.
DATA_DIR_ENV = "CAUCASUS_DATA_DIR"
#: The largest file the loader reads; a bigger one is reported, not read.
MAX_FILE_BYTES = 64 * 1024 * 1024


def configured_data_dir() -> Path:
    """The folder the app reads: ``$CAUCASUS_DATA_DIR`` if set, else the repo's ``data/``."""
    return Path(os.environ.get(DATA_DIR_ENV, DATA_DIR))


FILES = {
    "sources": "sources.csv",
    "actors": "actors.csv",
    "events": "events.csv",
    "citations": "citations.csv",
    "places": "places.geojson",
}


@dataclass(frozen=True)
class Reject:
    """One row (or whole file) left out, and why."""

    file: str
    row: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass
class Dataset:
    """The curated records as frames, plus every reject."""

    sources: pd.DataFrame
    actors: pd.DataFrame
    events: gpd.GeoDataFrame
    citations: pd.DataFrame
    places: gpd.GeoDataFrame
    rejects: list[Reject] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    #: links between events and curated narratives (``geo.stories``); empty when their files are absent
    relations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(RelationRecord.model_fields)))
    narratives: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(NarrativeRecord.model_fields)))

    @property
    def report(self) -> pd.DataFrame:
        return pd.DataFrame([vars(r) for r in self.rejects], columns=["file", "row", "field", "reason"])


# --- reading files ------------------------------------------------------------------


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read_text(path: Path, rejects: list[Reject], where: str = "in the data folder") -> str | None:
    """Read a UTF-8 file; a missing, unreadable, huge, empty or mis-encoded file becomes a reject.

    Reasons name the file but never the server's absolute path (the app shows them to visitors).
    """
    name = path.name
    try:
        if not path.is_file():
            rejects.append(Reject(name, None, None, f"file not found {where}"))
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            rejects.append(
                Reject(
                    name, None, None, f"file is {size:,} bytes; the most read is {MAX_FILE_BYTES:,} — nothing loaded"
                )
            )
            return None
        raw = path.read_bytes()
    except (OSError, ValueError) as err:
        rejects.append(Reject(name, None, None, f"file cannot be read ({type(err).__name__}) — nothing loaded"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        rejects.append(
            Reject(
                name,
                None,
                None,
                f"not valid UTF-8 (byte 0x{raw[err.start]:02x} on line {line}); "
                "save the file as UTF-8 — nothing in it was loaded",
            )
        )
        return None
    if not text.strip():
        rejects.append(Reject(name, None, None, "file is empty — nothing in it was loaded"))
        return None
    return text


def _required_columns(model: type[BaseModel]) -> list[str]:
    return [n for n, f in model.model_fields.items() if f.is_required()]


def _read_csv(path: Path, model: type[BaseModel], rejects: list[Reject]) -> pd.DataFrame | None:
    text = _read_text(path, rejects)
    if text is None:
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except Exception as err:  # the parser's errors vary with the input; none may escape
        reason = _cut(" ".join(str(err).split()), 200) or type(err).__name__
        rejects.append(Reject(path.name, None, None, f"not a readable CSV ({reason}) — nothing loaded"))
        return None
    missing = [c for c in _required_columns(model) if c not in frame.columns]
    if missing:
        cols = ", ".join(f"'{c}'" for c in missing)
        rejects.append(
            Reject(
                path.name,
                None,
                None,
                f"missing required column {cols} — none of its {len(frame)} rows loaded",
            )
        )
        return None
    return frame


def _validate_rows(
    file: str, rows: Iterable[tuple[int, dict[str, Any]]], model: type[BaseModel], rejects: list[Reject]
) -> Iterator[tuple[int, BaseModel]]:
    """Yield (row number, record) for rows the model accepts; reject the others."""
    for number, row in rows:
        try:
            yield number, model.model_validate(row)
        except ValidationError as err:
            for e in err.errors():
                field_name = ".".join(str(p) for p in e["loc"]) or None
                value = e.get("input")
                shown = f" (got {_cut(repr(value))})" if isinstance(value, (str, int, float)) and value != "" else ""
                msg = e["msg"].removeprefix("Value error, ")
                if e["type"] == "missing" or (e["type"] == "string_too_short" and not value):
                    msg = "required but empty"
                rejects.append(Reject(file, number, field_name, msg + shown))


def _csv_rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict[str, Any]]]:
    for i, row in enumerate(frame.to_dict("records")):
        yield i + 2, row


def _unique(
    file: str, key: str, records: list[tuple[int, BaseModel]], rejects: list[Reject]
) -> dict[str, tuple[int, BaseModel]]:
    """Index records by id; later duplicates are rejected, naming the first."""
    seen: dict[str, tuple[int, BaseModel]] = {}
    for number, rec in records:
        value = getattr(rec, key)
        if value in seen:
            rejects.append(Reject(file, number, key, f"duplicate id '{value}' (first used on row {seen[value][0]})"))
        else:
            seen[value] = (number, rec)
    return seen


# --- places -------------------------------------------------------------------------


def _geometry_problem(geom: dict[str, Any] | None) -> str | None:
    """A curator-facing reason why a GeoJSON geometry cannot be used, or None."""
    if not isinstance(geom, dict) or "type" not in geom or "coordinates" not in geom:
        return "feature has no geometry with 'type' and 'coordinates'"
    if geom["type"] == "Point":
        coords = geom["coordinates"]
        if not isinstance(coords, list) or len(coords) != 2:
            n = len(coords) if isinstance(coords, list) else 0
            hint = " (latitude without longitude?)" if n == 1 else ""
            return f"a Point needs [longitude, latitude]; got {n} number(s){hint}"
        if not all(isinstance(c, (int, float)) for c in coords):
            return f"Point coordinates must be numbers; got {coords!r}"
        lon, lat = coords
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return f"coordinates [{lon}, {lat}] are not a valid [longitude, latitude]"
    return None


def _load_places(path: Path, rejects: list[Reject]) -> gpd.GeoDataFrame:
    empty = _empty_places()
    text = _read_text(path, rejects)
    if text is None:
        return empty
    try:
        doc = json.loads(text)
    except RecursionError:
        rejects.append(Reject(path.name, None, None, "malformed GeoJSON: nested too deeply to read — nothing loaded"))
        return empty
    except ValueError as err:
        if not isinstance(err, json.JSONDecodeError):  # e.g. an integer too long to convert
            rejects.append(Reject(path.name, None, None, f"malformed GeoJSON: {_cut(str(err))} — nothing loaded"))
            return empty
        rejects.append(
            Reject(
                path.name,
                None,
                None,
                f"malformed GeoJSON: {err.msg} at line {err.lineno} column {err.colno} — nothing loaded",
            )
        )
        return empty
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        rejects.append(
            Reject(
                path.name,
                None,
                None,
                "not a GeoJSON FeatureCollection with a 'features' list — nothing loaded",
            )
        )
        return empty

    good: list[tuple[int, BaseModel]] = []
    geoms: dict[int, Any] = {}
    for i, feature in enumerate(features):
        number = i + 1
        try:
            checked = _check_feature(path.name, number, feature, rejects)
        except Exception as err:  # RecursionError in a nested geometry, GEOS errors: a reject, not a crash
            rejects.append(Reject(path.name, number, None, f"feature cannot be read ({type(err).__name__})"))
            continue
        if checked is not None:
            good.append((number, checked[0]))
            geoms[number] = checked[1]
    unique = _unique(path.name, "place_id", good, rejects)
    rows = [{**rec.model_dump(), "geometry": geoms[n]} for n, rec in unique.values()]
    if not rows:
        return empty
    places = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return _blank_optional_text(places.set_index("place_id", drop=False).rename_axis(None))


def _check_feature(file: str, number: int, feature: Any, rejects: list[Reject]) -> tuple[BaseModel, Any] | None:
    """A GeoJSON feature's record and shapely geometry, or None after rejecting it."""
    lon_min, lat_min, lon_max, lat_max = REGION_BOUNDS
    props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
    accepted = list(_validate_rows(file, [(number, props)], PlaceRecord, rejects))
    if not accepted:
        return None
    rec = accepted[0][1]
    problem = _geometry_problem(feature.get("geometry"))
    geom = None
    if problem is None:
        try:
            geom = shape(feature["geometry"])
        except (ValueError, TypeError, AttributeError, IndexError) as err:
            problem = f"geometry cannot be read ({_cut(str(err))})"
    if problem is None and geom.is_empty:
        problem = "geometry is empty"
    if problem is None and not geom.is_valid:
        problem = f"invalid geometry: {explain_validity(geom)}"
    if problem is None and not rec.outside_region:
        x0, y0, x1, y1 = geom.bounds
        if x0 < lon_min - 1e-9 or y0 < lat_min - 1e-9 or x1 > lon_max + 1e-9 or y1 > lat_max + 1e-9:
            problem = (
                f"coordinates ({x0:.3f}, {y0:.3f})–({x1:.3f}, {y1:.3f}) fall outside the region "
                f"lon {lon_min}–{lon_max}, lat {lat_min}–{lat_max}; if that is right, set outside_region true"
            )
    if problem:
        rejects.append(Reject(file, number, "geometry", f"{rec.place_id}: {problem}"))
        return None
    return rec, geom


# --- the other files ----------------------------------------------------------------


def _records(path: Path, model: type[BaseModel], rejects: list[Reject]) -> list[tuple[int, BaseModel]]:
    frame = _read_csv(path, model, rejects)
    return [] if frame is None else list(_validate_rows(path.name, _csv_rows(frame), model, rejects))


def _missing_refs(ids: list[str], known: Iterable[str]) -> list[str]:
    known = set(known)
    return [i for i in ids if i not in known]


def period_end(start: pd.Timestamp, precision: str) -> pd.Timestamp:
    """Last day of the day, month or year that ``start`` stands for."""
    if precision == "year":
        return pd.Timestamp(start.year, 12, 31)
    if precision == "month":
        return pd.Timestamp(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def anchor_point(geom: Any) -> Any:
    """Where an event at this place is drawn: the point itself, a line's midpoint,
    or a point guaranteed inside a polygon."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Point":
        return geom
    if geom.geom_type in ("LineString", "MultiLineString"):
        line = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
        if line.geom_type == "MultiLineString":
            line = max(line.geoms, key=lambda g: g.length)
        return line.interpolate(0.5, normalized=True)
    return geom.representative_point()


def text_file(data_dir: Path, text_path: str) -> tuple[Path | None, str | None]:
    """The file a source's ``text_path`` names inside the data folder, or why it may not be read.

    Paths are relative to the data folder itself, so a copy of it works under any name. A
    leading ``data/`` (the repo's folder name, as the curated ``sources.csv`` writes it) is
    dropped. An absolute path, or one that resolves outside the folder (``..``, a symlink),
    is refused: source texts are read only from inside the data folder.
    """
    shown = _cut(text_path)
    if PurePosixPath(text_path).is_absolute() or PureWindowsPath(text_path).anchor:
        return None, f"'{shown}' is an absolute path; give one inside the data folder, like sources/<source_id>.txt"
    relative = text_path.replace("\\", "/").removeprefix("data/")
    try:
        base = data_dir.resolve()
        target = (base / relative).resolve()
    except (OSError, RuntimeError, ValueError) as err:
        return None, f"'{shown}' cannot be resolved ({type(err).__name__})"
    if not target.is_relative_to(base):
        return None, f"'{shown}' leads outside the data folder; source texts are read only from inside it"
    return target, None


def load_dataset(data_dir: Path | str = DATA_DIR) -> Dataset:
    """Load ``data_dir`` into a :class:`Dataset`. Never raises, whatever the folder holds.

    Every problem is a :class:`Reject`; should something unforeseen still go wrong while
    reading one file, that file is reported as not loaded and the others load as usual.
    """
    try:
        return _load(Path(data_dir))
    except Exception as err:  # last resort: the per-file guards below should already catch everything
        reason = f"the data could not be loaded ({type(err).__name__}: {_cut(str(err))}) — nothing loaded"
        return _empty_dataset([Reject(Path(str(data_dir)).name or str(data_dir), None, None, reason)])


def _empty_places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns=[*PlaceRecord.model_fields, "geometry"], geometry="geometry", crs="EPSG:4326")


def _empty_dataset(rejects: list[Reject]) -> Dataset:
    places = _empty_places()
    return Dataset(
        sources=_sources_frame({}),
        actors=_actors_frame({}),
        events=_events_frame({}, [], places),
        citations=_citations_frame([]),
        places=places,
        rejects=rejects,
    )


def _guarded(file: str, rejects: list[Reject], read: Any, default: Any) -> Any:
    """``read()``, or ``default`` with a reject naming ``file`` if it raises anything."""
    try:
        return read()
    except Exception as err:  # RecursionError, MemoryError from a hostile file, or a bug: report, go on
        rejects.append(Reject(file, None, None, f"cannot be loaded ({type(err).__name__}) — nothing in it was loaded"))
        return default


def _load(data_dir: Path) -> Dataset:
    rejects: list[Reject] = []
    if not data_dir.is_dir():
        rejects.append(Reject(data_dir.name or str(data_dir), None, None, "data folder not found — nothing loaded"))
    places = _guarded(
        FILES["places"], rejects, lambda: _load_places(data_dir / FILES["places"], rejects), _empty_places()
    )

    # sources, with the text of each article
    texts: dict[str, str] = {}
    sources_ok: list[tuple[int, BaseModel]] = []
    source_records = _guarded(
        FILES["sources"], rejects, lambda: _records(data_dir / FILES["sources"], SourceRecord, rejects), []
    )
    for number, rec in source_records:
        path, problem = text_file(data_dir, rec.text_path)
        if path is None:
            rejects.append(Reject(FILES["sources"], number, "text_path", problem))
            continue
        problems: list[Reject] = []
        text = _read_text(path, problems, where=f"at '{_cut(rec.text_path)}' in the data folder")
        if text is None:
            rejects.append(Reject(FILES["sources"], number, "text_path", problems[0].reason))
            continue
        texts[rec.source_id] = text
        sources_ok.append((number, rec))
    sources = _unique(FILES["sources"], "source_id", sources_ok, rejects)

    # actors: country is an ISO3 code or the actor_id of an organization
    actor_records = _guarded(
        FILES["actors"], rejects, lambda: _records(data_dir / FILES["actors"], ActorRecord, rejects), []
    )
    actors = _unique(FILES["actors"], "actor_id", actor_records, rejects)
    for actor_id, (number, rec) in list(actors.items()):
        country = rec.country
        if country and not (country.isupper() and len(country) == 3) and country not in actors:
            rejects.append(
                Reject(
                    FILES["actors"],
                    number,
                    "country",
                    f"'{country}' is neither an ISO 3166 alpha-3 code nor a known actor_id",
                )
            )
            del actors[actor_id]

    # events: every actor and place must exist
    events: dict[str, tuple[int, BaseModel]] = {}
    event_records = _guarded(
        FILES["events"], rejects, lambda: _records(data_dir / FILES["events"], EventRecord, rejects), []
    )
    for number, rec in _unique(FILES["events"], "event_id", event_records, rejects).values():
        bad = False
        for fld, ids, known, what in (
            ("actor_ids", rec.actor_ids, actors, "actor"),
            ("place_ids", rec.place_ids, places.index, "place"),
        ):
            for missing in _missing_refs(ids, known):
                rejects.append(Reject(FILES["events"], number, fld, f"unknown {what} '{missing}'"))
                bad = True
        if not bad:
            events[rec.event_id] = (number, rec)

    # citations: the event, source and claimant exist, and the quote is in the article
    citations: list[dict[str, Any]] = []
    seen_pairs: dict[tuple[str, str], int] = {}
    citation_records = _guarded(
        FILES["citations"], rejects, lambda: _records(data_dir / FILES["citations"], CitationRecord, rejects), []
    )
    for number, rec in citation_records:
        file = FILES["citations"]
        if rec.event_id not in events:
            rejects.append(Reject(file, number, "event_id", f"unknown or rejected event '{rec.event_id}'"))
            continue
        if rec.source_id not in sources:
            rejects.append(Reject(file, number, "source_id", f"unknown or rejected source '{rec.source_id}'"))
            continue
        if rec.claimant and rec.claimant not in actors:
            rejects.append(Reject(file, number, "claimant", f"unknown actor '{rec.claimant}'"))
            continue
        pair = (rec.event_id, rec.source_id)
        if pair in seen_pairs:
            rejects.append(
                Reject(
                    file,
                    number,
                    "source_id",
                    f"second citation of '{rec.source_id}' for '{rec.event_id}' (first on row {seen_pairs[pair]}); "
                    "keep one row per article and event",
                )
            )
            continue
        wording = find_quote(rec.quote, texts[rec.source_id])
        if wording is None:
            rejects.append(
                Reject(
                    file,
                    number,
                    "quote",
                    f"not found verbatim in {sources[rec.source_id][1].text_path}: {rec.quote[:80]!r}",
                )
            )
            continue
        seen_pairs[pair] = number
        citations.append({**rec.model_dump(), "quote": wording, "row": number})

    citations = _check_claims(events, citations, rejects)

    # an event must be supported by at least one loaded citation
    cited = {c["event_id"] for c in citations}
    for event_id, (number, _) in list(events.items()):
        if event_id not in cited:
            rejects.append(
                Reject(
                    FILES["events"],
                    number,
                    "event_id",
                    f"'{event_id}' has no loaded citation in {FILES['citations']}; every event needs one",
                )
            )
            del events[event_id]

    data = Dataset(
        sources=_sources_frame(sources),
        actors=_actors_frame(actors),
        events=_events_frame(events, citations, places),
        citations=_citations_frame(citations),
        places=places,
        rejects=rejects,
        texts=texts,
    )
    from geo.stories import load_stories  # here, not at the top: geo.stories builds on this module

    data.relations, data.narratives = load_stories(data_dir, data)
    return data


def _check_claims(
    events: dict[str, tuple[int, BaseModel]], citations: list[dict[str, Any]], rejects: list[Reject]
) -> list[dict[str, Any]]:
    """Status rules across events and citations; returns the citations that stay.

    A citation's claimant marks a claim, so its event cannot be ``reported``. A ``claimed``
    event is one outlet's assertion or a named party's: it needs a citation with a claimant,
    or all its citations from one article. A rejected event takes its citations with it.
    """
    kept: list[dict[str, Any]] = []
    for c in citations:
        status = events[c["event_id"]][1].status
        if c["claimant"] and status == "reported":
            rejects.append(
                Reject(
                    FILES["citations"],
                    c["row"],
                    "claimant",
                    f"'{c['claimant']}' marks a claim, but event '{c['event_id']}' is reported; "
                    "set the event's status to claimed or disputed, or leave claimant empty",
                )
            )
        else:
            kept.append(c)
    by_event: dict[str, list[dict[str, Any]]] = {}
    for c in kept:
        by_event.setdefault(c["event_id"], []).append(c)
    for event_id, (number, rec) in list(events.items()):
        cites = by_event.get(event_id, [])
        if rec.status != "claimed" or not cites:
            continue
        if any(c["claimant"] for c in cites) or len({c["source_id"] for c in cites}) == 1:
            continue
        sources = ", ".join(sorted({c["source_id"] for c in cites}))
        rejects.append(
            Reject(
                FILES["events"],
                number,
                "status",
                f"claimed, but {len(cites)} articles report '{event_id}' ({sources}) and no citation names a "
                "claimant: a claim comes from one outlet or a named party; set reported or disputed, "
                "or name the claimant",
            )
        )
        del events[event_id]
        for c in cites:
            rejects.append(Reject(FILES["citations"], c["row"], "event_id", f"rejected event '{event_id}'"))
        kept = [c for c in kept if c["event_id"] != event_id]
    return kept


# --- frames -------------------------------------------------------------------------


#: Optional text fields: empty is "" in the frames, so callers test them with plain truthiness.
OPTIONAL_TEXT = ("author", "url", "notes", "country", "claimant", "note", "place_role")


def _blank_optional_text(frame: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in OPTIONAL_TEXT if c in frame.columns]
    frame[cols] = frame[cols].fillna("")
    return frame


def _frame(records: dict[str, tuple[int, BaseModel]], key: str, columns: list[str]) -> pd.DataFrame:
    rows = [rec.model_dump() for _, rec in records.values()]
    frame = pd.DataFrame(rows, columns=columns).set_index(key, drop=False).rename_axis(None)
    return _blank_optional_text(frame)


def _sources_frame(sources: dict[str, tuple[int, BaseModel]]) -> pd.DataFrame:
    frame = _frame(sources, "source_id", list(SourceRecord.model_fields))
    frame["published"] = pd.to_datetime(frame["published"])
    return frame


def _actors_frame(actors: dict[str, tuple[int, BaseModel]]) -> pd.DataFrame:
    return _frame(actors, "actor_id", list(ActorRecord.model_fields))


def _citations_frame(citations: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(citations, columns=[*CitationRecord.model_fields, "row"]).drop(columns="row")
    return _blank_optional_text(frame)


def _events_frame(
    events: dict[str, tuple[int, BaseModel]], citations: list[dict[str, Any]], places: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    frame = _frame(events, "event_id", list(EventRecord.model_fields))
    for col in ("date_start", "date_end"):
        frame[col] = pd.to_datetime(frame[col])
    frame["period_end"] = pd.to_datetime(
        [
            period_end(end if pd.notna(end) else start, prec)
            for start, end, prec in zip(frame["date_start"], frame["date_end"], frame["date_precision"], strict=True)
        ]
    )
    by_event: dict[str, list[str]] = {}
    for c in citations:
        by_event.setdefault(c["event_id"], []).append(c["source_id"])
    frame["source_ids"] = [by_event.get(e, []) for e in frame.index]
    frame["place_id"] = [ids[0] if ids else None for ids in frame["place_ids"]]
    geoms = [anchor_point(places.geometry.get(p)) if p else None for p in frame["place_id"]]
    events = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs="EPSG:4326"))
    return events.sort_values(["date_start", "event_id"])
