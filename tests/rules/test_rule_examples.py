"""Every rule's docstring examples are tests: Bad lines must be flagged by that rule, Good lines not."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyguard.config import Config
from storyguard.engine import Linter
from storyguard.registry import Registry

REGISTRY = Registry.from_entry_points()
EXAMPLES = Path(__file__).parent / "examples"
CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{example.kind}-{example.language}-{index}")
    for rule in REGISTRY.rules
    for index, example in enumerate(rule.examples)
]


@pytest.fixture(scope="module")
def linters():
    """One linter per rule (only that rule selected), built lazily and kept for the module."""
    cache: dict[str, Linter] = {}

    def get(rule):
        if rule.code not in cache:
            cache[rule.code] = Linter(Config(select=(rule.code,), model_enabled=rule.source == "classifier"), REGISTRY)
        return cache[rule.code]

    return get


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_docstring_example(rule, example, linters):
    if rule.source == "classifier":
        pytest.importorskip("torch", reason="the classifier examples need the ml extra")
    fmt = "markdown" if example.text.startswith("![") else "text"
    from storyguard.documents import parse_text

    # Examples live beside tests/rules/examples/, where the images they reference are.
    path = str(EXAMPLES / f"example.{fmt}")
    report = linters(rule).lint_document(parse_text(path, example.text, fmt), language=example.language, local_files=True)
    codes = [finding.rule for finding in report.findings]
    if example.kind == "bad":
        assert rule.code in codes, f"{rule.code} should flag: {example.text}"
    else:
        assert rule.code not in codes, f"{rule.code} should not flag: {example.text}"


def test_every_rule_documents_every_language():
    for rule in REGISTRY.rules:
        for language in rule.languages:
            kinds = {example.kind for example in rule.examples if example.language == language}
            assert kinds == {"bad", "good"}, (rule.code, language)


def test_codes_follow_category_ranges():
    ranges = {"labelling": "SG1", "identifying": "SG2", "traffic": "SG3", "consent": "SG4"}
    for rule in REGISTRY.rules:
        expected = "SG9" if rule.source == "classifier" else ranges[rule.category]
        assert rule.code.startswith(expected), rule.code
