"""Sentence spans, and picking non-overlapping hits: both must stay linear on long input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyguard.lexicon import non_overlapping
from storyguard.sentences import MAX_SENTENCE_CHARS, sentence_at, sentence_spans


def test_sentences_end_at_english_and_chinese_punctuation():
    text = "Lily is 7. She loves maths! 小雨今年八岁。她喜欢画画！"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Lily is 7.", "She loves maths!", "小雨今年八岁。", "她喜欢画画！"]


def test_an_overlong_sentence_is_cut_at_clause_breaks():
    text = "orphan girl, " * 200  # 2,600 characters with no full stop
    spans = sentence_spans(text)
    assert len(spans) > 1
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert all(text[b - 1] == "," for a, b in spans[:-1])  # cut after a comma, not mid-word


def test_a_run_with_no_break_is_cut_hard():
    text = "字" * 1500
    assert [b - a for a, b in sentence_spans(text)] == [600, 600, 300]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab ,.。\n字", max_size=3000))
def test_spans_cover_all_text_in_order_within_bounds(text):
    spans = sentence_spans(text)
    assert all(0 <= a < b <= len(text) and b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert all(b1 <= a2 for (_a1, b1), (a2, _b2) in zip(spans, spans[1:]))
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())  # only whitespace falls between
    for a, b in spans:
        assert sentence_at(spans, a) == (a, b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=40))
def test_non_overlapping_keeps_what_a_pairwise_scan_keeps(raw):
    spans = [(start, start + length) for start, length in raw]
    expected: list[tuple[int, int]] = []
    for start, end in spans:
        if all(end <= a or start >= b for a, b in expected):
            expected.append((start, end))
    assert non_overlapping(spans, lambda span: span) == expected
