"""The article view: the reading text mapped back to the saved file, and every quote highlighted once."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.article import (
    _tokens,
    article_href,
    article_html,
    event_href,
    highlights,
    paragraph_breaks,
    quote_span,
    reading_text_with_spans,
    source_meta,
)
from geo.labels import source_titles
from geo.load import Dataset
from geo.text import match_key, reading_text


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", match_key(text))


class Marks(HTMLParser):
    """Collects each event's highlighted text (across its pieces), the ids, links and paragraphs."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.links: list[str] = []
        self.open: list[str] = []
        self.in_sup = 0
        self.paragraphs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "mark":
            self.open.append(a["data-event"])
            if "id" in a:
                self.ids.append(a["id"])
        elif tag == "sup":
            self.in_sup += 1
        elif tag == "a" and self.in_sup:
            self.links.append(a["href"])
        elif tag == "p":
            self.paragraphs += 1

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open.pop()
        elif tag == "sup":
            self.in_sup -= 1
        elif tag == "p":
            assert not self.open, "a mark is left open across a paragraph"

    def handle_data(self, data):
        if not self.in_sup:
            for event_id in self.open:
                self.text.setdefault(event_id, []).append(data)


def test_reading_text_matches_the_loaders_for_every_article(data: Dataset):
    for source_id, text in data.texts.items():
        reading, spans = reading_text_with_spans(text)
        assert reading == reading_text(text), source_id
        assert len(spans) == len(reading)


_ALPHABET = st.sampled_from(list("ab Z\n\t\r*[]()#_\\$‘’“”!") + ["\n\n", "**", "](#)", "\u00a0"])


@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_reading_text_and_spans_agree_on_any_text(text):
    reading, spans = reading_text_with_spans(text)
    assert reading == reading_text(text)
    ends = -1
    for char, (a, b) in zip(reading, spans, strict=True):
        assert a >= ends, "spans go forward and never overlap"
        ends = b
        if char.isspace():
            assert text[a:b].strip(" \t\n\r\x0b\x0c\u00a0*[]()#_\\$") == "" or "](" in text[a:b]
        else:
            assert text[a:b] == char, "a kept character maps to itself in the saved file"


def test_a_quote_maps_back_to_its_place_in_the_saved_file():
    saved = "Intro.\n\nLavrov  [rebuked](#) Armenia,\naccusing *Yerevan* of \\$ backtracking.\n\nEnd."
    reading, spans = reading_text_with_spans(saved)
    a, b = quote_span("rebuked Armenia, accusing Yerevan", reading)
    start, end = spans[a][0], spans[b - 1][1]
    assert saved[start:end] == "rebuked](#) Armenia,\naccusing *Yerevan"
    assert [reading[i - 1 : i + 2] for i in paragraph_breaks(saved, reading, spans)] == [". L", ", a", ". E"]


def test_overlapping_quotes_nest_and_split_without_losing_a_character():
    from geo.article import Highlight

    reading = "one two three four five"
    marks = [Highlight("a", 0, 13, 1, "A"), Highlight("b", 4, 18, 2, "B"), Highlight("c", 4, 18, 3, "C")]
    paragraphs = _tokens(reading, [7], marks)  # a paragraph break at the space after "two"
    assert len(paragraphs) == 2
    text = "".join(t["text"] for p in paragraphs for t in p if t["kind"] == "text")
    assert text == "one twothree four five"
    firsts = [t["h"].event_id for p in paragraphs for t in p if t["kind"] == "open" and t["first"]]
    assert sorted(firsts) == ["a", "b", "c"]
    for p in paragraphs:  # balanced within each paragraph
        depth = 0
        for t in p:
            depth += {"open": 1, "close": -1}.get(t["kind"], 0)
            assert depth >= 0
        assert depth == 0


@pytest.mark.parametrize(
    "source_id",
    [
        "2023-11-21-armenia-military-alliances",
        "caliber-2025-iran-troops-armenia",
        "jafarli-2023-armenia-russia-crisis",
        "kuzio-2021-10-iran-azerbaijan-near-war",
        "moscowtimes-2024-09-26-russia-iran-rift",
    ],
)
def test_every_citation_is_highlighted_exactly_once_in_its_article(data: Dataset, source_id):
    assert source_id in data.sources.index
    cites = data.citations[data.citations["source_id"] == source_id]
    parser = Marks()
    parser.feed(article_html(source_id, data))
    parser.close()
    expected = sorted(f"q-{e}" for e in cites["event_id"])
    assert sorted(parser.ids) == expected, "one <mark id=q-<event>> per citation"
    assert len(set(parser.ids)) == len(parser.ids)
    for event_id, quote in zip(cites["event_id"], cites["quote"], strict=True):
        assert _squash("".join(parser.text[event_id])) == _squash(quote), event_id
    assert sorted(parser.links) == sorted(event_href(e) for e in cites["event_id"])
    assert parser.paragraphs > 5


def test_every_source_is_covered(data: Dataset):
    assert len(data.sources) == 5
    for source_id in data.sources.index:
        _, _, marks = highlights(source_id, data)
        assert len(marks) == (data.citations["source_id"] == source_id).sum()


def test_the_article_view_names_outlet_author_date_stance_and_side(data: Dataset):
    source_id = "moscowtimes-2024-09-26-russia-iran-rift"
    meta = source_meta(source_id, data)
    assert meta["label"] == "The Moscow Times" and meta["date"] == "26 Sep 2024"
    html = article_html(source_id, data)
    for value in (meta["author"], meta["date"], "Side: ", "Stance: "):
        assert value in html
    assert 'href="https://www.themoscowtimes.com/' in html


def test_data_text_is_escaped_and_only_http_urls_are_links(data: Dataset):
    import dataclasses

    source_id = "caliber-2025-iran-troops-armenia"
    sources = data.sources.copy()
    sources.loc[source_id, "title"] = "<script>alert(1)</script>"
    sources.loc[source_id, "url"] = "javascript:alert(1)"
    texts = {**data.texts, source_id: data.texts[source_id] + "\n\n<img src=x onerror=alert(1)>"}
    html = article_html(source_id, dataclasses.replace(data, sources=sources, texts=texts))
    assert "<script>" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_source_titles_do_not_repeat_the_title(data: Dataset):
    titles = source_titles(data.sources)
    assert titles["moscowtimes-2024-09-26-russia-iran-rift"].startswith("The Moscow Times — Does the Russia-Iran")
    assert titles["2023-11-21-armenia-military-alliances"].count("Armenia reconfigures") == 1


def test_links_are_relative_and_quoted():
    assert event_href("iran-exercise-2022") == "./explore?event=iran-exercise-2022"
    assert article_href("kuzio", "a b") == "./article?source_text=kuzio#q-a%20b"


def test_in_app_links_keep_the_filters_before_their_anchor():
    from geo.templating import with_query

    assert with_query("./explore?event=a", "type=clash&actor=iran") == "./explore?event=a&type=clash&actor=iran"
    assert with_query("./article?source_text=k#q-a", "type=clash") == "./article?source_text=k&type=clash#q-a"
    assert with_query("./accounts", "type=clash") == "./accounts?type=clash"
    assert with_query("./accounts", "") == "./accounts"


def test_the_article_links_to_the_map_carry_the_filters(data: Dataset):
    html = article_html("kuzio-2021-10-iran-azerbaijan-near-war", data, query="type=clash&actor=iran")
    links = re.findall(r'href="(\./explore\?[^"]+)"', html)
    assert links and all(link.endswith("&amp;type=clash&amp;actor=iran") for link in links)
