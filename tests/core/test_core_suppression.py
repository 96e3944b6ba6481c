"""Inline suppressions: next-line, blocks, same-line ignores, and unused-directive reporting."""

from __future__ import annotations

import pytest

from lint_rules.identifying import ChildFullName, ChildLocation
from lint_rules.labelling import RULES as LABELLING_RULES
from storyguard.positions import LineIndex
from storyguard.suppression import parse_suppressions

PITY = LABELLING_RULES[0]  # SG101, another category


def parse(text: str):
    return parse_suppressions(text, LineIndex(text))


def test_rules_used_here():
    assert (ChildFullName.code, ChildFullName.name, ChildFullName.category) == ("SG201", "child-full-name", "identifying")
    assert ChildLocation.code == "SG202"
    assert PITY.code.startswith("SG1")


def test_disable_next_line_covers_only_the_next_line():
    text = "line one\n<!-- storyguard-disable-next-line SG201 -->\nLily Chen, 7\nLily Chen again\n"
    suppressions = parse(text)
    assert not suppressions.suppresses(ChildFullName, 2)
    assert suppressions.suppresses(ChildFullName, 3)
    assert not suppressions.suppresses(ChildFullName, 4)
    assert not suppressions.suppresses(ChildLocation, 3)
    (directive,) = suppressions.directives
    assert directive.kind == "next-line"
    assert directive.codes == ("SG201",)
    assert text[directive.offset:directive.end] == "storyguard-disable-next-line SG201"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_follow_any_line_ending(newline):
    text = newline.join(["a", "<!-- storyguard-disable-next-line SG201 -->", "Lily Chen", "b"])
    suppressions = parse(text)
    assert [suppressions.suppresses(ChildFullName, line) for line in (1, 2, 3, 4)] == [False, False, True, False]


@pytest.mark.parametrize("selector", ["SG201", "SG2", "child-full-name", "identifying", "sg201"])
def test_selectors_may_be_codes_prefixes_names_or_categories(selector):
    suppressions = parse(f"<!-- storyguard-disable-next-line {selector} -->\nLily Chen\n")
    assert suppressions.suppresses(ChildFullName, 2)
    assert not suppressions.suppresses(PITY, 2)


def test_no_codes_means_every_rule():
    suppressions = parse("<!-- storyguard-disable-next-line -->\ntext\n")
    assert suppressions.suppresses(ChildFullName, 2)
    assert suppressions.suppresses(PITY, 2)


def test_several_codes():
    suppressions = parse("<!-- storyguard-disable-next-line SG201 SG101 -->\ntext\n")
    assert suppressions.suppresses(ChildFullName, 2)
    assert suppressions.suppresses(PITY, 2)
    assert not suppressions.suppresses(ChildLocation, 2)


def test_disable_enable_block():
    text = "\n".join([
        "before",                                 # 1
        "<!-- storyguard-disable SG201 -->",     # 2
        "Lily Chen",                              # 3
        "Ming Wang",                              # 4
        "<!-- storyguard-enable -->",            # 5
        "after Lily Chen",                        # 6
    ])
    suppressions = parse(text)
    assert [suppressions.suppresses(ChildFullName, line) for line in range(1, 7)] == [False, True, True, True, True, False]
    assert not suppressions.suppresses(PITY, 3)
    (directive,) = suppressions.directives
    assert (directive.kind, directive.lines) == ("block", (2, 5))


def test_unclosed_block_runs_to_end_of_file():
    text = "a\n<!-- storyguard-disable -->\nb\nc\nd"
    suppressions = parse(text)
    assert suppressions.suppresses(PITY, 5)
    assert not suppressions.suppresses(PITY, 1)
    (directive,) = suppressions.directives
    assert directive.lines == (2, 5)


def test_enable_without_disable_is_ignored():
    suppressions = parse("<!-- storyguard-enable -->\ntext\n")
    assert suppressions.directives == []
    assert not suppressions.suppresses(ChildFullName, 2)


def test_nested_blocks_close_innermost_first():
    text = "\n".join([
        "<!-- storyguard-disable SG1 -->",   # 1
        "<!-- storyguard-disable SG201 -->", # 2
        "x",                                  # 3
        "<!-- storyguard-enable -->",        # 4  closes SG201
        "y",                                  # 5
        "<!-- storyguard-enable -->",        # 6  closes SG1
        "z",                                  # 7
    ])
    suppressions = parse(text)
    assert suppressions.suppresses(ChildFullName, 3)
    assert not suppressions.suppresses(ChildFullName, 5)
    assert suppressions.suppresses(PITY, 5)
    assert not suppressions.suppresses(PITY, 7)


def test_same_line_ignore_with_reason():
    text = "Lily Chen is 7.  storyguard: ignore[SG201] name changed, consent on file\nLily Chen again\n"
    suppressions = parse(text)
    assert suppressions.suppresses(ChildFullName, 1)
    assert not suppressions.suppresses(ChildFullName, 2)
    assert not suppressions.suppresses(PITY, 1)
    (directive,) = suppressions.directives
    assert (directive.kind, directive.codes) == ("same-line", ("SG201",))


def test_same_line_ignore_lists_and_bare_ignore():
    suppressions = parse("a storyguard: ignore[SG201, SG101]\nb storyguard:ignore\n")
    assert suppressions.suppresses(ChildFullName, 1) and suppressions.suppresses(PITY, 1)
    assert not suppressions.suppresses(ChildLocation, 1)
    assert suppressions.suppresses(ChildLocation, 2)  # no codes: every rule


def test_unused_directives_are_reported():
    text = "<!-- storyguard-disable-next-line SG201 -->\nLily Chen\n<!-- storyguard-disable-next-line SG101 -->\nfine text\n"
    suppressions = parse(text)
    assert len(suppressions.unused()) == 2
    assert suppressions.suppresses(ChildFullName, 2)
    (unused,) = suppressions.unused()
    assert unused.codes == ("SG101",)
    assert unused.lines == (4, 4)
    # A directive that is asked about but does not match the rule stays unused.
    assert not suppressions.suppresses(ChildFullName, 4)
    assert len(suppressions.unused()) == 1


def test_text_without_directives():
    suppressions = parse("storyguard is a linter; disable nothing here.\n")
    assert suppressions.directives == []
    assert suppressions.unused() == []


def test_misspelt_directive_does_not_disable_everything():
    text = "<!-- storyguard-disable-line SG201 -->\nLily Chen\nsad poor helpless child\n"
    suppressions = parse(text)
    assert not suppressions.suppresses(PITY, 3)
