"""Sentence spans for English and Chinese prose (no `\\b` around Han text)."""

from __future__ import annotations

import bisect
import re

# A sentence ends at . ! ? (and their full-width forms), 。！？；…, or a line break;
# trailing quotes and brackets stay with the sentence they close.
_END = re.compile(r"(?:[.!?]+(?=\s|$)|[。！？；!?…]+|\n+)[\"'”’」』）)]*")


# Longer "sentences" (a list with no full stops, an alt text of repeated words) are cut into
# pieces at a clause break or space: context is looked for within a hit's sentence, and one
# unbounded sentence with many hits made that quadratic.
MAX_SENTENCE_CHARS = 600
_BREAK = re.compile(r"[,，、;；:：\s]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            spans.extend(_bounded(text, *_trim(text, start, end)))
        start = end
    if text[start:].strip():
        spans.extend(_bounded(text, *_trim(text, start, len(text))))
    return spans


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max((m.end() for m in _BREAK.finditer(text, limit - MAX_SENTENCE_CHARS // 3, limit)), default=limit)
        piece = _trim(text, start, cut)
        if piece[1] > piece[0]:
            pieces.append(piece)
        start = _trim(text, cut, end)[0]
    pieces.append((start, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence containing `offset`, or an empty span there if none does."""
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    if index >= 0 and spans[index][0] <= offset < spans[index][1]:
        return spans[index]
    return (offset, offset)
