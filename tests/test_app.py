"""The app under Streamlit's AppTest: it runs, links preset the view, every page renders."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.filters import FilterState, apply_filters
from tests.conftest import ROOT

APP = str(ROOT / "streamlit_app.py")
PAGES = [
    "dashboard/pages/explore.py",
    "dashboard/pages/sources.py",
    "dashboard/pages/data_table.py",
    "dashboard/pages/about.py",
]


def _run(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def _param(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return list(value) if isinstance(value, list) else [value]


def _count(at: AppTest) -> tuple[int, int]:
    for md in at.markdown:
        if m := re.search(r"(\d+) of (\d+) events", md.value):
            return int(m[1]), int(m[2])
    raise AssertionError("no 'N of M events' sentence on the page")


def test_app_loads_without_exception(data):
    at = _run()
    assert not at.exception
    assert _count(at) == (len(data.events), len(data.events))
    assert "all events, no filters" in at.markdown[0].value


@pytest.mark.parametrize(
    "params, state",
    [
        ({"actor": ["iran"]}, FilterState(actors=("iran",))),
        (
            {"actor": ["iran", "russia"], "region": ["syunik"]},
            FilterState(actors=("iran", "russia"), regions=("syunik",)),
        ),
        ({"type": ["clash"]}, FilterState(event_types=("clash",))),
        ({"q": "Stepanakert"}, FilterState(text="Stepanakert")),
        ({"q": "Nakichevan"}, FilterState(text="Nakichevan")),
        (
            {"region": ["syunik"], "region_role": "concerns"},
            FilterState(regions=("syunik",), region_role="concerns"),
        ),
        ({"corroboration": ["across"]}, FilterState(corroboration=("across",))),
        (
            {"status": ["claimed"], "source": ["caliber-2025-iran-troops-armenia"]},
            FilterState(statuses=("claimed",), sources=("caliber-2025-iran-troops-armenia",)),
        ),
    ],
)
def test_query_params_preset_filters_and_count(data, index, params, state):
    at = _run(params)
    assert not at.exception
    expected = len(apply_filters(data.events, state, index))
    assert _count(at) == (expected, len(data.events))
    assert expected < len(data.events)
    # the widgets show the link's choices
    if "actor" in params:
        assert at.multiselect(key="actors").value == params["actor"]
    if "region_role" in params:
        assert at.radio(key="region_role").value == params["region_role"]
        assert _param(at, "region_role") == [params["region_role"]]


def test_dates_from_the_link_preset_the_range(data):
    at = _run({"from": "2022-01-01", "to": "2022-12-31"})
    lo, hi = at.date_input(key="dates").value
    assert (lo.isoformat(), hi.isoformat()) == ("2022-01-01", "2022-12-31")
    assert "dated between 1 Jan 2022 and 31 Dec 2022" in at.markdown[0].value


def test_selected_event_from_the_link_opens_its_panel():
    at = _run({"event": "khankendi-parade-2023-11-08"})
    assert not at.exception
    html = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "Khankendi (also Stepanakert" in html
    assert "Azerbaijan’s armed forces take part in a parade" in html


def _readme_links_with_events() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [link for link in re.findall(r"^    (/\S*)$", readme, re.M) if "event=" in link]


@pytest.mark.parametrize("link", _readme_links_with_events())
def test_each_readme_example_shows_the_events_it_selects(link):
    """An example link that selects events shows them: its own filters do not hide them."""
    from urllib.parse import parse_qs, urlparse

    at = _run(parse_qs(urlparse(link).query))
    assert not at.exception
    assert not [i.value for i in at.info if "hidden by the filters" in i.value], link
    assert _count(at)[0] > 0


def test_a_rerun_without_the_pickers_value_keeps_the_selection():
    """The map reports its view while the page redraws the event picker, so that rerun message
    carries no value for the picker. It read as a pick of the picker's first option, selecting
    the Almaty declaration of 1991 over the event the user had just clicked. (AppTest sends an
    explicit None, not a missing value; both reach the picker as no choice, which must change
    nothing. The race itself was seen, and its end checked, in Chromium: 5 quick clicks.)"""
    event_id = "aliyev-receives-ahmadian-2025-01-08"
    at = _run({"event": event_id})
    at.selectbox(key="event_picker").set_value(None).run()
    assert not at.exception
    assert _param(at, "event") == [event_id]
    assert at.selectbox(key="event_picker").value == event_id


def test_stale_link_shows_a_notice_and_the_rest_of_the_view(data):
    at = _run({"actor": ["iran", "no-such-actor"], "event": "no-such-event"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")  # the notice is Markdown-escaped
    assert "no-such-actor" in warnings and "no-such-event" in warnings
    assert at.multiselect(key="actors").value == ["iran"]
    assert _count(at)[0] < len(data.events)


def test_changing_a_filter_changes_the_count_and_the_url(data):
    at = _run()
    at.multiselect(key="event_types").set_value(["clash"]).run()
    assert _count(at) == (3, len(data.events))
    assert _param(at, "type") == ["clash"]
    # one click clears it again
    at.button(key="clear_event_types").click().run()
    assert _count(at) == (len(data.events), len(data.events))
    assert _param(at, "type") == []


@pytest.mark.parametrize("page", PAGES)
def test_each_page_runs(page):
    at = _run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_sources_page_lists_the_five_articles():
    at = _run()
    at.switch_page("dashboard/pages/sources.py").run()
    table = at.dataframe[0].value
    assert len(table) == 5 and {"The Moscow Times", "Caliber.Az"} <= set(table["outlet"])
    assert all(table["article"].str.len() > 10) and set(table["side"]) <= {
        "Azerbaijani",
        "Western or independent",
        "Unknown",
    }
    # each article's stance and dating notes in full (not cut off in a table cell), and a link to
    # the original only where the data has an http(s) URL: The Moscow Times' alone
    text = " ".join(m.value for m in at.markdown)
    assert text.count("**Stance.**") == 5 and text.count("**How dated and identified.**") == 5
    urls = [b.proto.url for b in at.get("link_button")]
    assert len(urls) == 1 and urls[0].startswith("https://www.themoscowtimes.com/2024/09/26/")


def test_data_page_table_follows_the_filters():
    at = _run({"type": ["clash"]})
    at.switch_page("dashboard/pages/data_table.py").run()
    assert len(at.dataframe[0].value) == 3


def test_accounts_page_follows_the_filters(data, index):
    """The accounts page shows the one filtered set: with actor=iran, only the events that
    filter keeps, counted as such (a review found the Second Karabakh War first on that page)."""
    from geo.corroboration import corroboration, multi_source_ids
    from geo.filters import FilterState, apply_filters

    kept = set(apply_filters(data.events, FilterState(actors=("iran",)), index).index)
    multi = [e for e in multi_source_ids(data) if e in kept]
    assert multi and len(multi) < len(multi_source_ids(data))
    at = _run({"actor": ["iran"]})
    at.switch_page("dashboard/pages/accounts.py").run()
    assert not at.exception
    assert any(f"Of the {len(kept)} events the filters keep" in m.value for m in at.markdown)
    # the events more than one article reports (a contradiction pair, "a ↔ b", shows when either is kept)
    labels = [e.label for e in at.get("expander") if " articles · " in e.label and "↔" not in e.label]
    assert len(labels) == len(multi)
    for event_id in set(corroboration(data).index) - kept:
        assert not any(data.events.at[event_id, "title"] in label for label in labels), event_id


def test_pickers_name_articles_by_outlet_and_title_once():
    """The article picker showed raw ids; the sidebar's source filter repeated an unnamed
    outlet's title ("[Armenia reconfigures…] (outlet not named) — [Armenia reconfigures…]")."""
    at = _run()
    labels = at.multiselect(key="sources").options  # as shown (format_func applied)
    assert sum("Armenia reconfigures" in label for label in labels) == 1
    assert all(label.count("Armenia reconfigures") <= 1 for label in labels)
    at.switch_page("dashboard/pages/article.py").run()
    picker = at.selectbox(key="source_text")
    assert "The Moscow Times — Does the Russia-Iran" in " ".join(picker.options)
    assert not any(option.startswith(("caliber-", "2023-11-21-")) for option in picker.options)


