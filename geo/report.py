"""Plain-language lines about rejected rows, for the app's broken-data banner.

``python -m geo.check`` prints every reject; the banner names the first few
(file, row, field and reason) and counts the rest, so a curator sees at a glance
which file to open and why, without a page of text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.load import Reject

#: Control characters (except tab and newline) and bidirectional overrides, removed from shown text.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def reject_line(reject: Reject, max_chars: int = 200) -> str:
    """ "events.csv row 3, actor_ids: unknown actor 'nobody'", cut to ``max_chars`` with "…"."""
    where = reject.file if reject.row is None else f"{reject.file} row {reject.row}"
    if reject.field:
        where += f", {reject.field}"
    line = _UNSHOWABLE.sub("", f"{where}: {reject.reason}")
    line = " ".join(line.split())
    return line if len(line) <= max_chars else line[: max_chars - 1].rstrip() + "…"


def reject_summary(rejects: Sequence[Reject], limit: int = 3, max_chars: int = 200) -> list[str]:
    """The first ``limit`` rejects as :func:`reject_line`, then "and N more" if there are more."""
    lines = [reject_line(r, max_chars) for r in rejects[:limit]]
    if len(rejects) > limit:
        lines.append(f"and {len(rejects) - limit} more")
    return lines
