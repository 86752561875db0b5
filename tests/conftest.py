"""Shared fixtures: the real curated data, loaded once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.filters import EventIndex
from geo.load import DATA_DIR, Dataset, load_dataset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def data() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def index(data: Dataset) -> EventIndex:
    return EventIndex.build(data)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (with the article texts) to break in one place."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The app served on loopback for one test module (tests/browser_harness.py)."""
    from tests.browser_harness import served_app

    try:
        with served_app() as base:
            yield base
    except RuntimeError as err:
        pytest.fail(str(err))


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, for one test module."""
    from tests.browser_harness import ARGS, CHROMIUM

    playwright_api = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: run `bash .ci/setup` (apt-get install chromium)"
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def pytest_terminal_summary(terminalreporter):
    shots = sorted((ROOT / "test-artifacts").rglob("*.png"))
    if shots:
        terminalreporter.write_line(f"screenshots: {len(shots)} in {ROOT / 'test-artifacts'}")


INGEST_FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


@pytest.fixture(scope="session")
def imported_store_dir(tmp_path_factory) -> Path:
    """A store imported from every fixture file: 13 events (acled 4, ucdp 3, gdelt 3, timemap 3)."""
    from geo.ingest import ingest_file

    store = tmp_path_factory.mktemp("imported-store")
    for name, fmt in [
        ("acled_2022.csv", "acled"),
        ("acled_2022_update.csv", "acled"),
        ("ucdp_ged.csv", "ucdp"),
        ("gdelt_20220915.export.CSV", "gdelt"),
        ("timemap_events.json", "timemap"),
    ]:
        ingest_file(INGEST_FIXTURES / name, fmt, store)
    return store
