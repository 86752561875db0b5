"""The imported-events store: one Parquet file per dataset.

Layout (default ``imported/`` at the repo root, gitignored; ``$CAUCASUS_STORE_DIR`` moves it)::

    imported/
      acled/events.parquet      every ACLED event imported so far, one row per event_id_cnty
      acled/imports.jsonl       one line per import that changed something (file, sha256, counts)
      ucdp/events.parquet
      gdelt/events.parquet
      timemap/events.parquet

Rows are keyed by (dataset, source_id). Importing a file again changes nothing if its rows
are the same (compared by a content hash); a newer export replaces the rows whose content
changed, except where the stored row carries a later ``updated`` stamp than the incoming one
(ACLED's ``timestamp``, GDELT's ``DATEADDED``): an older export never overwrites a newer one.
Rows missing from a newer export are kept (exports are often partial: one country, one year).
Files are replaced atomically, so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geo.ingest.common import COLUMNS

ROOT = Path(__file__).resolve().parent.parent.parent
#: Where imports go unless ``$CAUCASUS_STORE_DIR`` says otherwise.
DEFAULT_STORE_DIR = ROOT / "imported"
STORE_DIR_ENV = "CAUCASUS_STORE_DIR"
PARTITION_FILE = "events.parquet"
LOG_FILE = "imports.jsonl"

_TYPES = {
    "string": pa.string(),
    "date32": pa.date32(),
    "int16": pa.int16(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "list<string>": pa.list_(pa.string()),
}
#: The Arrow schema of every partition.
SCHEMA = pa.schema([pa.field(name, _TYPES[kind]) for name, kind in COLUMNS.items()])


def configured_store_dir() -> str:
    """``$CAUCASUS_STORE_DIR`` if set (a folder, or for Spark any URL it reads), else ``imported/``."""
    return os.environ.get(STORE_DIR_ENV) or str(DEFAULT_STORE_DIR)


def partition_path(store: Path | str, dataset: str) -> Path:
    return Path(store) / dataset / PARTITION_FILE


def partitions(store: Path | str) -> list[Path]:
    """The partition files present, sorted by dataset."""
    base = Path(store)
    return sorted(p for p in base.glob(f"*/{PARTITION_FILE}") if p.is_file()) if base.is_dir() else []


def to_table(records: Iterable[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(list(records), schema=SCHEMA)


def read_partition(store: Path | str, dataset: str) -> pa.Table | None:
    path = partition_path(store, dataset)
    return pq.read_table(path, schema=SCHEMA) if path.is_file() else None


def write_partition(store: Path | str, dataset: str, table: pa.Table) -> Path:
    """Write ``table`` as the dataset's partition, sorted by date (so date filters skip row groups)."""
    path = partition_path(store, dataset)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = table.cast(SCHEMA).sort_by([("date_start", "ascending"), ("source_id", "ascending")])
    fd, tmp = tempfile.mkstemp(prefix=".events-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, row_group_size=128 * 1024, compression="zstd")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


@contextmanager
def _locked(store: Path | str, dataset: str):
    folder = Path(store) / dataset
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass
class Merge:
    """What an import did to one partition."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_newer: int = 0  # stored rows newer than the file's: left as they were

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def upsert(store: Path | str, dataset: str, incoming: pa.Table, log: dict[str, Any] | None = None) -> Merge:
    """Merge ``incoming`` rows (one per source_id) into the dataset's partition."""
    with _locked(store, dataset):
        existing = read_partition(store, dataset)
        merge = Merge()
        if existing is None or existing.num_rows == 0:
            merge.added = incoming.num_rows
            keep_old, take_new = None, incoming
        else:
            old = {
                sid: (h, u)
                for sid, h, u in zip(
                    existing.column("source_id").to_pylist(),
                    existing.column("row_hash").to_pylist(),
                    existing.column("updated").to_pylist(),
                    strict=True,
                )
            }
            take = []
            replaced = set()
            for sid, h, u in zip(
                incoming.column("source_id").to_pylist(),
                incoming.column("row_hash").to_pylist(),
                incoming.column("updated").to_pylist(),
                strict=True,
            ):
                if sid not in old:
                    merge.added += 1
                    take.append(True)
                    continue
                old_hash, old_updated = old[sid]
                if old_hash == h:
                    merge.unchanged += 1
                    take.append(False)
                elif u is not None and old_updated is not None and u < old_updated:
                    merge.kept_newer += 1
                    take.append(False)
                else:
                    merge.updated += 1
                    replaced.add(sid)
                    take.append(True)
            take_new = incoming.filter(pa.array(take, type=pa.bool_()))
            keep_old = existing.filter(
                pc.invert(pc.is_in(existing.column("source_id"), pa.array(sorted(replaced), type=pa.string())))
            )
        if merge.changed:
            table = take_new if keep_old is None else pa.concat_tables([keep_old, take_new])
            write_partition(store, dataset, table)
            if log is not None:
                entry = {**log, **vars(merge), "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
                with open(Path(store) / dataset / LOG_FILE, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return merge
