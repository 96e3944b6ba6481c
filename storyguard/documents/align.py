"""Aligning decoded text with the raw source it came from.

Parsers hand us decoded strings (entities resolved, escapes removed, markup stripped) and
the raw range they came from. Walking both together gives an exact source map without
ever searching the source for the text: equal characters map one to one, entities and
escapes map as a unit, skippable raw characters (markup, stripped indentation) are
stepped over, and anything else is bridged by re-synchronising a few characters on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from .model import SegmentBuilder

_ENTITY = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
MARKDOWN_SKIPPABLE = frozenset(" \t\r\n*_~`[]()!<>#|>")
WHITESPACE_SKIPPABLE = frozenset(" \t\r\n\"'")
_RESYNC_WINDOW = 48
_RESYNC_LENGTH = 3


def align_decoded(
    builder: SegmentBuilder,
    decoded: str,
    source: str,
    raw_start: int,
    raw_end: int,
    *,
    offsets: list[int] | None = None,
    backslash_escapes: bool = False,
    skippable: frozenset[str] = frozenset(),
) -> int:
    """Append `decoded` to `builder`, mapped onto source[raw_start:raw_end].

    `offsets`, when given, maps raw indices to source offsets (the raw text is then not a
    contiguous slice of the file, e.g. Markdown lines stripped of their `> ` prefixes); it
    has one entry more than the raw text, for the end. Returns the raw index reached.
    """
    src: Callable[[int], int] = (lambda j: offsets[j]) if offsets is not None else (lambda j: j)
    i, j, n = 0, raw_start, len(decoded)
    run_i, run_j = 0, raw_start

    def flush() -> None:
        if i > run_i:
            _add_raw_run(builder, decoded[run_i:i], run_j, src, offsets is not None)

    while i < n:
        char = decoded[i]
        if j < raw_end and source[j] == char and not (char == "&" and _entity_at(source, j, raw_end, decoded, i)) \
                and not (backslash_escapes and char == "\\" and _escape_at(source, j, raw_end, decoded, i)):
            i, j = i + 1, j + 1
            continue
        flush()
        if backslash_escapes and _escape_at(source, j, raw_end, decoded, i):
            builder.add_replacement(char, src(j), src(j + 1) + 1)
            i, j = i + 1, j + 2
        elif j < raw_end and source[j] == "&" and _entity_at(source, j, raw_end, decoded, i):
            match = _ENTITY.match(source, j, raw_end)
            value = html.unescape(match.group())
            builder.add_replacement(value, src(j), src(match.end() - 1) + 1)
            i, j = i + len(value), match.end()
        elif j < raw_end and source[j] in skippable:
            j += 1
        else:
            resync = _resync(decoded, i, source, j, raw_end)
            if resync is None:
                break
            consumed, target = resync
            end = src(target - 1) + 1 if target > j else src(j)
            builder.add_replacement(decoded[i:i + consumed], src(j) if j < raw_end else end, end)
            i, j = i + consumed, target
        run_i, run_j = i, j
    else:
        flush()
        return j
    # Nothing lines up any more: one collapsed run over what is left of the raw range.
    start = src(min(j, raw_end))
    builder.add_replacement(decoded[i:], start, max(start, src(raw_end)))
    return raw_end


def _resync(decoded: str, i: int, source: str, j: int, raw_end: int) -> tuple[int, int] | None:
    """Decoded characters to consume and the raw index where the two texts agree again."""
    for consumed in (1, 2, 3):
        if i + consumed > len(decoded):
            break
        tail = decoded[i + consumed: i + consumed + _RESYNC_LENGTH]
        if not tail:
            return consumed, raw_end  # the decoded text ends: the rest of the raw range is its source
        found = source.find(tail, j + 1, min(raw_end, j + _RESYNC_WINDOW + len(tail)))
        if found != -1:
            return consumed, found
    return None


def _escape_at(source: str, j: int, raw_end: int, decoded: str, i: int) -> bool:
    return j + 1 < raw_end and source[j] == "\\" and source[j + 1] == decoded[i] and decoded[i] in _ASCII_PUNCTUATION


def _entity_at(source: str, j: int, raw_end: int, decoded: str, i: int) -> bool:
    """True when an entity starts at source[j] and decodes to what decoded[i:] holds."""
    match = _ENTITY.match(source, j, raw_end)
    if not match or match.end() - j < 2:
        return False
    value = html.unescape(match.group())
    return value != match.group() and decoded.startswith(value, i)


def _add_raw_run(builder: SegmentBuilder, text: str, raw_j: int, src: Callable[[int], int], indirect: bool) -> None:
    if not indirect:
        builder.add_verbatim(text, raw_j)
        return
    # Through an offset table consecutive raw characters may jump (a stripped line prefix).
    start = 0
    for k in range(1, len(text) + 1):
        if k == len(text) or src(raw_j + k) != src(raw_j + k - 1) + 1:
            builder.add_verbatim(text[start:k], src(raw_j + start))
            start = k