def test_the_article_link_names_its_id_and_an_unknown_id_falls_back_to_the_first():
    at = _run({"source_text": "kuzio-2021-10-iran-azerbaijan-near-war"})
    at.switch_page("dashboard/pages/article.py").run()
    assert at.selectbox(key="source_text").value == "kuzio-2021-10-iran-azerbaijan-near-war"
    assert _param(at, "source_text") == ["kuzio-2021-10-iran-azerbaijan-near-war"]
    at.selectbox(key="source_text").set_value("jafarli-2023-armenia-russia-crisis").run()
    assert _param(at, "source_text") == ["jafarli-2023-armenia-russia-crisis"]  # the id, not the label
    at = _run({"source_text": "no-such-article"})
    at.switch_page("dashboard/pages/article.py").run()
    assert not at.exception and _param(at, "source_text") == ["caliber-2025-iran-troops-armenia"]


def test_the_article_a_link_names_opens_after_a_visit_to_another_page():
    """Streamlit drops the (unbound) picker's value while another page runs: a link back to the
    article read last must still open it, and the sidebar's way back shows it too."""
    kuzio = "kuzio-2021-10-iran-azerbaijan-near-war"
    at = _run({"source_text": kuzio})
    at.switch_page("dashboard/pages/article.py").run()
    at.switch_page("dashboard/pages/sources.py").run()
    at.query_params["source_text"] = kuzio
    at.switch_page("dashboard/pages/article.py").run()
    assert at.selectbox(key="source_text").value == kuzio
    at.switch_page("dashboard/pages/sources.py").run()
    at.query_params.pop("source_text", None)
    at.switch_page("dashboard/pages/article.py").run()
    assert at.selectbox(key="source_text").value == kuzio and _param(at, "source_text") == [kuzio]


