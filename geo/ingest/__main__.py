"""``python -m geo.ingest FILE --format acled|ucdp|gdelt|timemap [--store DIR]`` (also ``geo-ingest``).

Imports one export into the store (default ``imported/``, or ``$CAUCASUS_STORE_DIR``), with a
progress bar on stderr; prints every refused row (file, row, field, reason) and a summary.
Exits 1 if any row was refused, 2 if nothing could be read, 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys

from geo.ingest import FORMATS, ingest_file
from geo.ingest.store import STORE_DIR_ENV, configured_store_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="the export to import (a .zip holding one file is read too)")
    parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    parser.add_argument("--store", default=None, help=f"store folder (default: ${STORE_DIR_ENV} or imported/)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    store = args.store or configured_store_dir()
    print(f"importing {args.file} as {args.fmt} into {os.path.abspath(store)}")
    result = ingest_file(args.file, args.fmt, store, progress=not args.quiet and sys.stderr.isatty())
    for reject in result.rejects:
        print(reject)
    print(result.summary())
    if result.read == 0 and result.rejects:
        return 2
    return 1 if result.rejects else 0


if __name__ == "__main__":
    sys.exit(main())
