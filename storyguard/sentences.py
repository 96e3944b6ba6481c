"""Sentence spans for English and Chinese prose (no `\\b` around Han text)."""

from __future__ import annotations

import bisect
import re

# A sentence ends at . ! ? (and their full-width forms), 。！？；…, or a line break;
# trailing quotes and brackets stay with the sentence they close.
_END = re.compile(r"(?:[.!?]+(?=\s|$)|[。！？；!?…]+|\n+)[\"'”’」』）)]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


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