def test_links_from_the_article_and_the_panel_keep_the_filters():
    at = _run({"source_text": "kuzio-2021-10-iran-azerbaijan-near-war", "type": ["clash", "statement"]})
    at.switch_page("dashboard/pages/article.py").run()
    html = " ".join(h.proto.body for h in at.get("html"))
    links = re.findall(r'href="(\./explore\?[^"]+)"', html)
    assert links and all(link.endswith("&amp;type=clash&amp;type=statement") for link in links)
    at = _run({"event": "euma-established-2023-01-23", "actor": ["eu"]})
    html = " ".join(h.proto.body for h in at.get("html"))
    assert 'href="./accounts?actor=eu"' in html
    assert re.search(r'href="\./article\?source_text=[^"#]+&amp;actor=eu#q-euma-established-2023-01-23"', html)


def test_several_selected_events_are_listed_and_one_opens():
    # AppTest cannot drag a box on a Plotly chart or click the map; a link selects several the same way.
    chosen = ["border-fighting-2021-05", "border-fighting-2021-11", "border-clash-2022-09-13"]
    at = _run({"event": chosen})
    assert any("3 events selected" in c.value for c in at.caption)
    at.button(key="pick_border-clash-2022-09-13").click().run()
    assert _param(at, "event") == ["border-clash-2022-09-13", "border-fighting-2021-05", "border-fighting-2021-11"]
    html = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "Military clash on the Armenia-Azerbaijan border with heavy losses" in html


def test_lanes_map_view_and_timeline_range_survive_a_page_switch():
    view = {"lanes": "actor", "map": "40.1000,45.2000,8", "base": "plain", "time": "2021-01-01,2023-06-30"}
    at = _run(view)
    assert {k: _param(at, k) for k in view} == {k: [v] for k, v in view.items()}
    at.switch_page("dashboard/pages/sources.py").run()
    assert not any(_param(at, k) for k in view)  # the Sources page holds no map or timeline
    at.switch_page("dashboard/pages/explore.py").run()
    assert at.radio(key="lanes").value == "actor"
    assert {k: _param(at, k) for k in view} == {k: [v] for k, v in view.items()}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2021-01-01", "to": "2022-12-31"}, {"from": ["2021-01-01"], "to": ["2022-12-31"]}),
        ({"event": "iran-exercise-2022", "extent": "all"}, {"event": ["iran-exercise-2022"], "extent": ["all"]}),
        ({"officials": "0", "actor": "iran"}, {"officials": ["0"], "actor": ["iran"]}),
    ],
)
def test_old_link_forms_keep_working(params, expected):
    at = _run(params)
    assert not at.exception
    assert {k: _param(at, k) for k in expected} == expected


