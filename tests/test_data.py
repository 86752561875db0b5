"""The curated content itself: real geometry where it belongs, every name in use, claims as claims."""

from __future__ import annotations

import re

import pytest

from geo.regions import METRIC_CRS
from geo.schema import CLAIM_MARK, PLACE_ROLES, REGION_BOUNDS, SIDES


def _geom(data, place_id):
    return data.places.geometry[place_id]


@pytest.mark.parametrize(
    "point, region",
    [
        ("goris", "syunik"),
        ("kapan", "syunik"),
        ("meghri", "syunik"),
        ("sisian", "syunik"),
        ("ordubad", "nakhchivan"),
        ("nakhchivan-city", "nakhchivan"),
        ("khankendi", "nagorno-karabakh"),
        ("shusha", "nagorno-karabakh"),
        ("yeghegnadzor", "vayots-dzor"),
        ("jermuk", "vayots-dzor"),
        ("ijevan", "tavush"),
        ("noyemberyan", "tavush"),
        ("martuni", "gegharkunik"),
        ("yerevan", "yerevan-admin"),
        ("baku", "azerbaijan"),
        ("poti", "georgia"),
        ("astara", "azerbaijan"),
    ],
)
def test_named_place_lies_in_its_region(data, point, region):
    # Astara sits 0.13 km off Natural Earth's generalised coast: allow 0.5 km, never more.
    metric = data.places.to_crs(METRIC_CRS).geometry
    assert metric[point].distance(metric[region]) < 500


@pytest.mark.parametrize("point", ["lachin", "khankendi", "shusha", "fuzuli", "aghdam", "ordubad", "julfa"])
def test_places_outside_armenia(data, point):
    assert not _geom(data, "armenia").contains(_geom(data, point))


def test_armenia_area_within_one_percent_of_official(data):
    area_km2 = data.places.to_crs(METRIC_CRS).geometry["armenia"].area / 1e6
    assert abs(area_km2 / 29_743 - 1) < 0.01, area_km2


def test_nakhchivan_is_part_of_azerbaijan_and_borders_armenia(data):
    nakh, az, am = _geom(data, "nakhchivan"), _geom(data, "azerbaijan"), _geom(data, "armenia")
    assert az.buffer(0.001).contains(nakh)
    assert nakh.distance(am) < 0.001


def test_lachin_district_label_is_fixed(data):
    names = {data.places.loc[p, "name"] for p in data.places.index}
    assert "Lachin District" in names and "Lankaran" not in names


@pytest.mark.parametrize(
    "place_id, names",
    [
        ("khankendi", {"Stepanakert"}),
        ("shusha", {"Shushi"}),
        ("lachin", {"Berdzor"}),
        ("syunik", {"Zangezur"}),
        ("nakhchivan", {"Nakhichevan", "Naxçıvan"}),
        ("nagorno-karabakh", {"Artsakh"}),
    ],
)
def test_contested_places_carry_every_name(data, place_id, names):
    assert names <= set(data.places.loc[place_id, "alt_names"])


@pytest.mark.parametrize(
    "place_id, kind",
    [
        ("am-az-border-mainland", "border"),
        ("am-az-border-nakhchivan", "border"),
        ("lachin-corridor", "corridor"),
        ("zangezur-corridor", "route"),
        ("euma-area", "mission_area"),
        ("euma-hq", "mission_base"),
        ("euma-fob-goris", "mission_base"),
        ("euma-fob-kapan", "mission_base"),
        ("euma-fob-jermuk", "mission_base"),
        ("euma-fob-martuni", "mission_base"),
        ("euma-fob-ijevan", "mission_base"),
    ],
)
def test_curated_lines_and_mission_places_exist(data, place_id, kind):
    place = data.places.loc[place_id]
    assert place["kind"] == kind and place["note"]


def test_border_lines_follow_armenias_outline(data):
    outline = _geom(data, "armenia").boundary.buffer(0.001)
    for border in ("am-az-border-mainland", "am-az-border-nakhchivan"):
        line = _geom(data, border)
        assert line.length > 1 and outline.contains(line)


def test_only_distant_capitals_lie_outside_the_region(data):
    x0, y0, x1, y1 = REGION_BOUNDS
    outside = {
        p
        for p, g in data.places.geometry.items()
        if not (x0 <= g.bounds[0] and g.bounds[2] <= x1 and y0 <= g.bounds[1] and g.bounds[3] <= y1)
    }
    assert outside == set(data.places.index[data.places["outside_region"]])
    assert {"brussels", "prague", "moscow", "washington"} <= outside


