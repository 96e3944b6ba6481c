"""The contract every hostile input is held to, shared by the robustness tests.

Whatever the bytes, linting them returns a FileReport (an `error` entry for unreadable
input), every finding's offsets lie inside the decoded file and slice out its excerpt, line
and column agree with the offset, and the JSON report validates against the shipped schema.
"""

from __future__ import annotations

import pytest

from storyguard import __version__
from storyguard.documents.decode import decode_bytes
from storyguard.positions import LineIndex
from storyguard.report import FileReport, Report


def check_report_entry(file: FileReport, validator, data: bytes | None = None) -> None:
    report = Report([file], __version__).to_dict()
    problems = list(validator.iter_errors(report))
    assert not problems, f"{problems[0].json_path}: {problems[0].message}"
    entry = report["files"][0]
    if file.error is not None:
        assert not file.findings, file.error
        return
    if data is not None and file.format != "docx":
        # Offsets must point into the file as the user's editor decodes it, not some other text.
        assert file.text == decode_bytes(data).text
    text, index = file.text, LineIndex(file.text)

    def check_position(position: dict, offset: int) -> None:
        assert 0 <= offset <= len(text), (offset, len(text))
        located = index.locate(offset)
        assert position == {"offset": offset, "line": located.line, "column": located.column}

    for finding, out in zip(file.findings, entry["findings"], strict=True):
        assert 0 <= finding.start <= finding.end <= len(text), (finding.rule, finding.start, finding.end, len(text))
        assert out["excerpt"] == text[finding.start:finding.end]
        check_position(out["start"], finding.start)
        check_position(out["end"], finding.end)
        for edit in (finding.fix.edits if finding.fix else ()):
            assert 0 <= edit.start <= edit.end <= len(text), (finding.rule, edit)
    for notice, raw in zip(entry["notices"], file.notices, strict=True):
        if "offset" in raw:
            check_position(notice["start"], raw["offset"])


@pytest.fixture(scope="session")
def lint_soundly(rules_linter, report_validator):
    """Lint bytes as the CLI would (model-free) and check the result against the contract."""

    def lint(path: str, data: bytes, fmt: str | None = None) -> FileReport:
        file = rules_linter.lint_bytes(path, data, fmt)
        check_report_entry(file, report_validator, data)
        return file

    return lint
