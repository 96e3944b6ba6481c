"""No rule may fail on the dev set, the examples or copy that trips the detectors' own helpers.

The engine turns a failing rule into a notice so one bug cannot take a run down; this test
makes sure such notices never hide a bug in the shipped rules.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_dev_set_and_examples_raise_no_rule_errors(rules_linter):
    report = rules_linter.lint_paths([str(REPO / "corpora" / "examples"), str(REPO / "corpora" / "eval" / "cases")])
    failures = [(f.path, n["message"]) for f in report.files for n in f.notices if n["kind"] == "rule-error"]
    assert failures == []


def test_first_name_without_any_child_word_does_not_recurse(rules_linter):
    # "Meet Bella" asks whether the copy mentions a child, which once asked for the details again.
    report = rules_linter.lint_bytes("page.txt", b"Meet Bella. She runs the bakery on the corner with Tom.")
    assert [n for n in report.notices if n["kind"] == "rule-error"] == []
