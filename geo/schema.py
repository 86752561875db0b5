"""The data contract: vocabularies and one pydantic model per curated record.

Models validate a single row at the input boundary; cross-file checks (ids that
must exist, quotes that must be in their article) live in :mod:`geo.load`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

# --- vocabularies -----------------------------------------------------------------

EVENT_TYPES: dict[str, str] = {
    "statement": "something said or written: a speech, declaration, accusation, offer or warning",
    "meeting": "a visit, summit, talks or conference",
    "agreement": "a treaty, accord, declaration or joint statement the parties signed or adopted",
    "decision": "a government or institution decides: a mission, a budget, sanctions, a boycott",
    "diplomatic_protest": "a formal protest, or summoning an ambassador",
    "clash": "armed fighting on a border",
    "war": "a war, with its span",
    "military_operation": "a military offensive, occupation or takeover of territory",
    "military_exercise": "war games and drills",
    "deployment": "troops, observers or a mission sent or stationed somewhere",
    "arms_transfer": "an arms deal, contract, resupply or delivery",
    "seizure": "a confiscation or detention",
    "displacement": "people forced from their homes",
    "election": "an election or a new head of state or government",
    "other": "anything else, explained in the summary",
}
STATUSES: dict[str, str] = {
    "reported": "stated as fact by the article(s) citing it",
    "claimed": "asserted by a single partisan outlet, an unnamed source, or a party; shown as a claim",
    "disputed": "contested by another party in the articles",
}
#: How an event's places relate to it (``place_role``); an event without places has none.
PLACE_ROLES: dict[str, str] = {
    "happened": "where the event happened, as the article says",
    "assumed": "where it happened, assumed by the curators (a statement drawn at the speaker's capital); "
    "the notes say so and why",
    "concerns": "the place the event is about, not where it happened (a statement about Syunik, "
    "an agreement about the corridor); the notes say so",
}
#: Sides that group the outlets by stance (``side`` in sources.csv), with their labels.
SIDES: dict[str, str] = {
    "azerbaijani": "Azerbaijani",
    "armenian": "Armenian",
    "russian": "Russian",
    "iranian": "Iranian",
    "western_independent": "Western or independent",
    "unknown": "Unknown",
}
#: What a claim's title says; a title says it exactly when the event's status is claimed.
CLAIM_MARK = "(claim)"
PRECISIONS = ("day", "month", "year")
ACTOR_KINDS = ("state", "organization", "person", "armed_forces", "media")
SOURCE_KINDS = ("news", "analysis", "opinion")
PLACE_KINDS = (
    "country",
    "region",
    "city",
    "town",
    "site",
    "border",
    "corridor",
    "route",
    "mission_base",
    "mission_area",
)

#: The study area (lon_min, lat_min, lon_max, lat_max). Places outside it must say so.
REGION_BOUNDS = (38.0, 36.0, 52.0, 44.0)

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ISO3 = r"^[A-Z]{3}$"


def _blank_to_none(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def _split_list(value: object) -> list[str]:
    """A ';'-separated CSV cell as a list; blank cell → empty list."""
    value = _blank_to_none(value)
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


#: Control characters a text field may not hold: C0 and C1 controls except tab and newline
#: (a CR only as part of CRLF), and the bidirectional overrides and isolates that can make
#: text read differently from how it is stored.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
#: The longest text a field may hold (the curated data's longest is a few hundred characters).
MAX_TEXT = 10_000


def check_text(value: object) -> object:
    """Reject text with control or bidirectional-override characters, or longer than MAX_TEXT.

    Shared by every record (see ``Record``); lists of text are checked item by item.
    """
    for text in value if isinstance(value, list) else [value]:
        if not isinstance(text, str):
            continue
        if len(text) > MAX_TEXT:
            raise ValueError(f"is {len(text):,} characters long; a field holds at most {MAX_TEXT:,}")
        if bad := _FORBIDDEN_CHARS.search(text):
            char = bad.group()[0]
            kind = "a bidirectional override" if "\u202a" <= char <= "\u2069" else "a control"
            raise ValueError(f"contains {kind} character (U+{ord(char):04X}) at position {bad.start() + 1}; remove it")
    return value


Optional = Annotated[str | None, BeforeValidator(_blank_to_none)]
Required = Annotated[str, BeforeValidator(_blank_to_none), Field(min_length=1)]
Slug = Annotated[str, BeforeValidator(_blank_to_none), Field(pattern=SLUG)]
OptionalSlug = Annotated[Annotated[str, Field(pattern=SLUG)] | None, BeforeValidator(_blank_to_none)]
SlugList = Annotated[list[Annotated[str, Field(pattern=SLUG)]], BeforeValidator(_split_list)]
TextList = Annotated[list[str], BeforeValidator(_split_list)]


#: The earliest plausible year; the latest is next year.
FIRST_YEAR = 1900


def _iso_date(value: object) -> object:
    value = _blank_to_none(value)
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(f"'{value}' is not a date in YYYY-MM-DD form")
        try:
            date = dt.date.fromisoformat(value)
        except ValueError as err:
            raise ValueError(f"'{value}' is not a real date ({err})") from None
        last = dt.date.today().year + 1
        if not FIRST_YEAR <= date.year <= last:
            raise ValueError(f"'{value}' is implausible: dates must fall between {FIRST_YEAR} and {last}")
        return date
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_iso_date)]


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return check_text(value)


def _check_precision(date: dt.date, precision: str | None) -> None:
    """A month-precision date is the 1st of its month; a year-precision one is 1 January."""
    if precision in ("month", "year") and date.day != 1:
        raise ValueError(f"{date} has {precision} precision, so it must be the 1st of the month")
    if precision == "year" and date.month != 1:
        raise ValueError(f"{date} has year precision, so it must be 1 January")


class SourceRecord(Record):
    source_id: Slug
    outlet: Required
    title: Required
    author: Optional = None
    published_precision: Literal[PRECISIONS]
    published: IsoDate
    url: Optional = None
    kind: Literal[SOURCE_KINDS]
    stance: Required
    side: Literal[tuple(SIDES)]
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")]
    text_path: Required
    notes: Optional = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError(f"'{value}' is not an http(s) URL; leave it empty if unknown")
        return value

    @field_validator("published")
    @classmethod
    def _published(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        _check_precision(value, info.data.get("published_precision"))
        return value


class ActorRecord(Record):
    actor_id: Slug
    name: Required
    kind: Literal[ACTOR_KINDS]
    country: Optional = None
    aliases: TextList = []
    notes: Optional = None


class EventRecord(Record):
    event_id: Slug
    date_precision: Literal[PRECISIONS]
    date_start: IsoDate
    date_end: OptionalDate = None
    # status comes before title so that the title can be checked against it
    status: Literal[tuple(STATUSES)]
    title: Required
    summary: Required
    event_type: Required
    actor_ids: SlugList = []
    place_ids: SlugList = []
    notes: Optional = None
    place_role: Annotated[Optional, Field(validate_default=True)] = None

    @field_validator("title")
    @classmethod
    def _title(cls, value: str, info: ValidationInfo) -> str:
        status = info.data.get("status")
        if status is None:  # the status itself was rejected
            return value
        if CLAIM_MARK in value and status != "claimed":
            raise ValueError(
                f"says '{CLAIM_MARK}' but status is '{status}': only a claimed event's title says "
                f"'{CLAIM_MARK}'; set status to claimed or take '{CLAIM_MARK}' out of the title"
            )
        if status == "claimed" and CLAIM_MARK not in value:
            raise ValueError(f"status is 'claimed', so the title must say '{CLAIM_MARK}'")
        return value

    @field_validator("place_role")
    @classmethod
    def _place_role(cls, value: str | None, info: ValidationInfo) -> str | None:
        if "place_ids" not in info.data:  # the places themselves were rejected
            return value
        places, notes = info.data["place_ids"], info.data.get("notes")
        if value is not None and value not in PLACE_ROLES:
            raise ValueError(f"'{value}' is not a place role; use one of {', '.join(PLACE_ROLES)}")
        if places and value is None:
            raise ValueError(
                "required when the event has places: happened (where it happened, as the article says), "
                "assumed (where it happened, assumed by the curators) or concerns (what the event is about, "
                "not where it happened)"
            )
        if not places and value is not None:
            raise ValueError("must be empty when the event has no places")
        if value in ("assumed", "concerns") and not notes:
            what = "assumed" if value == "assumed" else "what the event is about, not where it happened"
            raise ValueError(f"'{value}' needs notes that say the place is {what}, and why")
        return value

    @field_validator("event_type")
    @classmethod
    def _event_type(cls, value: str) -> str:
        if value not in EVENT_TYPES:
            raise ValueError(f"'{value}' is not an event type; use one of {', '.join(EVENT_TYPES)}")
        return value

    @field_validator("date_start")
    @classmethod
    def _date_start(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        _check_precision(value, info.data.get("date_precision"))
        return value

    @field_validator("date_end")
    @classmethod
    def _date_end(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("date_start")
        if value is not None and start is not None and value < start:
            raise ValueError(f"date_end {value} is before date_start {start}")
        if value is not None:
            _check_precision(value, info.data.get("date_precision"))
        return value


class CitationRecord(Record):
    event_id: Slug
    source_id: Slug
    quote: Annotated[str, BeforeValidator(_blank_to_none), Field(min_length=20)]
    claimant: OptionalSlug = None


class PlaceRecord(Record):
    place_id: Slug
    name: Required
    alt_names: list[str] = []
    kind: Literal[PLACE_KINDS]
    country: Annotated[str, Field(pattern=ISO3)]
    geonameid: int | None = None
    note: Optional = None
    outside_region: bool = False

    @field_validator("alt_names", mode="before")
    @classmethod
    def _alt_names(cls, value: object) -> object:
        return [] if value is None else value


# --- stories: links between events and curated narratives (geo.stories) ------------

#: How one event relates to another (``kind`` in relations.csv), read from ``from_event`` to ``to_event``.
RELATION_KINDS: dict[str, str] = {
    "denial": "to_event denies what from_event claims",
    "answer": "to_event is a response to from_event (a demand, statement, decision or act)",
    "follow_up": "to_event is a later step of the same process as from_event",
    "contradicts": "to_event says the opposite of from_event; the article sets the two against each other",
}


class RelationRecord(Record):
    """One link between two events, with the article sentence that supports the link itself."""

    from_event: Slug
    to_event: Slug
    kind: Required
    note: Required
    source_id: Slug
    quote: Annotated[str, BeforeValidator(_blank_to_none), Field(min_length=20)]

    @field_validator("to_event")
    @classmethod
    def _not_itself(cls, value: str, info: ValidationInfo) -> str:
        if value == info.data.get("from_event"):
            raise ValueError(f"'{value}' is also from_event: an event cannot be linked to itself")
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in RELATION_KINDS:
            raise ValueError(f"'{value}' is not a relation kind; use one of {', '.join(RELATION_KINDS)}")
        return value


def _step_number(value: object) -> object:
    value = _blank_to_none(value)
    if value is None:
        raise ValueError("required but empty: steps are numbered 1, 2, 3…")
    return value


class NarrativeRecord(Record):
    """One step of a curated story path through the events."""

    narrative_id: Slug
    title: Required
    step: Annotated[int, BeforeValidator(_step_number), Field(ge=1)]
    event_id: Slug
    text: Required
    order_note: Optional = None
