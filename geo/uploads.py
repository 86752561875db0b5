"""A user's own events file, read in memory for their session only: never written to disk.

The same readers as ``python -m geo.ingest`` (ACLED, UCDP GED, GDELT, timemap), the same report
of refused rows (file, row, field, reason), and it never raises: any bytes give loaded rows
plus reported rows.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from geo.ingest.common import FORMATS
from geo.ingest.readers import read_stream
from geo.load import Reject

#: The largest upload read, in megabytes (Streamlit's server.maxUploadSize is the same).
MAX_UPLOAD_MB = 2
#: The most events one upload shows; the rest are reported, not silently dropped.
MAX_ROWS = 20_000


def read_upload(name: str, data: bytes, fmt: str) -> tuple[list[dict[str, Any]], list[Reject]]:
    """(events, refused rows) of an uploaded file in format ``fmt`` (one of FORMATS)."""
    safe_name = Path(name or "upload").name or "upload"
    rejects: list[Reject] = []
    if fmt not in FORMATS:
        return [], [Reject(safe_name, None, None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")]
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        return [], [Reject(safe_name, None, None, f"the file is larger than {MAX_UPLOAD_MB} MB")]
    events: list[dict[str, Any]] = []
    try:
        for _number, record in read_stream(Path(safe_name), io.BytesIO(data), fmt, rejects, lambda _n: None):
            if len(events) >= MAX_ROWS:
                rejects.append(Reject(safe_name, _number, None, f"more than {MAX_ROWS} events: the rest are not shown"))
                break
            events.append(record | {"dataset": "upload"})
    except Exception as err:  # whatever the bytes, the user gets a report, not a traceback
        rejects.append(Reject(safe_name, None, None, f"the file cannot be read as {fmt} ({type(err).__name__})"))
    return events, rejects
