"""The JSON report, SARIF and the hook server's /v1/lint carry the very edits `fix` applies."""

from __future__ import annotations

import json

import pytest

from storyguard.config import Config
from storyguard.engine import Linter
from stories import STORY_EN, STORY_ZH

pytest.importorskip("starlette", reason="the hook server needs the serve extra")
from starlette.testclient import TestClient  # noqa: E402

from cli.server import create_app  # noqa: E402

PAGE = "# Help\n\n" + STORY_EN + "\n" + STORY_ZH


@pytest.fixture(scope="module")
def linter(registry):
    return Linter(Config(model_enabled=False), registry)


def edits_of_json(report: dict) -> list[tuple[int, int, str]]:
    return sorted(
        (e["start"]["offset"], e["end"]["offset"], e["replacement"])
        for file in report["files"] for f in file["findings"] if f.get("fix") for e in f["fix"]["edits"]
    )


def test_json_sarif_and_server_edits_match_fix(tmp_path, linter, cli):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")

    from_json = edits_of_json(json.loads(cli("check", "--no-model", "--format", "json", "--fail-on", "never", "page.md").stdout))
    sarif = json.loads(cli("check", "--no-model", "--format", "sarif", "--fail-on", "never", "page.md").stdout)
    from_sarif = sorted(
        (r["deletedRegion"]["charOffset"], r["deletedRegion"]["charOffset"] + r["deletedRegion"]["charLength"],
         r["insertedContent"]["text"])
        for result in sarif["runs"][0]["results"] for fix in result.get("fixes", [])
        for change in fix["artifactChanges"] for r in change["replacements"]
    )
    with TestClient(create_app(lambda: linter, warm_up=False)) as client:
        response = client.post("/v1/lint", json={"content": PAGE, "format": "markdown", "filename": "page.md"})
    from_server = edits_of_json(response.json())

    # What `fix` applies: the edits of the findings of this very report.
    report = linter.lint_bytes(str(page), page.read_bytes())
    every_edit = sorted((e.start, e.end, e.replacement) for f in report.findings if f.fix for e in f.fix.edits)
    assert from_json == from_sarif == from_server == every_edit
    assert len(every_edit) >= 8