def test_a_bad_boolean_and_a_huge_value_give_short_notices():
    at = _run({"actor": ["x" * 100_000, "iran"], "officials": "maybe"})
    texts = [w.value for w in at.warning]
    assert any("true or false" in t for t in texts)
    assert all(len(t) < 400 for t in texts)
    assert _param(at, "actor") == ["iran"]


def test_a_hostile_link_renders_as_text():
    at = _run({"q": "[click me](https://evil.example) $x^2$", "actor": ["[phish](https://evil.example)"]})
    assert not at.exception
    rendered = " ".join(m.value for m in at.markdown) + " ".join(w.value for w in at.warning)
    assert "](https://evil" not in rendered  # every bracket and parenthesis is escaped
    assert r"\[click me\]\(https" in rendered


def test_out_of_range_link_dates_are_held_to_the_data(data):
    at = _run({"from": "1900-01-01", "to": "2022-12-31"})
    lo, hi = at.date_input(key="dates").value
    assert lo == data.events["date_start"].min().date() and hi.isoformat() == "2022-12-31"
    assert any("outside the data" in w.value.replace("\\", "") for w in at.warning)


def test_a_link_notice_is_shown_once():
    at = _run({"actor": ["no-such-actor"]})
    assert at.warning
    at.multiselect(key="event_types").set_value(["war"]).run()
    assert not at.warning


def test_the_app_survives_data_with_no_events(tmp_path, monkeypatch, data_copy):
    from dashboard.data import get_data

    (data_copy / "events.csv").write_text("", encoding="utf-8")
    monkeypatch.setenv("CAUCASUS_DATA_DIR", str(data_copy))
    get_data.clear()
    try:
        at = _run()
        assert not at.exception, at.exception
        assert any("No events could be loaded" in w.value for w in at.warning)
        assert _count(at) == (0, 0)
    finally:
        get_data.clear()


def _reject_the_clashes(monkeypatch, data_copy) -> None:
    """Point the app at the copy with every clash given an unknown type ("skirmish"), so that
    those events (and their citations) are rejected rows; the caller clears get_data after."""
    from dashboard.data import get_data

    events = data_copy / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",clash,", ",skirmish,"), encoding="utf-8")
    monkeypatch.setenv("CAUCASUS_DATA_DIR", str(data_copy))
    get_data.clear()


def test_broken_data_banner_names_file_and_reason_and_every_page_opens(monkeypatch, data_copy):
    from dashboard.data import get_data

    # three events with an unknown type, and their citations: more rejects than the banner lists
    _reject_the_clashes(monkeypatch, data_copy)
    try:
        at = _run()
        assert not at.exception, at.exception
        banner = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown-escaped
        assert "events.csv row" in banner and "event_type" in banner and "'skirmish' is not an event type" in banner
        assert re.search(r"and \d+ more", banner)
        assert _count(at)[1] > 0  # what did load is shown
        for page in PAGES:
            at.switch_page(page).run()
            assert not at.exception, (page, at.exception)
            assert "events.csv row" in " ".join(e.value for e in at.error).replace("\\", "")
    finally:
        get_data.clear()


def _timeline_ids(at: AppTest) -> set[str]:
    """The event ids the lanes chart draws (its marks carry [event_id]; the strip's bars carry dates)."""
    import json

    ids = set()
    for spec in _charts(at):
        for trace in json.loads(spec)["data"]:
            ids |= {c[0] for c in trace.get("customdata") or [] if isinstance(c, list) and len(c) == 1}
    return ids


