"""Check the curated data: ``python -m geo.check [DATA_DIR]``.

Prints every rejected row with its file, row, field and reason, then a
summary; exits 1 if anything was rejected, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys

from geo.load import DATA_DIR, load_dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.check", description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=str(DATA_DIR), help="folder with the curated files")
    args = parser.parse_args(argv)
    data = load_dataset(args.data_dir)
    for reject in data.rejects:
        print(reject)
    print(
        f"{len(data.events)} events, {len(data.citations)} citations, {len(data.sources)} sources, "
        f"{len(data.actors)} actors, {len(data.places)} places loaded; {len(data.rejects)} rejected"
    )
    return 1 if data.rejects else 0


if __name__ == "__main__":
    sys.exit(main())
