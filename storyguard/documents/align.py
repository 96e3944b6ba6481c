"""Aligning decoded text with the raw source it came from.

Parsers hand us decoded strings (entities resolved, escapes removed) and the raw range they
were decoded from. Walking both together gives an exact source map without ever searching
the source for the text.
"""

from __future__ import annotations

import html
import re

from .model import SegmentBuilder

_ENTITY = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)")
_ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def align_decoded(
    builder: SegmentBuilder,
    decoded: str,
    source: str,
    raw_start: int,
    raw_end: int,
    *,
    offsets: list[int] | None = None,
    backslash_escapes: bool = False,
) -> int:
    """Append `decoded` to `builder`, mapped onto source[raw_start:raw_end].

    `offsets`, when given, maps raw indices to source offsets (the raw text is then not a
    contiguous slice of the file, e.g. Markdown lines stripped of their `> ` prefixes); it
    has one entry more than the raw text, for the end.
    Returns the raw index reached. Where the two texts cannot be aligned (the decoder did
    something unforeseen) the rest is mapped as one collapsed run, which keeps every
    offset inside the right source range.
    """

    def src(j: int) -> int:
        return offsets[j] if offsets is not None else j

    i, j, n = 0, raw_start, len(decoded)
    run_start_i, run_start_j = 0, raw_start

    def flush_run() -> None:
        if i > run_start_i:
            _add_raw_run(builder, decoded[run_start_i:i], run_start_j, src, offsets is not None)

    while i < n:
        if j < raw_end and source[j] == decoded[i] and not (source[j] == "&" and _entity_at(source, j, raw_end, decoded, i)):
            i += 1
            j += 1
            continue
        flush_run()
        if backslash_escapes and j + 1 < raw_end and source[j] == "\\" and source[j + 1] == decoded[i] and decoded[i] in _ASCII_PUNCTUATION:
            builder.add_replacement(decoded[i], src(j), src(j + 1) + 1)
            i, j = i + 1, j + 2
        elif j < raw_end and source[j] == "&" and (match := _ENTITY.match(source, j, raw_end)):
            value = html.unescape(match.group())
            if value and decoded.startswith(value, i):
                builder.add_replacement(value, src(j), src(match.end() - 1) + 1)
                i, j = i + len(value), match.end()
            else:
                break
        else:
            break
        run_start_i, run_start_j = i, j
    else:
        flush_run()
        return j
    # Unalignable remainder: one collapsed run over about as much raw text as is left to place.
    stop = min(raw_end, j + (n - i))
    start = src(min(j, raw_end))
    builder.add_replacement(decoded[i:], start, max(start, src(stop)))
    return stop


def _entity_at(source: str, j: int, raw_end: int, decoded: str, i: int) -> bool:
    """True when an entity starts at source[j] and decodes to what decoded[i:] holds."""
    match = _ENTITY.match(source, j, raw_end)
    if not match or match.end() - j < 2:
        return False
    value = html.unescape(match.group())
    return value != match.group() and decoded.startswith(value, i)


def _add_raw_run(builder: SegmentBuilder, text: str, raw_j: int, src, indirect: bool) -> None:
    if not indirect:
        builder.add_verbatim(text, raw_j)
        return
    # Through an offset table consecutive raw characters may jump (a stripped line prefix).
    start = 0
    for k in range(1, len(text) + 1):
        if k == len(text) or src(raw_j + k) != src(raw_j + k - 1) + 1:
            builder.add_verbatim(text[start:k], src(raw_j + start))
            start = k
