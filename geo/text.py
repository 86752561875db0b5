"""Text normalisation used to check that a quote is verbatim in its article.

The articles were saved as plain text with a little Markdown left in them
(``[rebuked](#)`` links, ``*italic*`` titles, ``\\$`` escapes) and with line breaks
inside sentences. A quote is "verbatim" when it matches the article's *reading
text*: Markdown markup removed, runs of whitespace folded to one space, and
typographic quotes (‘ ’ “ ”) treated as their ASCII forms.
"""

from __future__ import annotations

import re

_MD_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_MD_EMPHASIS = re.compile(r"(\*{1,2})([^*\n]+?)\1")
_MD_ESCAPE = re.compile(r"\\([\\$*_\[\]()#])")
_WHITESPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})


def reading_text(text: str) -> str:
    """The article as a reader sees it: Markdown removed, whitespace folded.

    Typographic characters are kept, so a quote cut from this text is verbatim.
    """
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    return _WHITESPACE.sub(" ", text).strip()


def match_key(text: str) -> str:
    """``reading_text`` with typographic quotes made ASCII (same length)."""
    return reading_text(text).translate(_QUOTES)


def find_quote(quote: str, article: str) -> str | None:
    """Return the article's own wording of ``quote`` if it is in the article.

    Matching ignores Markdown, whitespace and the kind of quote marks; the
    returned string is cut from the article's reading text, so it keeps the
    article's typography. ``None`` when the quote is not there.
    """
    needle = match_key(quote)
    if not needle:
        return None
    text = reading_text(article)
    at = text.translate(_QUOTES).find(needle)
    return None if at < 0 else text[at : at + len(needle)]
