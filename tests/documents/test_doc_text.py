"""Plain text: blank-line separated paragraphs, mapped verbatim; format dispatch and sniffing."""

from __future__ import annotations

import pytest

from storyguard.documents import parse_bytes, sniff_format
from storyguard.errors import InputError


def test_paragraphs_split_on_blank_lines(parse):
    document = parse("a.txt", "First para\nstill first.\n\nSecond para.\n\n\n  Third.\n")
    assert [segment.text.strip() for segment in document.segments] == ["First para\nstill first.", "Second para.", "Third."]
    assert {segment.scope for segment in document.segments} == {"paragraph"}
    assert document.format == "text"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_paragraph_break_with_any_line_ending(parse, newline):
    source = newline.join(["One 孩子 😀 alpha", "", "Two beta", " \t", "Three gamma"]) + newline
    document = parse("a.txt", source)
    assert [segment.text.split()[0] for segment in document.segments] == ["One", "Two", "Three"]
    for segment in document.segments:
        x, y = segment.source_span(0, len(segment.text))
        assert source[x:y] == segment.text


def test_offsets_after_cjk_and_emoji_slice_exactly(parse, source_of):
    source = "小明今年七岁😀😀，他需要帮助。\r\n\r\n🙏 Please help Lily today.\r\n"
    document = parse("a.txt", source)
    for word in ("帮助", "Lily", "today", "😀"):
        x, y = source_of(document, word)
        assert source[x:y] == word
    # 😀 is one code point: offsets count code points, not UTF-16 units or bytes.
    x, y = source_of(document, "帮助")
    assert (x, y) == (source.index("帮助"), source.index("帮助") + 2)


def test_every_character_maps_to_itself(parse, check_source_map):
    document = parse("a.txt", "a\tb  c\r\nd\n\ne\u3000f 😀\n")
    check_source_map(document)
    for segment in document.segments:
        for i, char in enumerate(segment.text):
            x, y = segment.source_span(i, i + 1)
            assert (y - x, document.text[x]) == (1, char)


def test_empty_span_is_a_point(parse):
    document = parse("a.txt", "\n\nhello world\n")
    segment = document.segments[0]
    assert segment.source_span(3, 3) == (5, 5)
    assert segment.source_span(0, 11) == (2, 13)


@pytest.mark.parametrize("source", ["", "   \n\n\t\r\n"])
def test_empty_and_blank_text_give_no_segments(parse, source):
    document = parse("a.txt", source)
    assert document.segments == []
    assert document.text == source


def test_format_from_extension_and_explicit_format():
    document, note = parse_bytes("draft.TXT", b"# not a heading here")
    assert document.format == "text" and note is None
    document, note = parse_bytes("draft.txt", b"# a heading", fmt="md")
    assert document.format == "markdown" and note is None
    assert document.segments[0].scope == "heading"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"text": "hi"}', "social-json"),
        (b'\n  [{"text": "hi"}]', "social-json"),
        (b"<!DOCTYPE html><p>hi</p>", "html"),
        (b"# Heading\n\nBody", "markdown"),
        (b"Just some words.\nMore words.", "text"),
    ],
)
def test_unknown_extension_is_sniffed_and_says_so(content, expected):
    document, note = parse_bytes("draft.unknownext", content)
    assert document.format == expected
    assert note is not None and expected in note


def test_unknown_format_name_is_a_usage_error():
    with pytest.raises(InputError) as caught:
        parse_bytes("a.txt", b"x", fmt="pdf")
    assert caught.value.kind == "usage"


def test_empty_file_with_unknown_extension_is_not_json():
    assert sniff_format("") == "text"
    document, _note = parse_bytes("notes", b"")
    assert document.segments == []
