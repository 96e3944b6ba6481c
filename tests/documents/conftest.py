"""Helpers shared by the document tests: parse a string and check a segment's source map."""

from __future__ import annotations

import html
import json

import pytest

from storyguard.documents import parse_bytes


def _parse(path: str, text: str, fmt: str | None = None):
    document, _note = parse_bytes(path, text.encode("utf-8"), fmt)
    return document


def _segment_with(document, word: str, scope: str | None = None):
    """The first segment (optionally of `scope`) whose text contains `word`."""
    for segment in document.segments:
        if word in segment.text and (scope is None or segment.scope == scope):
            return segment
    raise AssertionError(
        f"no {scope or 'any'} segment contains {word!r}; segments: {[(s.scope, s.text) for s in document.segments]}"
    )


def _source_of(document, word: str, scope: str | None = None, occurrence: int = 0) -> tuple[int, int]:
    """Source span of the `occurrence`-th copy of `word` inside the first segment holding it."""
    segment = _segment_with(document, word, scope)
    start = -1
    for _ in range(occurrence + 1):
        start = segment.text.index(word, start + 1)
    return segment.source_span(start, start + len(word))


def _check_source_map(document) -> None:
    """The key property, checked for every character of every segment.

    - every span lies inside the file text and is ordered;
    - no source character is claimed by two segments;
    - a character mapped onto one source character is that character;
    - a non-space character mapped onto a longer source range decodes from it (an entity, a
      JSON escape, a Markdown backslash escape); plain text and .docx map every character to one.
    """
    decoder = DECODERS.get(document.format)
    source = document.text
    claimed: dict[int, tuple[str, str]] = {}  # source offset -> (scope, text) of the segment mapping onto it
    for segment in document.segments:
        previous_start = -1
        for i, char in enumerate(segment.text):
            x, y = segment.source_span(i, i + 1)
            assert 0 <= x <= y <= len(source), (segment.scope, segment.text, i, (x, y))
            assert x >= previous_start, f"source map goes backwards at {i} in {segment.text!r}"
            previous_start = x
            if char.isspace():
                continue
            if y - x == 1:
                assert source[x:y] == char, (segment.scope, segment.text, i, source[x:y])
                # No two segments map a character onto the same source character.
                owner = claimed.setdefault(x, (segment.scope, segment.text))
                assert owner == (segment.scope, segment.text), f"offset {x} claimed by {owner} and {segment.text!r}"
            elif segment.scope == "front-matter":
                continue  # a YAML scalar that is not verbatim is mapped as one collapsed run
            elif decoder is None:
                raise AssertionError(f"{document.format}: {char!r} maps to {source[x:y]!r}")
            else:
                # A collapsed run (`&bogus;` kept as text) maps each of its characters to the whole range.
                assert char in decoder(source[x:y]), (segment.scope, segment.text, i, source[x:y])
        # Whole-segment and empty spans are in range too.
        x, y = segment.source_span(0, len(segment.text))
        assert 0 <= x <= y <= len(source)
        x, y = segment.source_span(len(segment.text), len(segment.text))
        assert 0 <= x == y <= len(source)


def html_decoder(raw: str) -> str:
    return html.unescape(raw)


def markdown_decoder(raw: str) -> str:
    if len(raw) == 2 and raw[0] == "\\":
        return raw[1]
    return html.unescape(raw)


def json_decoder(raw: str) -> str:
    return json.loads(f'"{raw}"')


DECODERS = {"html": html_decoder, "markdown": markdown_decoder, "social-json": json_decoder}


@pytest.fixture(scope="session")
def parse():
    return _parse


@pytest.fixture(scope="session")
def segment_with():
    return _segment_with


@pytest.fixture(scope="session")
def source_of():
    return _source_of


@pytest.fixture(scope="session")
def check_source_map():
    return _check_source_map
