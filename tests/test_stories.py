"""Relations and narratives: the curated files load clean and say only what the articles say;
broken copies are reported with file, row, field and reason; the pure logic behind the panel,
map and timeline (chain, narratives, steps, CSV exports)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from geo import stories
from geo.load import DATA_DIR, Dataset, Reject, load_dataset
from geo.schema import RELATION_KINDS
from geo.text import find_quote

FOUR_NARRATIVES = {
    "zangezur-corridor-dispute",
    "eu-observers-to-euma",
    "armenia-turns-from-csto",
    "iran-red-line-syunik",
}


# --- the curated files -------------------------------------------------------------------


def test_curated_relations_and_narratives_load_with_zero_rejects(data):
    assert [str(r) for r in data.rejects] == []
    assert len(data.relations) >= 30
    assert set(data.narratives["narrative_id"]) >= FOUR_NARRATIVES
    raw_relations = pd.read_csv(DATA_DIR / stories.RELATIONS_FILE, dtype=str)
    raw_narratives = pd.read_csv(DATA_DIR / stories.NARRATIVES_FILE, dtype=str)
    assert len(data.relations) == len(raw_relations) and len(data.narratives) == len(raw_narratives)


def test_every_relation_quote_is_verbatim_in_its_article(data):
    for r in data.relations.itertuples():
        assert find_quote(r.quote, data.texts[r.source_id]) == r.quote, (r.from_event, r.to_event)


def test_relations_link_two_known_events_once(data):
    rel = data.relations
    assert set(rel["from_event"]) | set(rel["to_event"]) <= set(data.events.index)
    assert set(rel["kind"]) <= set(RELATION_KINDS)
    assert (rel["from_event"] != rel["to_event"]).all()
    pairs = [(frozenset((a, b)), k) for a, b, k in zip(rel["from_event"], rel["to_event"], rel["kind"], strict=True)]
    assert len(pairs) == len(set(pairs))
    assert rel["note"].str.len().min() > 20


def test_a_claimed_event_is_named_as_a_claim_in_its_links(data):
    """A link to a single outlet's claim says whose claim it is (Caliber.Az, Kuzio, Aliyev)."""
    claimed = set(data.events.index[data.events["status"] == "claimed"])
    for r in data.relations.itertuples():
        if {r.from_event, r.to_event} & claimed:
            assert any(who in r.note for who in ("Caliber.Az", "Kuzio", "Aliyev", "claim")), r.note


def test_the_four_narratives_are_there_with_their_steps(data):
    table = stories.narratives(data).set_index("narrative_id")
    assert set(table.index) >= FOUR_NARRATIVES
    for narrative_id in FOUR_NARRATIVES:
        row = table.loc[narrative_id]
        assert row["n_steps"] >= 5 and row["first_date"] <= row["last_date"]
    assert table.loc["zangezur-corridor-dispute", "title"] == "The Zangezur corridor dispute"
    assert table.loc["iran-red-line-syunik", "dates"] == "2021 – 2024"


def test_narrative_steps_exist_are_numbered_and_in_date_order_or_noted(data):
    for narrative_id, group in data.narratives.groupby("narrative_id"):
        steps = group.sort_values("step")
        assert list(steps["step"]) == list(range(1, len(steps) + 1)), narrative_id
        assert set(steps["event_id"]) <= set(data.events.index)
        assert steps["event_id"].is_unique, narrative_id
        latest = None
        for row in steps.itertuples():
            ev = data.events.loc[row.event_id]
            if latest is not None and ev["period_end"] < latest:
                assert row.order_note, f"{narrative_id} step {row.step} is out of date order without a note"
            latest = ev["date_start"] if latest is None else max(latest, ev["date_start"])


def test_narrative_texts_attribute_and_quote_verbatim(data):
    """Quoted words in a caption are the article's own words."""
    import re

    corpus = " ".join(data.texts.values())
    for row in data.narratives.itertuples():
        for quoted in re.findall(r'"([^"]+)"', row.text):
            assert find_quote(quoted, corpus) is not None, (row.narrative_id, row.step, quoted)


# --- chain ---------------------------------------------------------------------------------


