"""A JSON reader that remembers where every string came from.

The stdlib `json` module forgets positions, and findings must point into the raw file, so
this small iterative parser (no recursion: hostile files nest 10,000 levels deep) returns
ordinary Python values whose strings are `SourcedString`s carrying their raw span.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from .model import SegmentBuilder

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_PLAIN = re.compile(r'[^"\\\x00-\x1f]*')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class SourcedString(str):
    """A decoded JSON string plus the raw span of its content (quotes excluded)."""

    raw_start: int
    raw_end: int
    # (decoded index, raw start, raw end) of every escape sequence, for the source map.
    escapes: tuple[tuple[int, int, int], ...]

    def add_to(self, builder: SegmentBuilder) -> None:
        decoded_cursor, raw_cursor = 0, self.raw_start
        for index, raw_start, raw_end in self.escapes:
            builder.add_verbatim(self[decoded_cursor:index], raw_cursor)
            builder.add_replacement(self[index:index + 1], raw_start, raw_end)
            decoded_cursor, raw_cursor = index + 1, raw_end
        builder.add_verbatim(self[decoded_cursor:], raw_cursor)


def _error(text: str, position: int, problem: str) -> InputError:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return InputError(f"malformed JSON at line {line}, column {column}: {problem}", kind="parse")


def _read_string(text: str, position: int) -> tuple[SourcedString, int]:
    """`position` is just after the opening quote; returns the string and the index after the closing quote."""
    start = position
    parts: list[str] = []
    escapes: list[tuple[int, int, int]] = []
    length = 0
    while True:
        plain = _PLAIN.match(text, position)
        chunk = plain.group()
        parts.append(chunk)
        length += len(chunk)
        position = plain.end()
        if position >= len(text):
            raise _error(text, start - 1, "unterminated string")
        char = text[position]
        if char == '"':
            break
        if char != "\\":
            raise _error(text, position, "control character in string")
        code = text[position + 1:position + 2]
        if code in _ESCAPES:
            parts.append(_ESCAPES[code])
            escapes.append((length, position, position + 2))
            length += 1
            position += 2
        elif code == "u":
            hex_digits = text[position + 2:position + 6]
            if not re.fullmatch(r"[0-9a-fA-F]{4}", hex_digits):
                raise _error(text, position, "bad \\u escape")
            value = int(hex_digits, 16)
            end = position + 6
            if 0xD800 <= value <= 0xDBFF and text[end:end + 2] == "\\u" and re.fullmatch(r"[dD][c-fC-F][0-9a-fA-F]{2}", text[end + 2:end + 6]):
                low = int(text[end + 2:end + 6], 16)
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                end += 6
            parts.append(chr(value))
            escapes.append((length, position, end))
            length += 1
            position = end
        else:
            raise _error(text, position, f"bad escape \\{code}")
    result = SourcedString("".join(parts))
    result.raw_start, result.raw_end, result.escapes = start, position, tuple(escapes)
    return result, position + 1


def loads_with_positions(text: str, start: int = 0, end: int | None = None, *, max_depth: int = 512) -> Any:
    """Parse one JSON value from text[start:end] (surrounding whitespace allowed)."""
    end = len(text) if end is None else end
    position = _WHITESPACE.match(text, start).end()
    stack: list[Any] = []  # containers under construction
    keys: list[str | None] = []
    value: Any = None
    while True:
        if position >= end:
            raise _error(text, position, "unexpected end of input")
        char = text[position]
        have_value = True
        if char == "{" or char == "[":
            if len(stack) >= max_depth:
                raise _error(text, position, f"nesting deeper than {max_depth} levels")
            stack.append({} if char == "{" else [])
            keys.append(None)
            position = _WHITESPACE.match(text, position + 1).end()
            closer = "}" if char == "{" else "]"
            if position < end and text[position] == closer:
                value = stack.pop()
                keys.pop()
                position += 1
            elif char == "{":
                have_value = False
                position = _read_key(text, position, end, keys)
                continue
            else:
                continue
        elif char == '"':
            value, position = _read_string(text, position + 1)
        elif text.startswith("true", position):
            value, position = True, position + 4
        elif text.startswith("false", position):
            value, position = False, position + 5
        elif text.startswith("null", position):
            value, position = None, position + 4
        else:
            number = _NUMBER.match(text, position)
            if not number or number.end() == position:
                raise _error(text, position, f"unexpected character {char!r}")
            literal = number.group()
            value = float(literal) if any(c in literal for c in ".eE") else int(literal)
            position = number.end()
        # A value is complete: attach it, then close as many containers as the input says.
        while have_value:
            position = _WHITESPACE.match(text, position).end()
            if not stack:
                if position != end and text[position:end].strip():
                    raise _error(text, position, "extra data after the JSON value")
                return value
            container = stack[-1]
            if isinstance(container, dict):
                container[keys[-1]] = value
            else:
                container.append(value)
            if position >= end:
                raise _error(text, position, "unexpected end of input")
            char = text[position]
            closer = "}" if isinstance(container, dict) else "]"
            if char == ",":
                position = _WHITESPACE.match(text, position + 1).end()
                if isinstance(container, dict):
                    position = _read_key(text, position, end, keys)
                break
            if char == closer:
                value = stack.pop()
                keys.pop()
                position += 1
                continue
            raise _error(text, position, f"expected ',' or {closer!r}")


def _read_key(text: str, position: int, end: int, keys: list[str | None]) -> int:
    if position >= end or text[position] != '"':
        raise _error(text, position, "expected a string key")
    key, position = _read_string(text, position + 1)
    position = _WHITESPACE.match(text, position).end()
    if position >= end or text[position] != ":":
        raise _error(text, position, "expected ':' after key")
    keys[-1] = str(key)
    return _WHITESPACE.match(text, position + 1).end()