def test_after_the_data_reloads_the_timeline_shows_the_new_data(monkeypatch, data_copy):
    """Caches shared by sessions are keyed by the dataset: a reload (a curator's fix, a test's
    broken copy) never shows marks of events that are no longer loaded."""
    from dashboard.data import get_data

    before = _timeline_ids(_run())
    _reject_the_clashes(monkeypatch, data_copy)
    try:
        at = _run()
        assert not at.exception, at.exception
        loaded = set(get_data()[0].events.index)
        assert _timeline_ids(at) == loaded and loaded < before  # the rejected clashes are gone
    finally:
        get_data.clear()


def test_a_story_link_opens_its_step_and_next_moves_everything(data):
    at = _run({"story": "eu-observers-to-euma", "step": "3"})
    assert not at.exception
    steps = data.narratives[data.narratives["narrative_id"] == "eu-observers-to-euma"].set_index("step")
    assert _param(at, "event") == [steps.at[3, "event_id"]]
    assert _param(at, "step") == ["3"] and _param(at, "time") and _param(at, "map")
    assert any("Step 3 of" in m.value for m in at.markdown)
    time_before = _param(at, "time")
    at.button(key="story_next").click().run()
    assert _param(at, "step") == ["4"] and _param(at, "event") == [steps.at[4, "event_id"]]
    assert _param(at, "time") != time_before  # the timeline moved to the new step
    at.button(key="story_leave").click().run()
    assert not _param(at, "story")


def test_a_link_to_a_missing_story_gives_a_notice():
    at = _run({"story": "no-such-story", "step": "2"})
    assert any("no-such-story" in w.value.replace("\\", "") for w in at.warning)
    assert not _param(at, "story")


def test_the_panel_lists_the_chain_of_linked_events(data):
    rel = data.relations.iloc[0]
    at = _run({"event": rel["from_event"]})
    labels = [b.label for b in at.button if (b.key or "").startswith(f"link_{rel['from_event']}_")]
    assert any(data.events.at[rel["to_event"], "title"][:30].replace("-", "\\-") in lab for lab in labels)
    at.button(key=f"link_{rel['from_event']}_{rel['to_event']}").click().run()
    assert _param(at, "event") == [rel["to_event"]]


def test_a_paused_playback_link_reopens_the_same_moment_and_play_moves_on():
    at = _run({"play": "2022-09-01,90"})
    assert not at.exception
    assert any(c.value.startswith("Paused: 01 Sep 2022 – 30 Nov 2022") for c in at.caption)
    assert _param(at, "play") == ["2022-09-01,90"]
    at.button(key="play_start").click().run()
    assert any(c.value.startswith("Playing:") for c in at.caption)
    at.button(key="play_pause").click().run()
    assert _param(at, "play") == ["2022-09-01,90"]  # paused where it was: the link holds the moment
    at.button(key="play_stop").click().run()
    assert not _param(at, "play")


def test_imported_datasets_are_a_layer_and_a_filter_of_their_own(tmp_path, monkeypatch, data):
    from dashboard.other_data import imported_datasets
    from geo.ingest import ingest_file

    store = tmp_path / "store"
    result = ingest_file(ROOT / "tests" / "fixtures" / "ingest" / "acled_2022.csv", "acled", store_dir=store)
    assert result.merge.added > 0
    monkeypatch.setenv("CAUCASUS_STORE_DIR", str(store))
    imported_datasets.clear()
    try:
        at = _run({})
        assert at.multiselect(key="imported").options == [f"ACLED ({result.merge.added} events)"]
        assert not any("imported events" in c.value for c in at.caption)  # off until chosen
        at.multiselect(key="imported").set_value(["acled"]).run()
        assert not at.exception
        notes = [c.value for c in at.caption if "imported events" in c.value]
        assert notes and "ACLED" in notes[0] and "squares" in notes[0]
        assert _count(at) == (len(data.events), len(data.events))  # the curated set is untouched
    finally:
        imported_datasets.clear()


def _charts(at: AppTest) -> list[str]:
    """The figures (Plotly JSON text) of the page's charts (dashboard/plotly_chart.py), in order."""
    import json

    return [
        json.loads(e.proto.json)["figure"]
        for e in at.get("bidi_component")
        if e.proto.component_name.endswith("south_caucasus_plotly")
    ]


