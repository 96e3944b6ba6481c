"""Every unsafe rewrite the lexicons offer settles: the replacement is not flagged again."""

from __future__ import annotations

import pytest

from lint_rules._details import LEXICONS
from storyguard.config import Config
from storyguard.engine import Linter
from storyguard.fixer import apply_edits, choose_fixes
from storyguard.lexicon import LexiconStore

STORE = LexiconStore()
CASES = [
    pytest.param(language, name, sentence, id=f"{name}-{language}-{index}")
    for language in ("en", "zh")
    for name, code in (("labels", "SG101"), ("share-bait", "SG301"))
    for index, sentence in enumerate(
        sentence for entry in STORE.terms(LEXICONS, language, name).entries for sentence in entry.examples.get("bad", [])
    )
]


@pytest.fixture(scope="module")
def linter(registry):
    return Linter(Config(model_enabled=False, select=("SG101", "SG301")), registry)


@pytest.mark.parametrize(("language", "name", "sentence"), CASES)
def test_rewrite_is_not_flagged_again(linter, language, name, sentence):
    code = {"labels": "SG101", "share-bait": "SG301"}[name]
    report = linter.lint_bytes("example.txt", sentence.encode("utf-8"))
    chosen, _deferred = choose_fixes(report, ("safe", "unsafe"))
    fixed = apply_edits(sentence, [edit for finding in chosen for edit in finding.fix.edits])
    again = linter.lint_bytes("example.txt", fixed.encode("utf-8"))
    assert [f.rule for f in again.findings if f.rule == code] == [], (sentence, fixed)
