"""Many visitors, the short version for CI: two waves of five browsers opening different shared
links at once, each then changing a filter (``tools/load_test.py``; the full run and its
figures are in README's "Many visitors")."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.async_api")

VISITORS, WAVES = 5, 2


def _load_test_module():
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "tools" / "load_test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_visitors_arriving_together_all_get_a_map_without_errors_and_memory_levels_off():
    load_test = _load_test_module()
    assert Path(load_test.CHROMIUM).exists(), "chromium missing: run `bash .ci/setup` (apt-get install chromium)"
    assert len({link for link, _ in load_test.LINKS}) >= VISITORS * WAVES  # a different link each
    res = load_test.run(VISITORS, WAVES, timeout_s=170)
    print(load_test.report(res))
    assert res["errors"] == []
    assert res["drawn_maps"] == VISITORS * WAVES, [v for v in res["per_visitor"] if v["map_s"] is None]
    assert res["filter_changes"] == VISITORS * WAVES
    for v in res["per_visitor"]:
        assert v["count_after"] != v["count_before"], v  # the filter change reached the page
    first, second = res["rss_mb_after_wave"]
    assert second <= 1.5 * first + 100, res["rss_mb_after_wave"]
