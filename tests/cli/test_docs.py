"""docs/rules.md is generated from the rule classes; this fails when it is stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_rules_doc_is_current():
    generated = subprocess.run(
        [sys.executable, "-m", "cli.main", "rules", "--format", "markdown"], capture_output=True, text=True, cwd=REPO, check=True,
    ).stdout
    committed = (REPO / "docs" / "rules.md").read_text("utf-8")
    assert committed == generated, "docs/rules.md is stale: run `make docs`"
