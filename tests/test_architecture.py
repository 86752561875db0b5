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
