"""Line/column lookup and terminal display width."""

from __future__ import annotations

import pytest

from storyguard.positions import LineIndex, display_width


def located(text: str, offset: int) -> tuple[int, int]:
    position = LineIndex(text).locate(offset)
    assert position.offset == offset
    return position.line, position.column


def test_lf_lines_and_columns():
    text = "ab\ncd\n"
    assert [located(text, i) for i in range(len(text) + 1)] == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1),
    ]


def test_crlf_counts_as_one_line_ending():
    text = "ab\r\ncd\r\nef"
    assert located(text, 2) == (1, 3)  # the \r
    assert located(text, 3) == (1, 4)  # the \n of the same line ending
    assert located(text, 4) == (2, 1)
    assert located(text, 8) == (3, 1)
    assert LineIndex(text).locate(len(text)).line == 3


def test_lone_cr_ends_a_line():
    text = "ab\rcd\r\rx"
    assert located(text, 3) == (2, 1)
    assert located(text, 6) == (3, 1)
    assert located(text, 7) == (4, 1)


def test_mixed_line_endings():
    text = "a\nb\r\nc\rd"
    assert [LineIndex(text).locate(text.index(ch)).line for ch in "abcd"] == [1, 2, 3, 4]


def test_columns_count_code_points_not_bytes_or_utf16_units():
    text = "😀小明 Lily\n"
    assert located(text, text.index("Lily")) == (1, 5)
    assert located(text, text.index("小")) == (1, 2)


def test_offsets_are_clamped():
    index = LineIndex("ab\ncd")
    assert index.locate(-5).offset == 0
    assert index.locate(999).offset == 5
    assert (index.locate(999).line, index.locate(999).column) == (2, 3)


def test_line_bounds_exclude_the_line_ending_start():
    text = "ab\r\ncd\nef"
    index = LineIndex(text)
    start, _end = index.line_bounds(2)
    assert text[start:start + 2] == "cd"
    assert index.line_bounds(3) == (7, 9)


def test_empty_text():
    index = LineIndex("")
    position = index.locate(0)
    assert (position.line, position.column) == (1, 1)


@pytest.mark.parametrize(
    "text, width",
    [
        ("", 0),
        ("abc", 3),
        ("小明", 4),
        ("小明 Lily", 9),
        ("ＡＢ", 4),  # full-width Latin
        ("，。", 4),  # CJK punctuation
        ("😀", 2),
        ("e\u0301", 1),  # combining accent takes no cell
        ("a\u200bb", 2),  # zero-width space (Cf)
        ("ｱｲ", 2),  # half-width katakana
    ],
)
def test_display_width(text, width):
    assert display_width(text) == width


@pytest.mark.parametrize("line, expected", [(1, "ab"), (2, "cd")])
def test_line_bounds_exclude_the_line_terminator(line, expected):
    text = "ab\r\ncd\nef"
    start, end = LineIndex(text).line_bounds(line)
    assert text[start:end] == expected


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "小", "😀", " ", "\n", "\r", "\r\n"]), max_size=30).map("".join))
def test_locate_agrees_with_a_naive_count(text):
    # A line ends after every \n and after every \r not followed by \n.
    ends = [i + 1 for i, ch in enumerate(text) if ch == "\n" or (ch == "\r" and text[i + 1:i + 2] != "\n")]
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        passed = [end for end in ends if end <= offset]
        line_start = passed[-1] if passed else 0
        position = index.locate(offset)
        assert (position.line, position.column) == (len(passed) + 1, offset - line_start + 1), (text, offset)
