"""The event panel and the sources tables: what a reader needs, escaped."""

from __future__ import annotations

import copy

import pytest

from geo.panel import event_panel_html, place_label, single_source_events, sources_table, status_phrase


def test_panel_shows_every_citation_with_outlet_author_date_and_stance(data):
    html = event_panel_html("second-karabakh-war-2020", data)
    assert html.count("<blockquote>") == 3
    for outlet in ("The Moscow Times", "Taras Kuzio"):  # an unnamed outlet is credited to its author
        assert outlet in html
    assert "Taras Kuzio" in html and "26 Sep 2024" in html and "Stance:" in html
    assert "How dated and placed" in html and "44-day" in html


def test_panel_names_every_name_of_a_place(data):
    assert place_label("khankendi", data) == "Khankendi (also Stepanakert, Xankəndi)"
    assert "Khankendi (also Stepanakert, Xankəndi)" in event_panel_html("khankendi-parade-2023-11-08", data)


def test_claims_are_shown_as_claims(data):
    assert status_phrase("us-contingent-zangezur-claim-2024-08", data) == "claim by Caliber.Az"
    assert status_phrase("iran-offers-syunik-base-2021", data) == "claim"  # nobody named: no dangling "by"
    assert status_phrase("euma-established-2023-01-23", data) == "reported"
    assert "⚠ claim by Caliber.Az" in event_panel_html("us-contingent-zangezur-claim-2024-08", data)


def test_panel_escapes_everything_from_the_data(data):
    evil = copy.copy(data)
    evil.events = data.events.copy()
    evil.citations = data.citations.copy()
    evil.events.loc["astara-heroin-seizures-2021", "title"] = "<script>alert(1)</script>"
    evil.citations.loc[evil.citations["event_id"] == "astara-heroin-seizures-2021", "quote"] = (
        '<img src=x onerror="x()">'
    )
    html = event_panel_html("astara-heroin-seizures-2021", evil)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sources_table_counts(data):
    table = sources_table(data).set_index("source_id")
    assert len(table) == 5
    assert table["events"].sum() == data.citations.groupby("source_id")["event_id"].nunique().sum()
    assert table.loc["caliber-2025-iran-troops-armenia", "events"] == 8
    assert (table["only_here"] <= table["events"]).all()
    assert table.loc["moscowtimes-2024-09-26-russia-iran-rift", "published"] == "26 Sep 2024"


def test_single_source_events(data):
    single = set(single_source_events(data)["event_id"])
    assert "us-contingent-zangezur-claim-2024-08" in single
    assert "second-karabakh-war-2020" not in single
    multi = data.citations.groupby("event_id")["source_id"].nunique()
    assert single == set(multi[multi == 1].index)


def test_panel_says_the_role_of_the_place(data):
    roles = data.events["place_role"]
    concerns, assumed, happened = (roles.index[roles == r][0] for r in ("concerns", "assumed", "happened"))
    assert "what it concerns (not where it happened)" in event_panel_html(concerns, data)
    assert "where it happened (assumed by the curators)" in event_panel_html(assumed, data)
    html = event_panel_html(happened, data)
    assert "where it happened:" in html and "assumed" not in html.split("ev-role")[1][:60]


@pytest.mark.parametrize(
    ("event_id", "badge", "sides"),
    [
        ("khankendi-parade-2023-11-08", "single source · 1 outlet", None),
        ("second-karabakh-war-2020", "across sides", "Azerbaijani"),
    ],
)
def test_panel_and_popup_show_corroboration(data, event_id, badge, sides):
    from geo.eventview import event_html

    for html in (event_panel_html(event_id, data), event_html(event_id, data, compact=True)):
        assert badge in html
        if sides:
            assert sides in html


def test_quotes_link_to_their_place_in_the_article(data):
    html = event_panel_html("second-karabakh-war-2020", data)
    for source_id in data.citations.loc[data.citations["event_id"] == "second-karabakh-war-2020", "source_id"]:
        assert f"./article?source_text={source_id}#q-second-karabakh-war-2020" in html
    assert "Compare the accounts side by side" in html
