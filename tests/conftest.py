"""Shared fixtures: the real curated data, loaded once."""

from __future__ import annotations

import shutil
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


def pytest_terminal_summary(terminalreporter):
    shots = sorted((ROOT / "test-artifacts").rglob("*.png"))
    if shots:
        terminalreporter.write_line(f"screenshots: {len(shots)} in {ROOT / 'test-artifacts'}")
