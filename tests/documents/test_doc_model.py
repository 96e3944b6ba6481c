"""SourceMap and SegmentBuilder: the piecewise map every parser builds."""

from __future__ import annotations

from storyguard.documents.model import SegmentBuilder, SourceMap, verbatim_segment


def test_verbatim_runs_merge_when_contiguous():
    builder = SegmentBuilder("paragraph")
    builder.add_verbatim("ab", 10)
    builder.add_verbatim("cd", 12)
    segment = builder.build()
    assert segment.text == "abcd"
    assert segment.source_span(1, 3) == (11, 13)
    assert [segment.source_span(i, i + 1) for i in range(4)] == [(10, 11), (11, 12), (12, 13), (13, 14)]


def test_verbatim_runs_with_a_gap_stay_separate():
    source = "ab**cd"
    builder = SegmentBuilder("paragraph")
    builder.add_verbatim("ab", 0)
    builder.add_verbatim("cd", 4)
    segment = builder.build()
    assert segment.text == "abcd"
    assert segment.source_span(0, 4) == (0, 6)
    assert source[slice(*segment.source_span(2, 4))] == "cd"
    assert source[slice(*segment.source_span(1, 3))] == "b**c"


def test_replacement_maps_each_character_to_the_whole_raw_form():
    source = "A&amp;B"
    builder = SegmentBuilder("paragraph")
    builder.add_verbatim("A", 0)
    builder.add_replacement("&", 1, 6)
    builder.add_verbatim("B", 6)
    segment = builder.build()
    assert segment.text == "A&B"
    assert source[slice(*segment.source_span(1, 2))] == "&amp;"
    assert source[slice(*segment.source_span(0, 2))] == "A&amp;"
    assert source[slice(*segment.source_span(2, 3))] == "B"
    assert segment.source_span(0, 3) == (0, 7)


def test_multi_character_replacement_is_collapsed():
    builder = SegmentBuilder("paragraph")
    builder.add_replacement("😀", 0, 12)  # a surrogate-pair JSON escape
    builder.add_replacement("xyz", 12, 20)
    segment = builder.build()
    assert segment.source_span(0, 1) == (0, 12)
    assert segment.source_span(2, 3) == (12, 20)
    assert segment.source_span(1, 4) == (12, 20)


def test_separator_has_an_empty_source_range():
    builder = SegmentBuilder("paragraph")
    builder.add_verbatim("one", 0)
    builder.add_separator(" ", 7)  # a <br> at 3..7 becomes a space
    builder.add_verbatim("two", 7)
    segment = builder.build()
    assert segment.text == "one two"
    assert segment.source_span(3, 4) == (7, 7)
    assert segment.source_span(0, 7) == (0, 10)


def test_empty_span_is_a_point_at_the_start():
    segment = verbatim_segment("hello", 5, "text")
    assert segment.source_span(2, 2) == (7, 7)
    assert segment.source_span(3, 1) == (8, 8)


def test_whitespace_only_segment_is_dropped():
    assert verbatim_segment("  \n\t", 0, "paragraph") is None
    builder = SegmentBuilder("paragraph")
    builder.add_separator(" ", 0)
    assert builder.build() is None
    assert len(builder) == 1


def test_empty_pieces_are_ignored():
    builder = SegmentBuilder("paragraph", pointer="/0/text")
    builder.add_verbatim("", 3)
    builder.add_replacement("", 3, 8)
    builder.add_separator("", 3)
    builder.add_verbatim("x", 3)
    segment = builder.build()
    assert (segment.text, segment.pointer, segment.scope) == ("x", "/0/text", "paragraph")
    assert segment.source_span(0, 1) == (3, 4)


def test_source_map_direct():
    source_map = SourceMap([(0, 3, 100, 3, True), (3, 1, 103, 6, False), (4, 2, 109, 2, True)])
    assert [source_map.start_of(i) for i in range(6)] == [100, 101, 102, 103, 109, 110]
    assert [source_map.end_of(i) for i in range(6)] == [101, 102, 103, 109, 110, 111]
    assert source_map.span(2, 5) == (102, 110)


def test_languages_of_a_mixed_segment():
    segment = verbatim_segment("x", 0, "text")
    assert segment.languages == ("en",)
    mixed = type(segment)(text="x", scope="text", source_map=segment.source_map, language="mixed")
    assert mixed.languages == ("en", "zh")
