"""Plain text: one segment per paragraph (blank-line separated), mapped verbatim."""

from __future__ import annotations

import re

from .model import Document, verbatim_segment

_PARAGRAPH_BREAK = re.compile(r"(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)\s*")


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Half-open spans of the non-blank paragraphs in text[start:end]."""
    end = len(text) if end is None else end
    spans = []
    cursor = start
    for match in _PARAGRAPH_BREAK.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def parse_text(path: str, text: str) -> Document:
    document = Document(path=path, format="text", text=text)
    for start, end in paragraph_spans(text):
        segment = verbatim_segment(text[start:end], start, "paragraph")
        if segment is not None:
            document.segments.append(segment)
    return document
