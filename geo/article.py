"""An article's full text as HTML, with every cited quote highlighted and linked to its event.

The quotes are found exactly as the loader finds them (:mod:`geo.text`): in the article's
*reading text* — Markdown removed, whitespace folded, typographic quotes matched as ASCII.
:func:`reading_text_with_spans` builds that same reading text while remembering, for each of
its characters, the stretch of the saved file it came from; paragraphs (the saved file's lines,
which the reading text folds into spaces) and highlights are then placed on the
reading text, and the page shows the reading text — what the quotes were checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote as urlquote

from geo.corroboration import side_label, source_sides
from geo.labels import format_date, source_label
from geo.load import Dataset
from geo.templating import render
from geo.text import _MD_EMPHASIS, _MD_ESCAPE, _MD_LINK, _QUOTES, _WHITESPACE, match_key

Span = tuple[int, int]  # [start, end) in the saved file
_LINE_BREAK = re.compile(r"[\n\r]")


def _sub(pattern: re.Pattern[str], group: int | None, text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """``pattern.sub`` on ``text`` keeping ``spans`` (one per character) in step.

    A match is replaced by its ``group`` (whose characters keep their spans) or, when
    ``group`` is None, by one space spanning everything the match covered.
    """
    out: list[str] = []
    out_spans: list[Span] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(text[pos : m.start()])
        out_spans.extend(spans[pos : m.start()])
        if group is None:
            out.append(" ")
            out_spans.append((spans[m.start()][0], spans[m.end() - 1][1]))
        else:
            a, b = m.span(group)
            out.append(text[a:b])
            out_spans.extend(spans[a:b])
        pos = m.end()
    out.append(text[pos:])
    out_spans.extend(spans[pos:])
    return "".join(out), out_spans


def reading_text_with_spans(text: str) -> tuple[str, list[Span]]:
    """:func:`geo.text.reading_text` of ``text``, and for each of its characters the [start, end)
    of ``text`` it stands for (a folded space stands for the whole whitespace run)."""
    spans = [(i, i + 1) for i in range(len(text))]
    text, spans = _sub(_MD_LINK, 1, text, spans)
    text, spans = _sub(_MD_EMPHASIS, 2, text, spans)
    text, spans = _sub(_MD_ESCAPE, 1, text, spans)
    text, spans = _sub(_WHITESPACE, None, text, spans)
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return text[start:end], spans[start:end]


def quote_span(quote: str, reading: str) -> Span | None:
    """Where ``quote`` is in a reading text, matched as the loader matches it (first occurrence)."""
    needle = match_key(quote)
    at = reading.translate(_QUOTES).find(needle) if needle else -1
    return None if at < 0 else (at, at + len(needle))


def paragraph_breaks(original: str, reading: str, spans: list[Span]) -> list[int]:
    """Positions of the reading text's spaces that stand for a line break in the saved file.

    Every line of the saved files is a paragraph (some separate paragraphs by a blank line,
    some by a single line break), so any folded run of whitespace holding a newline is one.
    """
    return [
        i
        for i, (c, (a, b)) in enumerate(zip(reading, spans, strict=True))
        if c == " " and _LINE_BREAK.search(original, a, b)
    ]


@dataclass(frozen=True)
class Highlight:
    event_id: str
    start: int
    end: int
    number: int  # the quote's number in the article, in reading order
    title: str

    @property
    def href(self) -> str:
        return event_href(self.event_id)


def event_href(event_id: str) -> str:
    """The map view of one event, relative to the current page."""
    return f"./explore?event={urlquote(event_id, safe='')}"


def article_href(source_id: str, event_id: str | None = None) -> str:
    """The article view of one source (at one event's quote), relative to the current page."""
    anchor = f"#q-{urlquote(event_id, safe='')}" if event_id else ""
    return f"./article?source_text={urlquote(source_id, safe='')}{anchor}"


def highlights(source_id: str, data: Dataset) -> tuple[str, list[Span], list[Highlight]]:
    """The article's reading text, its spans, and every citation's place in it (in reading order)."""
    original = data.texts[source_id]
    reading, spans = reading_text_with_spans(original)
    cites = data.citations[data.citations["source_id"] == source_id]
    found = []
    for event_id, quote in zip(cites["event_id"], cites["quote"], strict=True):
        span = quote_span(quote, reading)
        if span is not None:
            found.append((span[0], -span[1], event_id))
    found.sort()
    titles = data.events["title"]
    marks = [Highlight(e, a, -b, n, str(titles.get(e, e))) for n, (a, b, e) in enumerate(found, start=1)]
    return reading, spans, marks


def _tokens(reading: str, breaks: list[int], marks: list[Highlight]) -> list[list[dict[str, object]]]:
    """Paragraphs as flat token lists: text, mark open/close, and a quote's link after its end.

    Overlapping quotes nest: a quote that ends while a later-opened one is still open closes
    that one, ends, and reopens it as a continuation (no id). A paragraph break closes every
    open mark and reopens it in the next paragraph. Each quote's mark with ``id`` appears once.
    """
    opens: dict[int, list[Highlight]] = {}
    closes: dict[int, list[Highlight]] = {}
    for h in marks:  # sorted by start, longer first: outer marks open first
        opens.setdefault(h.start, []).append(h)
        closes.setdefault(h.end, []).append(h)
    stops = sorted({0, len(reading), *opens, *closes, *breaks, *(b + 1 for b in breaks)})
    paragraphs: list[list[dict[str, object]]] = [[]]
    stack: list[Highlight] = []
    break_set = set(breaks)

    def open_(h: Highlight, first: bool) -> None:
        paragraphs[-1].append({"kind": "open", "h": h, "first": first})
        stack.append(h)

    def close_top() -> Highlight:
        paragraphs[-1].append({"kind": "close"})
        return stack.pop()

    for i, pos in enumerate(stops):
        ending = closes.get(pos, [])
        if ending:
            done = {id(h) for h in ending}
            reopen: list[Highlight] = []
            while any(id(h) in done for h in stack):
                h = close_top()
                if id(h) not in done:
                    reopen.append(h)
            for h in sorted(ending, key=lambda h: h.number):
                paragraphs[-1].append({"kind": "link", "h": h})
            for h in reversed(reopen):
                open_(h, first=False)
        if pos in break_set:
            carried = list(stack)
            while stack:
                close_top()
            paragraphs.append([])
            for h in carried:
                open_(h, first=False)
        for h in opens.get(pos, []):
            open_(h, first=True)
        if i + 1 < len(stops):
            start = pos + 1 if pos in break_set else pos
            chunk = reading[start : stops[i + 1]]
            if chunk:
                paragraphs[-1].append({"kind": "text", "text": chunk})
    while stack:
        close_top()
    return [p for p in paragraphs if any(t["kind"] == "text" for t in p)]


def source_meta(source_id: str, data: Dataset) -> dict[str, str]:
    """Who published the article, when, where it stands, and from which side."""
    src = data.sources.loc[source_id]
    return {
        "source_id": source_id,
        "label": source_label(src),
        "byline": src["outlet"] if src["title"] in source_label(src) else source_label(src),
        "outlet": src["outlet"],
        "title": src["title"],
        "author": src["author"],
        "date": format_date(src["published"], src["published_precision"]),
        "kind": src["kind"],
        "stance": src["stance"],
        "side": side_label(source_sides(data.sources)[source_id]),
        "url": src["url"],
    }


def article_html(source_id: str, data: Dataset, *, query: str = "") -> str:
    """The article's full text as escaped HTML paragraphs, each cited quote in a
    ``<mark id="q-<event_id>">`` followed by a numbered link to its event on the map; the links
    carry ``query`` (the view's filters, :func:`geo.urlstate.filters_query`)."""
    reading, spans, marks = highlights(source_id, data)
    paragraphs = _tokens(reading, paragraph_breaks(data.texts[source_id], reading, spans), marks)
    return render(
        "article.html.j2",
        meta=source_meta(source_id, data),
        paragraphs=paragraphs,
        marks=marks,
        query=query,
    )