@pytest.mark.parametrize(
    "event_id",
    [
        "us-contingent-zangezur-claim-2024-08",
        "iran-defence-pact-offer-claim-2025-01",
        "ahmadian-demands-claim-2025-01",
        "iran-offers-syunik-base-2021",
    ],
)
def test_single_outlet_claims_are_marked_as_claims(data, event_id):
    assert data.events.loc[event_id, "status"] == "claimed"
    assert data.citations[data.citations["event_id"] == event_id]["source_id"].nunique() == 1


# An independent reading of the articles: dated events that must be there, with their dates.
EXPECTED_EVENTS = {
    "second-karabakh-war-2020": ("2020-09-01", "month"),
    "trilateral-statement-2020-11-10": ("2020-11-10", "day"),
    "euma-established-2023-01-23": ("2023-01-23", "day"),
    "border-clash-2022-09-13": ("2022-09-13", "day"),
    "eu-observer-group-decision-2022-10-17": ("2022-10-17", "day"),
    "brussels-aliyev-pashinyan-2021-12-14": ("2021-12-14", "day"),
    "brussels-aliyev-pashinyan-2022-08-31": ("2022-08-31", "day"),
    "michel-aliyev-munich-2023-02-17": ("2023-02-17", "day"),
    "lavrov-additional-irritants-2023-01-18": ("2023-01-18", "day"),
    "araghchi-unacceptable-2024-09-05": ("2024-09-05", "day"),
    "aliyev-receives-ahmadian-2025-01-08": ("2025-01-08", "day"),
    "khankendi-parade-2023-11-08": ("2023-11-08", "day"),
    "russian-border-guards-agreement-1992": ("1992-01-01", "year"),
    "base-extension-2044-2010": ("2010-01-01", "year"),
    "shusha-declaration-2021-06": ("2021-06-01", "month"),
    "iran-exercise-fatehan-e-khaybar-2021": ("2021-09-01", "month"),  # "last month" in October 2021
    "eu-short-term-observation-mission-2022": ("2022-10-01", "month"),
    # a refusal is not dated by the meeting it refuses: only its year is known
    "aliyev-declines-december-meeting-2022-12-07": ("2022-01-01", "year"),
    "armenia-skips-moscow-fm-meeting-2022-12-23": ("2022-01-01", "year"),
    # "recently" in an article of 21 November 2023 gives the year, not the month
    "france-delivers-bastion-poti-2023-11": ("2023-01-01", "year"),
}


@pytest.mark.parametrize("event_id", list(EXPECTED_EVENTS))
def test_independent_reading_events_are_present(data, event_id):
    start, precision = EXPECTED_EVENTS[event_id]
    ev = data.events.loc[event_id]
    assert (ev["date_start"].date().isoformat(), ev["date_precision"]) == (start, precision)


def test_inferred_dates_say_how(data):
    # every month- or year-precision event, and every event whose article omits the year, has a note
    vague = data.events[data.events["date_precision"] != "day"]
    assert vague["notes"].fillna("").str.len().gt(0).all()


# --- where versus about, and statuses ----------------------------------------------------


def test_every_placed_event_has_a_role_and_unplaced_events_none(data):
    ev = data.events
    placed = ev["place_ids"].map(bool)
    assert ev.loc[placed, "place_role"].isin(list(PLACE_ROLES)).all()
    assert (ev.loc[~placed, "place_role"] == "").all()
    assert set(ev["place_role"]) == {"", *PLACE_ROLES}


def test_assumed_and_concerns_say_so_in_notes(data):
    ev = data.events
    for role, words in (("assumed", "Place assumed"), ("concerns", "Place concerns")):
        notes = ev.loc[ev["place_role"] == role, "notes"]
        assert len(notes) and notes.str.contains(words, regex=False).all(), notes[~notes.str.contains(words)]


def test_statements_by_lavrov_or_araghchi_drawn_near_meghri_did_not_happen_there(data):
    metric = data.places.to_crs(METRIC_CRS).geometry
    near_meghri = {p for p in data.places.index if metric[p].distance(metric["meghri"]) < 2_000}
    ev = data.events
    pinned = ev[
        ev["actor_ids"].map(lambda ids: bool({"lavrov", "araghchi"} & set(ids)))
        & ev["place_ids"].map(lambda ids: bool(near_meghri & set(ids)))
        & (ev["event_type"] == "statement")
    ]
    assert {"lavrov-armenia-sabotaging-2024", "araghchi-unacceptable-2024-09-05"} <= set(pinned.index)
    assert (pinned["place_role"] != "happened").all()