def test_chain_reads_a_link_in_both_directions(data):
    lavrov = stories.chain("lavrov-armenia-sabotaging-2024", data)
    by_id = {link["event_id"]: link for link in lavrov}
    answer = by_id["pashinyan-russia-cannot-mediate-2024"]
    assert (answer["kind"], answer["direction"], answer["label"]) == ("answer", "to", "answered by")
    assert (
        answer["quote"]
        == "In response, Pashinyan announced that Russia could no longer mediate between Armenia and Azerbaijan."
    )
    assert answer["outlet"] == "The Moscow Times" and answer["note"]
    earlier = by_id["trilateral-statement-2020-11-10"]
    assert (earlier["direction"], earlier["label"]) == ("from", "follows")

    pashinyan = stories.chain("pashinyan-russia-cannot-mediate-2024", data)
    assert [(x["event_id"], x["label"], x["direction"]) for x in pashinyan] == [
        ("lavrov-armenia-sabotaging-2024", "answers", "from")
    ]


def test_chain_is_in_date_order_and_empty_for_unknown_or_unlinked_events(data):
    links = stories.chain("eu-short-term-observation-mission-2022", data)
    assert len(links) == 3
    starts = [x["date_start"] for x in links]
    assert starts == sorted(starts)
    assert stories.chain("no-such-event", data) == []
    unlinked = set(data.events.index) - set(data.relations["from_event"]) - set(data.relations["to_event"])
    assert stories.chain(sorted(unlinked)[0], data) == []


def test_a_dataset_without_stories_has_empty_frames(data):
    bare = Dataset(
        sources=data.sources, actors=data.actors, events=data.events, citations=data.citations, places=data.places
    )
    assert bare.relations.empty and list(bare.relations.columns) == stories.RELATION_COLUMNS
    assert bare.narratives.empty and list(bare.narratives.columns) == stories.NARRATIVE_COLUMNS
    assert stories.chain("lavrov-armenia-sabotaging-2024", bare) == []
    assert stories.narratives(bare).empty
    assert stories.step_view("iran-red-line-syunik", 1, bare) is None


# --- narrative steps and step_view ---------------------------------------------------------


def test_narrative_steps_carry_their_event(data):
    steps = stories.narrative_steps("iran-red-line-syunik", data)
    assert list(steps["step"]) == list(range(1, len(steps) + 1))
    last = steps.iloc[-1]
    assert last["event_id"] == "iran-france-ambassadors-syunik-2024" and last["place_id"] == "syunik"
    assert stories.narrative_steps("no-such-story", data).empty


def test_step_view_gives_the_map_and_the_timeline_what_they_need(data):
    view = stories.step_view("iran-red-line-syunik", 9, data)
    assert view["event_id"] == "iran-ambassador-yerevan-red-line-2024-09-06"
    assert (view["prev_step"], view["next_step"], view["n_steps"]) == (8, 10, 10)
    start, end = view["window"]
    assert start < pd.Timestamp("2024-09-06").date() < end
    assert isinstance(view["lat"], float) and 40 < view["lat"] < 41 and 44 < view["lon"] < 45
    assert view["place_role"] == "assumed"
    assert view["quotes"] and view["quotes"][0]["outlet"] == "The Moscow Times"

    first = stories.step_view("eu-observers-to-euma", 1, data)
    assert first["prev_step"] is None and first["step"] == 1
    # an event without a place: the map has nothing to pan to
    volodin = stories.narrative_steps("eu-observers-to-euma", data)
    step = int(volodin.loc[volodin["event_id"] == "volodin-gafarova-2023-02-13", "step"].iloc[0])
    unplaced = stories.step_view("eu-observers-to-euma", step, data)
    assert (unplaced["lat"], unplaced["lon"], unplaced["place_id"]) == (None, None, None)
    assert stories.step_view("eu-observers-to-euma", 99, data) is None
    assert stories.step_view("no-such-story", 1, data) is None


def test_a_year_precision_step_gets_a_wider_window(data):
    day = stories.step_view("iran-red-line-syunik", 8, data)["window"]
    year = stories.step_view("iran-red-line-syunik", 10, data)["window"]
    assert (day[1] - day[0]).days < 120 < 365 < (year[1] - year[0]).days


def test_event_narratives_lists_every_story_an_event_is_in(data):
    assert stories.event_narratives("euma-established-2023-01-23", data) == [
        ("zangezur-corridor-dispute", 4),
        ("eu-observers-to-euma", 9),
    ]
    assert stories.event_narratives("no-such-event", data) == []


# --- CSV exports -----------------------------------------------------------------------------


