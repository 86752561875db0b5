"""One Jinja2 environment for every piece of HTML built from the data.

Autoescaping is on for every template, so text from the data is escaped once, by
Jinja2, wherever it lands (a map popup, the side panel, the legend). ``safe_url``
lets through only http(s) links, so a curated ``javascript:`` URL is never a link.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlparse

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def safe_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None (shown as no link)."""
    text = str(value or "").strip()
    parsed = urlparse(text)
    return text if parsed.scheme in ("http", "https") and parsed.netloc else None


def with_query(href: str, query: str = "") -> str:
    """An in-app link (``./page?a=b#anchor`` or ``./page``) with ``query`` (``k=v&…``, already
    encoded: the view's filters) added before its anchor, so following it keeps the filters."""
    if not query:
        return href
    path, hash_, anchor = href.partition("#")
    return f"{path}{'&' if '?' in path else '?'}{query}{hash_}{anchor}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("geo", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["with_query"] = with_query
    return env


def render(template: str, **context: object) -> str:
    """Render ``geo/templates/<template>`` with ``context``, autoescaped."""
    return environment().get_template(template).render(**context)
