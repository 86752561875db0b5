"""The rule a newcomer can hold: geo/ never imports streamlit, and the code passes ruff."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

GEO_MODULES = sorted(p.stem for p in (ROOT / "geo").glob("*.py") if p.stem != "__init__")


def test_geo_never_imports_streamlit():
    code = (
        "import importlib, sys\n"
        f"for name in {GEO_MODULES!r}: importlib.import_module('geo.' + name)\n"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.skipif(
    shutil.which("ruff", path=str(ROOT / ".venv" / "bin")) is None and shutil.which("ruff") is None,
    reason="ruff not installed",
)
def test_ruff_passes():
    ruff = shutil.which("ruff", path=str(ROOT / ".venv" / "bin")) or shutil.which("ruff")
    result = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_every_link_the_readme_shows_is_tested_in_the_browser():
    """Keep the README's link forms and the browser test of them in step."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"^    (/\S*)$", readme, re.M))
    tested = (ROOT / "tests" / "test_browser.py").read_text(encoding="utf-8")
    missing = [link for link in shown if f'"{link}"' not in tested]
    assert shown and not missing, missing
