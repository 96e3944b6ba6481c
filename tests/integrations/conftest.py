"""Fixtures for the integration tests: sample drafts, the CLI, a synthetic report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# absolute(), not resolve(): the repository may be reached through a symlink.
REPO = Path(__file__).absolute().parents[2]
SHARED_SCHEMAS = REPO.parent / "shared" / "schemas"

# A made-up child: the name must never appear in CI output unless redaction is switched off.
CHILD_NAME = "Emma Johnson"
EN_DRAFT = (
    "# Winter appeal\n\n"
    f"Share to save little {CHILD_NAME}, 7, from Maple Village School! This poor orphan is a victim.\n"
)
ZH_DRAFT = "# 冬季募捐\n\n转发救救可怜的留守儿童王小明，8岁，住在石桥村，就读于石桥村小学。\n"


def pytest_configure(config: pytest.Config) -> None:
    # pyproject.toml is not ours to edit; register the marker here.
    config.addinivalue_line("markers", "slow: takes longer than a few seconds (network, browsers, venv builds)")


def _run_cli(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], input=stdin, capture_output=True, cwd=cwd or REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120, check=False,
    )


@pytest.fixture(scope="session")
def run_cli():
    """`storyguard ARGS...` as a subprocess of this interpreter, with the repository importable."""
    return _run_cli


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture()
def drafts(tmp_path: Path) -> Path:
    (tmp_path / "appeal.md").write_text(EN_DRAFT, "utf-8")
    (tmp_path / "募捐.md").write_text(ZH_DRAFT, "utf-8")
    return tmp_path


@pytest.fixture(scope="session")
def samples() -> dict[str, str]:
    return {"child_name": CHILD_NAME, "en": EN_DRAFT, "zh": ZH_DRAFT}


@pytest.fixture(scope="session")
def sarif_schema_path() -> Path:
    path = SHARED_SCHEMAS / "sarif-schema-2.1.0.json"
    if not path.is_file():
        pytest.skip(f"SARIF schema not found at {path} (it ships in the shared folder next to the repository)")
    return path
