"""What every importer shares: the imported-event record, precision rules, and field checks.

An imported event is one row of the store (see :data:`COLUMNS`). Each dataset keeps its own
precision codes (``date_precision_code``, ``geo_precision_code``) and is mapped to the drawing
classes the curated data uses, never to anything more precise than the dataset says:

Dates (``date_precision`` is the curated class: ``day`` is drawn as a pin/mark, ``month`` and
``year`` as larger, fainter rings and as spans on the timeline; ``date_start``–``date_end`` is the
honest span):

=========  ==========================  ==================================  ==============
dataset    code                        span stored                         class
=========  ==========================  ==================================  ==============
ACLED      time_precision 1 (day)      the day                             day
ACLED      time_precision 2 (week)     coded day ± 6 days (holds the week  month
                                       whichever day ACLED coded)
ACLED      time_precision 3 (month)    the calendar month                  month
UCDP GED   date_prec 1 (exact day)     date_start–date_end from the file   day
UCDP GED   date_prec 2, 3 (≤ 1 week)   date_start–date_end                 month
UCDP GED   date_prec 4 (≤ 1 month)     date_start–date_end                 month
UCDP GED   date_prec 5 (> 1 month)     date_start–date_end                 year
GDELT 2.0  (none; SQLDATE is a day)    the day                             day
timemap    (none; ``date`` is a day)   the day                             day
=========  ==========================  ==================================  ==============

Places (``ring_km``: 0 draws a pin, anything more a ring of that radius around the point, so
a region-level coordinate is never shown as a precise pin):

=========  =================================================================  =======
dataset    code                                                               ring_km
=========  =================================================================  =======
ACLED      geo_precision 1 (the town or exact spot)                           0
ACLED      geo_precision 2 (near a town / part of a region)                   25
ACLED      geo_precision 3 (a larger region: its capital or centre)           100
UCDP GED   where_prec 1 (exact place)                                         0
UCDP GED   where_prec 2 (within about 25 km of a place)                       25
UCDP GED   where_prec 3 (second-order administrative division)                50
UCDP GED   where_prec 4 (first-order administrative division)                 150
UCDP GED   where_prec 5 (a linear feature: road, river, border stretch)       50
UCDP GED   where_prec 6 (only the country)                                    300
UCDP GED   where_prec 7 (international waters or airspace)                    300
GDELT 2.0  ActionGeo_Type 3, 4 (US or world city centroid)                    10
GDELT 2.0  ActionGeo_Type 2, 5 (US state or world ADM1 centroid)              150
GDELT 2.0  ActionGeo_Type 1 (country centroid)                                300
timemap    (none; coordinates as given)                                       0
=========  =================================================================  =======
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from geo.load import Reject

#: The datasets the importer reads, in the order the CLI lists them.
FORMATS = ("acled", "ucdp", "gdelt", "timemap")

#: Store columns, in order, with their Arrow types (see :mod:`geo.ingest.store`).
COLUMNS: dict[str, str] = {
    "dataset": "string",
    "source_id": "string",
    "date_start": "date32",
    "date_end": "date32",
    "date_precision": "string",  # day | month | year: the curated drawing class
    "date_precision_code": "int16",  # the dataset's own code (null when it has none)
    "lat": "float64",
    "lon": "float64",
    "geo_precision_code": "int16",  # the dataset's own code (null when it has none)
    "ring_km": "float64",  # 0: a pin; more: a ring of that radius
    "title": "string",
    "actors": "list<string>",
    "actor_key": "string",  # "|a|b|", lower-cased: the actor filter matches whole names
    "event_type": "string",
    "sub_event_type": "string",
    "fatalities": "int64",
    "location": "string",
    "country": "string",
    "source_name": "string",
    "source_text": "string",
    "link": "string",  # http(s) only, else null
    "updated": "int64",  # the dataset's own last-change stamp (unix seconds), null if none
    "raw": "string",  # JSON of the dataset's own columns kept for the panel
    "row_hash": "string",  # content hash: unchanged rows are not rewritten
    "file": "string",
    "row": "int64",
}

ACLED_TIME = {1: "day", 2: "month", 3: "month"}
ACLED_GEO_KM = {1: 0.0, 2: 25.0, 3: 100.0}
UCDP_DATE = {1: "day", 2: "month", 3: "month", 4: "month", 5: "year"}
UCDP_GEO_KM = {1: 0.0, 2: 25.0, 3: 50.0, 4: 150.0, 5: 50.0, 6: 300.0, 7: 300.0}
GDELT_GEO_KM = {1: 300.0, 2: 150.0, 3: 10.0, 4: 10.0, 5: 150.0}

#: Fields excluded from the content hash: where the row came from, not what it says.
_NOT_HASHED = ("row_hash", "file", "row")


#: Bytes that were not UTF-8 (decoded as lone surrogates) and NUL: never stored.
_BAD_TEXT = re.compile("[\udc80-\udcff\x00]")
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")


class RowError(ValueError):
    """A field of one row cannot be used; becomes a :class:`Reject`."""

    def __init__(self, field: str | None, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: Any) -> str:
    return f" (got {cut(repr(value))})" if value not in ("", None) else ""


@dataclass
class Row:
    """A raw row as read: its number (as the curated loader counts them) and its fields."""

    number: int
    fields: dict[str, Any]

    def text(self, name: str, required: bool = False) -> str:
        value = self.fields.get(name)
        if isinstance(value, (dict, list)):
            raise RowError(name, f"expected text or a number, got a JSON {type(value).__name__}")
        value = "" if value is None else str(value).strip()
        if required and not value:
            raise RowError(name, "required but empty")
        bad = _BAD_TEXT.search(value)
        if bad is not None:
            if bad.group() == "\x00":
                raise RowError(name, "contains a NUL byte")
            byte = ord(bad.group()) - 0xDC00
            raise RowError(name, f"not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8")
        return value

    def integer(self, name: str, required: bool = False, allowed: Any = None) -> int | None:
        value = self.text(name, required)
        if not value:
            return None
        m = re.fullmatch(r"([+-]?\d{1,18})(?:\.0*)?", value)
        if m is None:
            raise RowError(name, f"not a whole number{shown(value)}")
        number = int(m[1])
        if allowed is not None and number not in allowed:
            raise RowError(name, f"not one of {', '.join(str(a) for a in sorted(allowed))}{shown(value)}")
        return number

    def count(self, name: str) -> int | None:
        number = self.integer(name)
        if number is not None and not 0 <= number < 2**62:
            raise RowError(name, f"must be a count of 0 or more{shown(self.text(name))}")
        return number

    def coordinate(self, name: str, limit: float) -> float:
        value = self.text(name, required=True)
        try:
            number = float(value)
        except ValueError:
            raise RowError(name, f"not a number{shown(value)}") from None
        if not math.isfinite(number) or not -limit <= number <= limit:
            raise RowError(name, f"must be between -{limit:g} and {limit:g}{shown(value)}")
        return number

    def date(self, name: str, required: bool = True) -> dt.date | None:
        value = self.text(name, required)
        if not value:
            return None
        return parse_date(name, value)


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})


def parse_date(field: str, value: str) -> dt.date:
    """ISO (with an optional time after it), ``D Month YYYY`` (older ACLED exports),
    ``YYYYMMDD`` (GDELT) or ``M/D/YYYY`` (timemap)."""
    text = value.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        elif m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            day = dt.date(int(m[3]), int(m[1]), int(m[2]))
        elif (m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})", text)) and m[2].lower() in _MONTHS:
            day = dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        else:
            raise ValueError
    except ValueError:
        hint = "YYYYMMDD" if text.isdigit() else "YYYY-MM-DD"
        raise RowError(field, f"not a date ({hint}){shown(value)}") from None
    if not 1800 <= day.year <= 2200:
        raise RowError(field, f"year {day.year} is out of range{shown(value)}")
    return day


def month_span(day: dt.date) -> tuple[dt.date, dt.date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def safe_link(value: str) -> str | None:
    """The link if it is an absolute http(s) URL with a host, else None (never javascript:, file:…)."""
    value = (value or "").strip()
    if not value or _NOT_IN_URL.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None


_URL = re.compile(r"https?://[^\s;,<>\"']+")


def first_link(text: str) -> str | None:
    m = _URL.search(text or "")
    return safe_link(m.group(0).rstrip(".)")) if m else None


def split_names(*values: str) -> list[str]:
    """Actor names from fields that may hold several separated by ';' (ACLED's assoc_actor_*)."""
    names: list[str] = []
    for value in values:
        for name in (value or "").split(";"):
            name = " ".join(name.split())
            if name and name not in names:
                names.append(name)
    return names


def make_event(dataset: str, file: str, number: int, **values: Any) -> dict[str, Any]:
    """A store row: fills the derived columns (``actor_key``, ``row_hash``) and blanks."""
    record = {name: values.get(name) for name in COLUMNS}
    record.update(dataset=dataset, file=file, row=number)
    record["actors"] = list(values.get("actors") or [])
    record["actor_key"] = "|" + "|".join(a.lower() for a in record["actors"]) + "|" if record["actors"] else ""
    for name in ("title", "event_type", "sub_event_type", "location", "country", "source_name", "source_text"):
        record[name] = record[name] or ""
    record["raw"] = json.dumps(values.get("raw") or {}, ensure_ascii=False, sort_keys=True)
    record["row_hash"] = row_hash(record)
    return record


def row_hash(record: dict[str, Any]) -> str:
    content = {k: v for k, v in record.items() if k not in _NOT_HASHED}
    blob = json.dumps(content, default=str, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


def to_reject(file: str, number: int | None, err: RowError) -> Reject:
    return Reject(file, number, err.field, err.reason)
