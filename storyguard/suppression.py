"""Inline suppression comments, the same in every format.

    <!-- storyguard-disable-next-line SG201 -->      (Markdown, HTML; any comment syntax works)
    <!-- storyguard-disable-line SG201 -->           (this line)
    <!-- storyguard-disable SG1 --> ... <!-- storyguard-enable -->
    Some text  storyguard: ignore[SG201] reason       (same line)

Codes may be codes, prefixes, names or categories; no codes means all rules. Directives
that suppress nothing are reported, so stale ones do not pile up (ruff's RUF100).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .positions import LineIndex
from .registry import _specificity
from .rules import Rule

_DIRECTIVE = re.compile(
    r"storyguard-(?P<kind>disable-next-line|disable-line|disable|enable)(?![\w-])(?P<codes>(?:[ \t]+[A-Za-z][\w-]*)*)"
    r"|storyguard:[ \t]*ignore(?:\[(?P<ignore_codes>[^\]\r\n]*)\])?"
)


@dataclass
class Directive:
    offset: int
    end: int
    kind: str  # next-line, block, same-line
    codes: tuple[str, ...]
    lines: tuple[int, int]  # 1-based inclusive range of lines it covers
    used: bool = False


@dataclass
class Suppressions:
    directives: list[Directive] = field(default_factory=list)

    def suppresses(self, rule: type[Rule], line: int) -> bool:
        hit = False
        for directive in self.directives:
            if directive.lines[0] <= line <= directive.lines[1]:
                if not directive.codes or any(_specificity(code, rule) is not None for code in directive.codes):
                    directive.used = True
                    hit = True
        return hit

    def unused(self) -> list[Directive]:
        return [directive for directive in self.directives if not directive.used]


def parse_suppressions(text: str, index: LineIndex) -> Suppressions:
    suppressions = Suppressions()
    open_blocks: list[tuple[int, tuple[str, ...], int]] = []
    last_line = index.locate(len(text)).line
    for match in _DIRECTIVE.finditer(text):
        line = index.locate(match.start()).line
        if match.group("kind") == "disable-next-line":
            codes = tuple(match.group("codes").split())
            suppressions.directives.append(Directive(match.start(), match.end(), "next-line", codes, (line + 1, line + 1)))
        elif match.group("kind") == "disable":
            open_blocks.append((match.start(), tuple(match.group("codes").split()), line))
        elif match.group("kind") == "disable-line":
            codes = tuple(match.group("codes").split())
            suppressions.directives.append(Directive(match.start(), match.end(), "same-line", codes, (line, line)))
        elif match.group("kind") == "enable":
            if open_blocks:
                start, codes, first = open_blocks.pop()
                suppressions.directives.append(Directive(start, match.end(), "block", codes, (first, line)))
        else:
            codes = tuple(code.strip() for code in (match.group("ignore_codes") or "").split(",") if code.strip())
            suppressions.directives.append(Directive(match.start(), match.end(), "same-line", codes, (line, line)))
    for start, codes, first in open_blocks:
        suppressions.directives.append(Directive(start, start, "block", codes, (first, last_line)))
    return suppressions
