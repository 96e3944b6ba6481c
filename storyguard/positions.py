"""Offsets, lines and columns.

Internally every position is a code-point offset into the decoded file text. Lines and
columns (1-based, columns in code points) are computed once, when a report is written.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class LineCol:
    offset: int
    line: int
    column: int


class LineIndex:
    """Maps code-point offsets to 1-based line/column. `\\r\\n`, `\\n` and lone `\\r` end lines."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(match.end() for match in _LINE_END.finditer(text))]
        self._length = len(text)
        self._text = text

    def locate(self, offset: int) -> LineCol:
        offset = max(0, min(offset, self._length))
        line = bisect.bisect_right(self._starts, offset) - 1
        return LineCol(offset, line + 1, offset - self._starts[line] + 1)

    def line_bounds(self, line: int) -> tuple[int, int]:
        """Half-open offsets of a 1-based line, without its line terminator."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else self._length
        while end > start and self._text[end - 1] in "\r\n":
            end -= 1
        return start, end


def display_width(text: str) -> int:
    """Terminal cells: East Asian wide and fullwidth characters take two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width
