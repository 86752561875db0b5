"""Accounts side by side: an event's quotes in columns by side, as escaped HTML."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

from geo.accounts import account_columns, accounts_html, event_summary
from geo.corroboration import ACROSS, UNKNOWN
from geo.load import Dataset

EUMA = "euma-established-2023-01-23"
SIDES = {
    "kuzio-2021-10-iran-azerbaijan-near-war": "azerbaijani",
    "jafarli-2023-armenia-russia-crisis": "azerbaijani",
    "caliber-2025-iran-troops-armenia": "azerbaijani",
    "moscowtimes-2024-09-26-russia-iran-rift": "western_independent",
}


def _with_sides(data: Dataset, sides: dict[str, str]) -> Dataset:
    return dataclasses.replace(
        data, sources=data.sources.assign(side=[sides.get(s, UNKNOWN) for s in data.sources.index])
    )


class Columns(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.columns: list[tuple[str, list[str]]] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.columns.append((a["data-side"], []))
        elif tag == "article":
            self.columns[-1][1].append(a["data-source"])
        elif tag == "a":
            self.hrefs.append(a["href"])


def test_every_citation_lands_in_one_column(data: Dataset):
    columns = account_columns(EUMA, data)
    sources = [a["source_id"] for col in columns for a in col["accounts"]]
    expected = data.citations.loc[data.citations["event_id"] == EUMA, "source_id"]
    assert sorted(sources) == sorted(expected)
    for col in columns:
        for a in col["accounts"]:
            assert {"outlet", "author", "date", "stance", "quote", "article_href"} <= set(a)


def test_columns_follow_the_sides_in_order(data: Dataset):
    columns = account_columns(EUMA, _with_sides(data, SIDES))
    assert [c["side"] for c in columns] == ["azerbaijani", "western_independent"]
    assert [c["label"] for c in columns] == ["Azerbaijani", "Western or independent"]
    azerbaijani = [a["source_id"] for a in columns[0]["accounts"]]
    assert azerbaijani == ["jafarli-2023-armenia-russia-crisis", "caliber-2025-iran-troops-armenia"]  # by date
    moscow = columns[1]["accounts"][0]
    assert moscow["outlet"] == "The Moscow Times" and moscow["date"] == "26 Sep 2024"
    assert moscow["author"] == "Rövşən Məmmədli"
    assert moscow["article_href"] == f"./article?source_text=moscowtimes-2024-09-26-russia-iran-rift#q-{EUMA}"


def test_without_sides_every_account_is_in_the_unknown_column(data: Dataset):
    no_side = dataclasses.replace(data, sources=data.sources.drop(columns=["side"], errors="ignore"))
    columns = account_columns(EUMA, no_side)
    assert [c["side"] for c in columns] == [UNKNOWN]
    assert len(columns[0]["accounts"]) == 3


def test_the_html_shows_the_columns_with_links_to_the_map_and_the_article(data: Dataset):
    sided = _with_sides(data, SIDES)
    parser = Columns()
    parser.feed(accounts_html(EUMA, sided))
    assert [side for side, _ in parser.columns] == ["azerbaijani", "western_independent"]
    assert sum(len(s) for _, s in parser.columns) == 3
    assert f"./explore?event={EUMA}" in parser.hrefs
    assert sum(h.startswith("./article?source_text=") for h in parser.hrefs) == 3
    summary = event_summary(EUMA, sided)
    assert summary["badge"] == ACROSS and summary["n_sources"] == 3 and summary["n_sides"] == 2


def test_data_text_is_escaped_and_only_http_urls_are_links(data: Dataset):
    citations = data.citations.copy()
    row = citations.index[(citations["event_id"] == EUMA)][0]
    citations.loc[row, "quote"] = "<script>alert(1)</script>"
    sources = data.sources.copy()
    sources.loc["caliber-2025-iran-troops-armenia", "url"] = "javascript:alert(1)"
    sources.loc["caliber-2025-iran-troops-armenia", "stance"] = '"><img src=x onerror=alert(1)>'
    html = accounts_html(EUMA, dataclasses.replace(data, citations=citations, sources=sources))
    assert "<script>" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html