def _read(payload: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8"))))


def test_narrative_csv_has_each_step_with_its_quotes(data):
    rows = _read(stories.narrative_csv("eu-observers-to-euma", data))
    assert [int(r["step"]) for r in rows] == list(range(1, len(rows) + 1))
    euma = next(r for r in rows if r["event_id"] == "euma-established-2023-01-23")
    assert euma["date"] == "23 Jan 2023" and euma["title"].startswith("Council of the EU")
    assert (
        euma["quotes"].count(" | ") == 2
        and "The Moscow Times: “" in euma["quotes"]
        and "Caliber.Az: “" in euma["quotes"]
    )
    assert _read(stories.narrative_csv("no-such-story", data)) == []


def test_chain_csv_starts_with_the_event_then_its_links(data):
    rows = _read(stories.chain_csv("lavrov-armenia-sabotaging-2024", data))
    assert rows[0]["event_id"] == "lavrov-armenia-sabotaging-2024" and rows[0]["relation"] == ""
    assert [r["relation"] for r in rows[1:]] == ["follows", "answered by"]
    assert rows[2]["link_outlet"] == "The Moscow Times" and rows[2]["link_quote"].startswith("In response")
    assert _read(stories.chain_csv("no-such-event", data)) == []


def test_csv_exports_neutralise_formulas(data_copy):
    _edit(
        data_copy / "narratives.csv",
        lambda rows: rows[0].update(text='=HYPERLINK("http://x") ' + rows[0]["text"], order_note="+1 sum"),
    )
    _edit(data_copy / "relations.csv", lambda rows: rows[0].update(note="@SUM(A1) " + rows[0]["note"]))
    _edit(data_copy / "relations.csv", lambda rows: rows[2].update(note="-2+3 " + rows[2]["note"]))
    loaded = load_dataset(data_copy)
    assert [str(r) for r in loaded.rejects] == []
    narrative = _read(stories.narrative_csv("zangezur-corridor-dispute", loaded))
    assert narrative[0]["text"].startswith("'=HYPERLINK") and narrative[0]["order_note"] == "'+1 sum"
    first = loaded.relations.iloc[0]
    chain = _read(stories.chain_csv(first["from_event"], loaded))
    assert any(r["note"].startswith("'@SUM(A1)") for r in chain)
    third = loaded.relations.iloc[2]
    chain = _read(stories.chain_csv(third["from_event"], loaded))
    assert any(r["note"].startswith("'-2+3") for r in chain)
    for payload in (
        stories.narrative_csv("zangezur-corridor-dispute", loaded),
        stories.chain_csv(first["from_event"], loaded),
    ):
        for row in _read(payload):
            assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values() if v)


# --- broken copies: each breaks one thing and is reported with file, row, field and reason ---