@pytest.fixture
def acled_store(tmp_path, monkeypatch):
    """The app pointed at a store holding the ACLED fixture, and the dashboard's caches cleared."""
    from dashboard.other_data import imported_datasets
    from geo.ingest import ingest_file

    store = tmp_path / "store"
    ingest_file(ROOT / "tests" / "fixtures" / "ingest" / "acled_2022.csv", "acled", store_dir=store)
    ingest_file(ROOT / "tests" / "fixtures" / "ingest" / "gdelt_20220915.export.CSV", "gdelt", store_dir=store)
    monkeypatch.setenv("CAUCASUS_STORE_DIR", str(store))
    imported_datasets.clear()
    yield store
    imported_datasets.clear()


def test_imported_events_on_the_timeline_in_the_link_and_filtered_by_actor(acled_store):
    plain = _run({})
    curated_charts = len(_charts(plain))
    assert not any("Imported" in spec for spec in _charts(plain))  # nothing chosen: nothing added
    at = _run({"imported": ["acled", "nope"]})
    assert not at.exception
    assert at.multiselect(key="imported").value == ["acled"]  # seeded from the link
    assert any("nope" in w.value and "store" in w.value for w in at.warning)  # a dataset the store lacks
    assert _param(at, "imported") == ["acled"]
    charts = _charts(at)
    assert len(charts) == curated_charts + 1
    assert "Imported: ACLED (not curated)" in charts[-1]
    assert any("Imported data follows the dates" in c.value for c in at.caption)
    at.multiselect(key="imported").set_value(["acled", "gdelt"]).run()
    assert _param(at, "imported") == ["acled", "gdelt"]
    # the actor filter maps curated actors to imported names, says so, and an unmatched one shows nothing
    at.multiselect(key="actors").set_value(["armenia", "pashinyan"]).run()
    said = [c.value for c in at.caption if "Actor filter on imported data" in c.value]
    assert said and "ARMENIA" in said[0] and "GDELT" in said[0] and "no match" in said[0]
    assert "3 events, one mark each" in _charts(at)[-1]
    at.multiselect(key="actors").set_value(["pashinyan"]).run()
    said = [c.value for c in at.caption if "Actor filter on imported data" in c.value]
    assert "no imported event is shown" in said[0]
    assert "0 events" in _charts(at)[-1]


def test_the_data_page_offers_the_imported_events_apart(acled_store, monkeypatch):
    import dashboard.imported_export

    monkeypatch.setattr(dashboard.imported_export, "IMPORTED_CSV_MAX_ROWS", 2)
    at = _run({"imported": "acled"})
    at.switch_page("dashboard/pages/data_table.py").run()
    assert not at.exception
    assert any("Imported events (not curated)" in h.value for h in at.subheader)
    assert any("events from ACLED match the filters" in m.value for m in at.markdown)
    assert at.get("download_button")  # the curated downloads and the imported CSV, a button of its own
    assert any("newest 2 of these" in w.value for w in at.warning)  # capped, and it says so


def test_the_maps_focus_keeps_counting_and_a_box_may_show_any_of_its_events(monkeypatch):
    """``state.select``: the map moves when the focus's sequence changes. It kept counting from 1
    after an empty selection, so the next focus looked already applied; a box of several lets
    the map show any one of them (the nearest), a single pick or a named focus that one."""
    from dashboard import state

    session: dict = {}
    monkeypatch.setattr(state.st, "session_state", session)
    state.select(["a", "b", "c"])
    assert session[state.K_FOCUS] == {"id": "a", "any": ["a", "b", "c"], "seq": 1}
    state.select([])
    assert session[state.K_FOCUS] == {"id": None, "any": [], "seq": 2}
    state.select(["b"])
    assert session[state.K_FOCUS] == {"id": "b", "any": ["b"], "seq": 3}
    state.select(["c", "a"], focus="c")
    assert session[state.K_FOCUS] == {"id": "c", "any": ["c"], "seq": 4}
