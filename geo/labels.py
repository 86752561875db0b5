"""Short human labels for records, shared by the filters, panels, map and timeline."""

from __future__ import annotations

import pandas as pd

UNNAMED_OUTLET = "Outlet not named in the text"


def source_label(source: pd.Series) -> str:
    """The outlet, or — when the text names none — its author or title, marked as such.

    "The Moscow Times"; "Taras Kuzio (outlet not named)"; "[No headline…] (outlet not named)".
    """
    if source["outlet"] != UNNAMED_OUTLET:
        return source["outlet"]
    who = source["author"] or source["title"]
    return f"{who} (outlet not named)"
