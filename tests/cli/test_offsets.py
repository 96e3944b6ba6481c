"""Every finding's offsets slice exactly its excerpt out of the decoded file, and line/column agree,
across all formats in the bundled examples and the dev evaluation set."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyguard.documents.decode import decode_bytes
from storyguard.positions import LineIndex

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(
    [*REPO.glob("corpora/examples/*.*"), *REPO.glob("corpora/eval/cases/*/*.*")],
    key=str,
)


def test_corpus_present():
    assert len(FILES) > 200


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".json"])
def test_offsets_slice_excerpts(suffix, rules_linter):
    files = [path for path in FILES if path.suffix == suffix]
    report = rules_linter.lint_paths([str(path) for path in files]).to_dict()
    checked = 0
    for file in report["files"]:
        assert file["error"] is None, (file["path"], file["error"])
        text = decode_bytes(Path(file["path"]).read_bytes()).text
        index = LineIndex(text)
        for finding in file["findings"]:
            start, end = finding["start"], finding["end"]
            assert text[start["offset"]:end["offset"]] == finding["excerpt"]
            located = index.locate(start["offset"])
            assert (located.line, located.column) == (start["line"], start["column"])
            checked += 1
    assert checked > 0
