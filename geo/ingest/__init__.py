"""Import other people's event data (ACLED, UCDP GED, GDELT 2.0, timemap) into the store.

``ingest_file(path, fmt)`` reads one export, converts every row it can into an imported event
(:mod:`geo.ingest.common` documents the columns and the precision mapping), reports every other
row as a :class:`geo.load.Reject` (file, row, field, reason, as the curated loader does) and
merges the events into the dataset's Parquet partition (:mod:`geo.ingest.store`). It never
raises on what the file holds. ``python -m geo.ingest FILE --format FMT`` (or ``geo-ingest``)
is the command-line face; :mod:`geo.events_store` queries the result.

Shared with the curated loader: :class:`geo.load.Reject` and its wording. The importers read
their own files (streamed, no 64 MB cap, bad UTF-8 reported per field) rather than through
``geo.load._read_text``, which reads a whole file at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.ingest.common import FORMATS
from geo.ingest.readers import ID_FIELD, file_size, read
from geo.ingest.store import Merge, configured_store_dir, to_table, upsert
from geo.load import Reject


@dataclass
class IngestResult:
    """What one import did."""

    file: str
    dataset: str
    read: int = 0  # rows converted (before the merge)
    merge: Merge = field(default_factory=Merge)
    rejects: list[Reject] = field(default_factory=list)

    def summary(self) -> str:
        m = self.merge
        return (
            f"{self.file}: {self.read} {self.dataset} events read; {m.added} added, {m.updated} updated, "
            f"{m.unchanged} unchanged, {m.kept_newer} kept (stored copy newer); {len(self.rejects)} rejected"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_file(
    path: Path | str, fmt: str, store_dir: Path | str | None = None, progress: bool = False
) -> IngestResult:
    """Import one file into the store. Never raises on bad input: problems are ``result.rejects``."""
    path = Path(path)
    name = path.name or str(path)
    result = IngestResult(file=name, dataset=fmt)
    if fmt not in FORMATS:
        result.rejects.append(Reject(name, None, None, f"unknown format '{fmt}'; one of {', '.join(FORMATS)}"))
        return result
    store = Path(store_dir) if store_dir is not None else Path(configured_store_dir())
    try:
        if not path.is_file():
            result.rejects.append(Reject(name, None, None, "file not found — nothing loaded"))
            return result
        records, seen = [], {}
        with _bar(progress, file_size(path), name) as bar:
            for number, record in read(path, fmt, result.rejects, bar.update):
                sid = record["source_id"]
                if sid in seen:
                    result.rejects.append(
                        Reject(name, number, ID_FIELD[fmt], f"duplicate id '{sid}' (first used on row {seen[sid]})")
                    )
                    continue
                seen[sid] = number
                records.append(record)
        result.read = len(records)
        if records:
            log = {"file": name, "sha256": _sha256(path), "rows": len(records), "rejected": len(result.rejects)}
            result.merge = upsert(store, fmt, to_table(records), log)
    except Exception as err:  # last resort, as geo.load does: the file is reported, nothing is half-written
        reason = f"cannot be imported ({type(err).__name__}: {str(err)[:120]}) — nothing in it was loaded"
        result.rejects.append(Reject(name, None, None, reason))
        result.read = 0
    return result


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


def _bar(progress: bool, total: int, name: str) -> Any:
    if not progress:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total or None, unit="B", unit_scale=True, unit_divisor=1024, desc=name, leave=False)


__all__ = ["FORMATS", "IngestResult", "ingest_file"]
