"""Fixtures for the fix tests: a CLI runner in a scratch folder, a page with a geotagged photo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
IMAGES = REPO / "tests" / "rules" / "examples" / "img"


@pytest.fixture()
def geotagged(tmp_path):
    """A page referencing a copy of the geotagged example photo, in a fresh folder."""
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "lily.jpg").write_bytes((IMAGES / "geotagged.jpg").read_bytes())
    page = tmp_path / "page.md"
    page.write_text("# Lily\n\n![Lily at the well](img/lily.jpg)\n", encoding="utf-8")
    return page


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.fixture()
def cli(tmp_path):
    return lambda *args: run_cli(*args, cwd=tmp_path)
