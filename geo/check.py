"""Check the curated data: ``python -m geo.check [DATA_DIR]``.

Checks the folder the app would read: DATA_DIR if given, else ``$CAUCASUS_DATA_DIR``
if set, else the repo's ``data/``; says which folder it checked. Prints every rejected
row with its file, row, field and reason, then a summary; exits 1 if anything was
rejected, 0 otherwise. It never crashes on bad data: that is what it reports.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from geo.corroboration import ACROSS, ONE_SIDE, SINGLE, corroboration
from geo.load import DATA_DIR_ENV, Dataset, configured_data_dir, load_dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.check", description=__doc__.splitlines()[0])
    parser.add_argument(
        "data_dir",
        nargs="?",
        default=None,
        help=f"folder with the curated files (default: ${DATA_DIR_ENV} if set, else the repo's data/)",
    )
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # odd characters in a reason must not crash the report
    folder = Path(args.data_dir) if args.data_dir is not None else configured_data_dir()
    print(f"checking {os.path.abspath(folder)}")
    data = load_dataset(folder)
    for reject in data.rejects:
        print(reject)
    print(
        f"{len(data.events)} events, {len(data.citations)} citations, {len(data.sources)} sources, "
        f"{len(data.actors)} actors, {len(data.places)} places loaded; {len(data.rejects)} rejected"
    )
    print(summary(data))
    return 1 if data.rejects else 0


def summary(data: Dataset) -> str:
    """How well the events are sourced, and how many are drawn at a place they concern or an assumed one."""
    badges = corroboration(data)["badge"].value_counts() if len(data.events) else {}
    roles = data.events["place_role"].value_counts() if "place_role" in data.events else {}
    return (
        f"{len(data.events)} events: {badges.get(SINGLE, 0)} single-source, {badges.get(ONE_SIDE, 0)} one side only, "
        f"{badges.get(ACROSS, 0)} corroborated across sides; places: {roles.get('happened', 0)} where it happened, "
        f"{roles.get('assumed', 0)} assumed, {roles.get('concerns', 0)} what it concerns"
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `python -m geo.check | head` stopped reading: not an error in the data
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
