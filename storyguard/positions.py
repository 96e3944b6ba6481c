"""Offsets, lines and columns.

Internally every position is a code-point offset into the decoded file text. Lines and
columns (1-based, columns in code points) are computed once, when a report is written.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class LineCol:
    offset: int
    line: int
    column: int


class LineIndex:
    """Maps code-point offsets to 1-based line/column. `\\r\\n`, `\\n` and lone `\\r` end lines."""

    def __init__(self, text: str) -> None:
        starts = [0]
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch == "\n":
                starts.append(i + 1)
            elif ch == "\r":
                if i + 1 < n and text[i + 1] == "\n":
                    i += 1
                starts.append(i + 1)
            i += 1
        self._starts = starts
        self._length = n
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