def _edit(path: Path, change) -> None:
    """Rewrite a CSV after ``change(rows)`` edits its list of row dicts in place."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _where(rows: list[dict[str, str]], **match: str) -> int:
    """Index of the first row whose cells equal ``match``."""
    return next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items()))


def _relation(rows, frm="lavrov-armenia-sabotaging-2024", to="pashinyan-russia-cannot-mediate-2024"):
    return rows[_where(rows, from_event=frm, to_event=to)]


def _step(rows, narrative_id, step):
    return rows[_where(rows, narrative_id=narrative_id, step=str(step))]


def _row_number(path: Path, **match: str) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return _where(list(csv.DictReader(f)), **match) + 2  # the header is row 1


def _swap_steps(rows, narrative_id, a, b):
    ra, rb = _step(rows, narrative_id, a), _step(rows, narrative_id, b)
    ra["step"], rb["step"] = str(b), str(a)


BROKEN = {
    "relation to an unknown event": (
        "relations.csv",
        lambda rows: _relation(rows).update(to_event="pashinyan-nowhere-2024"),
        {"from_event": "lavrov-armenia-sabotaging-2024", "to_event": "pashinyan-nowhere-2024"},
        "to_event",
        "unknown event 'pashinyan-nowhere-2024'",
    ),
    "relation quote not in the article": (
        "relations.csv",
        lambda rows: _relation(rows).update(quote="In response, Pashinyan declared that Russia was no longer welcome."),
        {"to_event": "pashinyan-russia-cannot-mediate-2024"},
        "quote",
        "not found verbatim in data/sources/moscowtimes-2024-09-26-russia-iran-rift.txt",
    ),
    "relation to an unknown source": (
        "relations.csv",
        lambda rows: _relation(rows).update(source_id="no-such-article"),
        {"to_event": "pashinyan-russia-cannot-mediate-2024"},
        "source_id",
        "unknown source 'no-such-article'",
    ),
    "self-relation": (
        "relations.csv",
        lambda rows: _relation(rows).update(to_event="lavrov-armenia-sabotaging-2024"),
        {"from_event": "lavrov-armenia-sabotaging-2024", "to_event": "lavrov-armenia-sabotaging-2024"},
        "to_event",
        "an event cannot be linked to itself",
    ),
    "unknown relation kind": (
        "relations.csv",
        lambda rows: _relation(rows).update(kind="reply"),
        {"to_event": "pashinyan-russia-cannot-mediate-2024"},
        "kind",
        "'reply' is not a relation kind",
    ),
    "duplicate relation, reversed": (
        "relations.csv",
        lambda rows: rows.append(
            {
                **_relation(rows),
                "from_event": "pashinyan-russia-cannot-mediate-2024",
                "to_event": "lavrov-armenia-sabotaging-2024",
            }
        ),
        {"from_event": "pashinyan-russia-cannot-mediate-2024", "to_event": "lavrov-armenia-sabotaging-2024"},
        "to_event",
        "the same answer link between",
    ),
    "empty note": (
        "relations.csv",
        lambda rows: _relation(rows).update(note=""),
        {"to_event": "pashinyan-russia-cannot-mediate-2024"},
        "note",
        "valid string",
    ),
    "narrative step with an unknown event": (
        "narratives.csv",
        lambda rows: _step(rows, "iran-red-line-syunik", 3).update(event_id="iran-exercise-nowhere-2021"),
        {"narrative_id": "iran-red-line-syunik", "step": "3"},
        "event_id",
        "unknown event 'iran-exercise-nowhere-2021'",
    ),
    "gap in the steps": (
        "narratives.csv",
        lambda rows: rows.remove(_step(rows, "iran-red-line-syunik", 5)),
        {"narrative_id": "iran-red-line-syunik", "step": "6"},
        "step",
        "step 6 follows step 4: step 5 is missing",
    ),
    "steps not starting at 1": (
        "narratives.csv",
        lambda rows: rows.remove(_step(rows, "iran-red-line-syunik", 1)),
        {"narrative_id": "iran-red-line-syunik", "step": "2"},
        "step",
        "'iran-red-line-syunik' starts at step 2",
    ),
    "step number twice": (
        "narratives.csv",
        lambda rows: _step(rows, "iran-red-line-syunik", 5).update(step="4"),
        {"narrative_id": "iran-red-line-syunik", "event_id": "iran-exercise-2022"},
        "step",
        "step 4 of 'iran-red-line-syunik' is already row",
    ),
    "step zero": (
        "narratives.csv",
        lambda rows: _step(rows, "iran-red-line-syunik", 1).update(step="0"),
        {"narrative_id": "iran-red-line-syunik", "step": "0"},
        "step",
        "greater than or equal to 1",
    ),
    "out of date order without a note": (
        "narratives.csv",
        lambda rows: _swap_steps(rows, "zangezur-corridor-dispute", 2, 3),
        {"narrative_id": "zangezur-corridor-dispute", "event_id": "trilateral-statement-2020-11-10"},
        "order_note",
        "step 3 ('trilateral-statement-2020-11-10', 10 Nov 2020) comes before step 2",
    ),
    "same event twice in a narrative": (
        "narratives.csv",
        lambda rows: _step(rows, "iran-red-line-syunik", 2).update(event_id="iran-opposes-zangezur-corridor-2021"),
        {"narrative_id": "iran-red-line-syunik", "step": "2"},
        "event_id",
        "'iran-opposes-zangezur-corridor-2021' is already step 1",
    ),
    "a different title on one row": (
        "narratives.csv",
        lambda rows: _step(rows, "iran-red-line-syunik", 4).update(title="Iran's red lines"),
        {"narrative_id": "iran-red-line-syunik", "step": "4"},
        "title",
        "differs from the narrative's title",
    ),
    "narrative id not a slug": (
        "narratives.csv",
        lambda rows: _step(rows, "iran-red-line-syunik", 4).update(narrative_id="Iran Red Line"),
        {"narrative_id": "Iran Red Line", "step": "4"},
        "narrative_id",
        "should match pattern",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_copy_is_reported_with_file_row_field_and_reason(case, data_copy):
    file, change, match, field, reason = BROKEN[case]
    _edit(data_copy / file, change)
    row = _row_number(data_copy / file, **match)
    loaded = load_dataset(data_copy)  # never raises
    expected = [r for r in loaded.rejects if (r.file, r.row, r.field) == (file, row, field)]
    assert expected and reason in expected[0].reason, [str(r) for r in loaded.rejects]
    assert all(r.file == file for r in loaded.rejects), "nothing else is affected"
    assert "/tmp" not in " ".join(r.reason for r in loaded.rejects)


def test_a_rejected_relation_leaves_the_others_loaded(data_copy, data):
    _edit(data_copy / "relations.csv", lambda rows: _relation(rows).update(kind="reply"))
    loaded = load_dataset(data_copy)
    assert len(loaded.relations) == len(data.relations) - 1
    assert len(loaded.narratives) == len(data.narratives)


def test_a_narrative_with_a_rejected_step_is_left_out_whole_and_says_so(data_copy, data):
    _edit(data_copy / "narratives.csv", lambda rows: rows.remove(_step(rows, "iran-red-line-syunik", 5)))
    loaded = load_dataset(data_copy)
    assert "iran-red-line-syunik" not in set(loaded.narratives["narrative_id"])
    assert set(loaded.narratives["narrative_id"]) == set(data.narratives["narrative_id"]) - {"iran-red-line-syunik"}
    rows = {r.row for r in loaded.rejects if r.file == "narratives.csv"}
    assert len(rows) == int((data.narratives["narrative_id"] == "iran-red-line-syunik").sum()) - 1
    cascade = [r for r in loaded.rejects if r.field == "narrative_id"]
    assert cascade and all("left out with its row" in r.reason for r in cascade)


def test_an_order_note_lets_a_step_out_of_date_order(data_copy):
    def swap_and_note(rows):
        _swap_steps(rows, "zangezur-corridor-dispute", 2, 3)
        _step(rows, "zangezur-corridor-dispute", 3).update(
            order_note="Told after Iran's objection, as the article does."
        )

    _edit(data_copy / "narratives.csv", swap_and_note)
    loaded = load_dataset(data_copy)
    assert [str(r) for r in loaded.rejects] == []
    steps = stories.narrative_steps("zangezur-corridor-dispute", loaded)
    assert steps.loc[steps["step"] == 3, "event_id"].item() == "trilateral-statement-2020-11-10"


def test_imprecise_dates_may_follow_precise_ones_in_the_same_period(data):
    """A step known only by its year may follow a dated step of that year: the dates allow it."""
    steps = stories.narrative_steps("iran-red-line-syunik", data)
    last, before = steps.iloc[-1], steps.iloc[-2]
    assert last["date_precision"] == "year" and last["date_start"] < before["date_start"]
    assert last["order_note"]  # the curators still say why it is placed last


def test_a_data_folder_without_the_story_files_loads_clean(data_copy):
    (data_copy / "relations.csv").unlink()
    (data_copy / "narratives.csv").unlink()
    loaded = load_dataset(data_copy)
    assert [str(r) for r in loaded.rejects] == []
    assert loaded.relations.empty and list(loaded.relations.columns) == stories.RELATION_COLUMNS
    assert loaded.narratives.empty and list(loaded.narratives.columns) == stories.NARRATIVE_COLUMNS
    assert stories.narratives(loaded).empty and stories.chain("lavrov-armenia-sabotaging-2024", loaded) == []


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00garbage", b"from_event,to_event\nx,y\n", b'"unclosed,quote\n' * 3],
    ids=["empty", "not utf-8", "missing columns", "unreadable"],
)
@pytest.mark.parametrize("name", ["relations.csv", "narratives.csv"])
def test_a_broken_story_file_is_one_reject_not_a_crash(data_copy, name, content):
    (data_copy / name).write_bytes(content)
    loaded = load_dataset(data_copy)
    assert loaded.rejects and all(r.file == name and r.row is None for r in loaded.rejects), loaded.rejects
    assert len(loaded.events) > 50


def test_rows_that_depend_on_a_rejected_event_go_quietly_with_it(data_copy, data):
    """The event's own reject explains it; the story files are not at fault."""
    path = data_copy / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2022-09-13,,day", "2022-09-31,,day", 1), encoding="utf-8")
    loaded = load_dataset(data_copy)
    assert "border-clash-2022-09-13" not in loaded.events.index
    assert {r.file for r in loaded.rejects} == {"events.csv", "citations.csv"}
    assert "eu-observers-to-euma" not in set(loaded.narratives["narrative_id"])
    assert len(loaded.relations) == len(data.relations) - 1  # the clash → EU decision link
    assert set(loaded.narratives["narrative_id"]) == set(data.narratives["narrative_id"]) - {"eu-observers-to-euma"}


def test_an_unknown_event_is_reported_even_when_other_files_have_rejects(data_copy):
    path = data_copy / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",clash,", ",skirmish,", 1), encoding="utf-8")
    _edit(data_copy / "relations.csv", lambda rows: _relation(rows).update(to_event="pashinyan-nowhere-2024"))
    loaded = load_dataset(data_copy)
    assert any(
        isinstance(r, Reject) and r.file == "relations.csv" and r.field == "to_event" and "unknown event" in r.reason
        for r in loaded.rejects
    )