def test_nothing_happens_on_the_proposed_corridor(data):
    # the Zangezur route is proposed, not built: events drawn on it (and so inside Nakhchivan) are about it
    on_route = data.events[data.events["place_ids"].map(lambda ids: "zangezur-corridor" in ids)]
    assert len(on_route) >= 5 and (on_route["place_role"] == "concerns").all()


def test_every_source_has_a_side(data):
    assert data.sources["side"].isin(list(SIDES)).all()
    assert data.sources.loc["caliber-2025-iran-troops-armenia", "side"] == "azerbaijani"
    assert data.sources.loc["moscowtimes-2024-09-26-russia-iran-rift", "side"] == "western_independent"
    assert data.sources.loc["2023-11-21-armenia-military-alliances", "side"] == "unknown"


def test_claim_titles_match_status(data):
    says_claim = data.events["title"].str.contains(CLAIM_MARK, regex=False)
    assert (says_claim == (data.events["status"] == "claimed")).all()


def test_one_sentence_gives_one_status(data):
    # two events cited with the same words (or one quote inside another) from one article share a status
    status = data.events["status"]
    rows = list(data.citations.itertuples())
    for a in rows:
        for b in rows:
            if a.source_id == b.source_id and a.event_id != b.event_id and a.quote in b.quote:
                assert status[a.event_id] == status[b.event_id], (a.event_id, b.event_id)


def test_claimed_events_come_from_one_article_or_name_a_claimant(data):
    for event_id in data.events.index[data.events["status"] == "claimed"]:
        cites = data.citations[data.citations["event_id"] == event_id]
        assert cites["source_id"].nunique() == 1 or cites["claimant"].astype(bool).any(), event_id


@pytest.mark.parametrize(
    "event_id, actor",
    [
        ("heroin-530kg-latvia-2021", "azerbaijan"),  # the sentence names no seizing state
        ("azerbaijan-takes-karabakh-2023", "azerbaijani-armed-forces"),  # "Azerbaijan took full control"
        ("paris-air-show-mistral-2023-06-19", "france"),  # the caption names MBDA only
        ("almaty-declaration-1991", "armenia"),  # the article names only the CIS
        ("iran-exercise-2022", "iran-armed-forces"),  # "Iran conducted war games"
        ("iran-intervention-claim-2020", "iran-armed-forces"),  # "Iran's occupation of Azerbaijani territory"
        ("border-clash-2022-09-13", "armenian-armed-forces"),  # "the military clash on the Azerbaijan-Armenia border"
        ("border-clash-2022-09-13", "azerbaijani-armed-forces"),
    ],
)
def test_actors_the_text_does_not_name_are_not_recorded(data, event_id, actor):
    assert actor not in data.events.loc[event_id, "actor_ids"]


@pytest.mark.parametrize(
    ("event_id", "reading", "whose"),
    [
        ("khamenei-no-foreign-forces-2021", "alluding to turkey and israel", "kuzio writes"),  # Kuzio's reading
        ("azerbaijan-closes-iran-crossing-2021", "traffick", "kuzio"),  # the trafficking route is Kuzio's link
    ],
)
def test_an_authors_reading_is_attributed_to_the_author(data, event_id, reading, whose):
    ev = data.events.loc[event_id]
    assert reading not in ev["title"].lower()
    summary = ev["summary"].lower()
    assert reading not in summary or whose in summary  # the reading, where the summary gives it, is the author's


def test_framing_is_attributed_not_the_projects_voice(data):
    # "occupied"/"occupation" is Kuzio's, Jafarli's or Baku's word: summaries that use it say whose it is
    for ev in data.events.itertuples():
        text = f"{ev.title} {ev.summary}".lower()
        if "occup" in text:
            assert any(w in text for w in ("kuzio", "jafarli", "what it calls", "claim")), ev.Index


#: A phrase a summary or title puts in single quotes: 'like this' (not the apostrophe of "Iran's").
_QUOTED = re.compile(r"(?<![\w'])'([^']*?\w[^']*?)'(?!\w)")


def test_words_a_summary_quotes_are_the_articles_own(data):
    """What a summary puts in quotes (Caliber.Az writes that it 'has resulted in …') is verbatim in
    an article the event cites: an attributed phrase is the outlet's, not a paraphrase."""
    from geo.text import find_quote

    checked, wrong = 0, []
    for ev in data.events.itertuples():
        sources = set(data.citations.loc[data.citations["event_id"] == ev.Index, "source_id"])
        for phrase in _QUOTED.findall(f"{ev.title} {ev.summary}"):
            checked += 1
            if not any(find_quote(phrase, data.texts[s]) for s in sources):
                wrong.append((ev.Index, phrase))
    assert checked > 10 and not wrong, wrong
