"""Markdown: scopes, front matter, masking, and exact offsets through markup and escapes."""

from __future__ import annotations

import pytest


def scopes(document):
    return [(segment.scope, segment.text) for segment in document.segments]


def test_block_scopes(parse):
    source = (
        "# Heading 小明\n\nA paragraph.\n\n- item one\n- item two\n\n> quoted words\n\n"
        "| name | age |\n|------|-----|\n| Lily | 7 |\n"
    )
    document = parse("a.md", source)
    assert scopes(document) == [
        ("heading", "Heading 小明"),
        ("paragraph", "A paragraph."),
        ("list-item", "item one"),
        ("list-item", "item two"),
        ("blockquote", "quoted words"),
        ("table-cell", "name"),
        ("table-cell", "age"),
        ("table-cell", "Lily"),
        ("table-cell", "7"),
    ]
    for segment in document.segments:
        x, y = segment.source_span(0, len(segment.text))
        assert source[x:y] == segment.text


def test_front_matter_becomes_metadata_and_segments(parse, source_of):
    source = "---\ntitle: Help Lily 上学\nconsent:\n  by: parent\n  age_band: 5-9\ntags: [school, 'hope now']\n---\n# Body\n"
    document = parse("a.md", source)
    assert document.metadata["title"] == "Help Lily 上学"
    assert document.metadata["consent"] == {"by": "parent", "age_band": "5-9"}
    front = [segment.text for segment in document.segments if segment.scope == "front-matter"]
    assert sorted(front) == sorted(["Help Lily 上学", "parent", "5-9", "school", "hope now"])
    for word in ("上学", "parent", "hope now"):
        x, y = source_of(document, word, "front-matter")
        assert source[x:y] == word
    # Front matter is not also read as Markdown (no heading or paragraph from `title:`).
    assert [segment.text for segment in document.segments if segment.scope != "front-matter"] == ["Body"]


def test_front_matter_with_crlf_keeps_file_lines(parse, source_of):
    source = "---\r\ntitle: 孩子的故事\r\n---\r\n\r\nParagraph with Lily.\r\n"
    document = parse("a.md", source)
    assert document.metadata == {"title": "孩子的故事"}
    x, y = source_of(document, "Lily", "paragraph")
    assert source[x:y] == "Lily"
    x, y = source_of(document, "故事", "front-matter")
    assert source[x:y] == "故事"


def test_quoted_front_matter_value_with_escape_maps_to_raw_value(parse):
    source = '---\nname: "Zo\\u00eb Chen"\n---\n'
    document = parse("a.md", source)
    (segment,) = document.segments
    assert segment.text == "Zoë Chen"
    x, y = segment.source_span(0, len(segment.text))
    assert source[x:y] == "Zo\\u00eb Chen"


@pytest.mark.parametrize(
    "front",
    [
        "---\ntitle: [unclosed\n---\nbody\n",
        "---\nkey: value\n  bad: indent\n---\nbody\n",
        "---\n: : :\n\t- tab\n---\n",
    ],
)
def test_invalid_yaml_front_matter_is_read_as_text_with_a_warning(parse, front, check_source_map):
    document = parse("a.md", front)
    assert document.metadata == {}
    assert len(document.warnings) == 1 and "invalid YAML front matter" in document.warnings[0]
    assert any(segment.scope == "front-matter" for segment in document.segments)
    check_source_map(document)


def test_emphasis_links_and_escapes_are_removed_but_offsets_hold(parse, source_of):
    source = "小明😀说：**Lily** is *seven* and [lives here](http://example.org/x) \\*really\\* A&amp;B end\n"
    document = parse("a.md", source)
    (segment,) = document.segments
    assert segment.text == "小明😀说：Lily is seven and lives here *really* A&B end"
    for word in ("Lily", "seven", "lives here", "really", "end", "说"):
        x, y = source_of(document, word)
        assert source[x:y] == word
    # Decoded pieces map to their raw form.
    star = segment.text.index("*")
    x, y = segment.source_span(star, star + 1)
    assert source[x:y] == "\\*"
    amp = segment.text.index("&")
    x, y = segment.source_span(amp, amp + 1)
    assert source[x:y] == "&amp;"
    # A span covering decoded and verbatim text covers the raw form.
    x, y = segment.source_span(amp - 1, amp + 2)
    assert source[x:y] == "A&amp;B"


@pytest.mark.parametrize("entity, char", [("&eacute;", "é"), ("&#233;", "é"), ("&#x1F600;", "😀"), ("&nbsp;", "\xa0")])
def test_entities_map_to_their_raw_form(parse, entity, char):
    source = f"Caf{entity} now\n"
    document = parse("a.md", source)
    segment = document.segments[0]
    assert segment.text == f"Caf{char} now"
    x, y = segment.source_span(3, 4)
    assert source[x:y] == entity
    x, y = segment.source_span(5, 8)
    assert source[x:y] == "now"


def test_inline_code_is_masked_with_spaces_of_equal_length(parse):
    source = "Run `rm -rf` now\n"
    document = parse("a.md", source)
    (segment,) = document.segments
    assert segment.text == "Run " + " " * len("rm -rf") + " now"
    assert "rm" not in segment.text
    i = segment.text.index("now")
    x, y = segment.source_span(i, i + 3)
    assert source[x:y] == "now"


def test_code_blocks_are_not_prose(parse):
    document = parse("a.md", "    indented Lily Chen\n\n```\nfenced Lily Chen\n```\n\nprose\n")
    assert [segment.text for segment in document.segments] == ["prose"]


def test_images_give_alt_src_and_title_segments(parse, source_of):
    source = "Before ![小明 at school &amp; home](photos/ming.jpg \"Ming's title\") after\n"
    document = parse("a.md", source)
    by_scope = {segment.scope: segment for segment in document.segments}
    assert by_scope["image-alt"].text == "小明 at school & home"
    assert by_scope["image-src"].text == "photos/ming.jpg"
    assert by_scope["image-title"].text == "Ming's title"
    for word, scope in (("school", "image-alt"), ("photos/ming.jpg", "image-src"), ("Ming's", "image-title")):
        x, y = source_of(document, word, scope)
        assert source[x:y] == word
    # The paragraph keeps the words around the image apart, without the alt text.
    paragraph = by_scope["paragraph"]
    assert paragraph.text.split() == ["Before", "after"]
    x, y = source_of(document, "after", "paragraph")
    assert source[x:y] == "after"
    # Local image references are recorded with their source span.
    ((span, reference),) = document.images
    assert reference == "photos/ming.jpg" and source[span[0]:span[1]] == reference


def test_inline_html_img_and_br(parse, source_of):
    source = 'Text <img alt="girl &amp; dog" src="g.png"> more<br>words\n'
    document = parse("a.md", source)
    alt = [segment for segment in document.segments if segment.scope == "image-alt"]
    assert [segment.text for segment in alt] == ["girl & dog"]
    x, y = source_of(document, "dog", "image-alt")
    assert source[x:y] == "dog"
    paragraph = next(segment for segment in document.segments if segment.scope == "paragraph")
    assert paragraph.text.split() == ["Text", "more", "words"]
    x, y = source_of(document, "words", "paragraph")
    assert source[x:y] == "words"


def test_html_block_is_read_as_html(parse, source_of):
    source = "Intro\n\n<div class=\"story\">\n<p>Lily &amp; 小明</p>\n<script>var Lily = 1;</script>\n</div>\n\nOutro\n"
    document = parse("a.md", source)
    texts = [segment.text.strip() for segment in document.segments]
    assert texts == ["Intro", "Lily & 小明", "Outro"]
    x, y = source_of(document, "小明")
    assert source[x:y] == "小明"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_do_not_shift_offsets(parse, source_of, check_source_map, newline):
    lines = ["# 标题 Title", "", "First line of 孩子 text", "second **line** here 😀", "", "- item Lily", "> quote Ming"]
    source = newline.join(lines) + newline
    document = parse("a.md", source)
    check_source_map(document)
    for word in ("Title", "孩子", "second", "line", "here", "😀", "Lily", "Ming"):
        x, y = source_of(document, word)
        assert source[x:y] == word


def test_multiline_blockquote_and_list_map_past_prefixes(parse, source_of):
    source = "> first 小明\n> second Lily\n\n- one\n  continued Ming\n"
    document = parse("a.md", source)
    for word in ("second", "Lily", "continued", "Ming"):
        x, y = source_of(document, word)
        assert source[x:y] == word


def test_links_autolinks_and_reference_links(parse, source_of):
    source = "See [the *child* story][ref] or <http://example.org/kid> today.\n\n[ref]: http://x.org\n"
    document = parse("a.md", source)
    (segment,) = document.segments
    assert "example.org" not in segment.text  # the autolink URL is masked
    assert segment.text.split() == ["See", "the", "child", "story", "or", "today."]
    for word in ("child", "story", "today"):
        x, y = source_of(document, word)
        assert source[x:y] == word


def test_segments_are_in_source_order(parse):
    document = parse("a.md", "---\ntitle: T\n---\n# A\n\n![alt](x.png)\n\nB\n")
    starts = [segment.source_span(0, 1)[0] for segment in document.segments]
    assert starts == sorted(starts)


def test_empty_markdown_has_no_segments(parse):
    assert parse("a.md", "").segments == []
    assert parse("a.md", "---\n---\n").segments == []


# --- regressions: bugs found while writing these tests, now fixed ---------------------------------------------------

def test_escaped_backslash_maps_exactly(parse, check_source_map):
    source = "\\\\child\n"
    document = parse("a.md", source)
    (segment,) = document.segments
    assert segment.text == "\\child"
    x, y = segment.source_span(1, 6)
    assert source[x:y] == "child"
    check_source_map(document)


@pytest.mark.parametrize("code", ["` x `", "`` x ``", "`` `x` ``"])
def test_text_after_padded_code_span_maps_exactly(parse, code):
    source = f"A {code} end\n"
    document = parse("a.md", source)
    (segment,) = document.segments
    i = segment.text.index("end")
    x, y = segment.source_span(i, i + 3)
    assert source[x:y] == "end"


def test_table_cell_repeating_earlier_text_maps_to_its_own_cell(parse):
    source = "| x | y |\n|---|---|\n| ab | b |\n"
    document = parse("a.md", source)
    cell = [segment for segment in document.segments if segment.scope == "table-cell"][-1]
    assert cell.text == "b"
    assert cell.source_span(0, 1) == (source.rindex("b"), source.rindex("b") + 1)


def test_list_item_text_inside_its_marker_maps_past_the_marker(parse):
    source = "10. 0\n"
    document = parse("a.md", source)
    (segment,) = document.segments
    assert segment.text == "0"
    assert segment.source_span(0, 1) == (4, 5)


def test_image_reference_index_points_at_its_image_src_segment(parse):
    document = parse("a.md", "Before ![a](x.png) after\n")
    ((span, reference),) = document.images
    (src,) = [segment for segment in document.segments if segment.scope == "image-src"]
    assert src.text == reference and src.source_span(0, len(src.text)) == span


@pytest.mark.parametrize(
    "source",
    [
        "Lily\n  Chen is 7\n",
        "Lily\n\tChen is 7\n",
        "> Lily\n>  Chen is 7\n",
        "- Lily\n    Chen is 7\n",
        "Lily\n   Chen is 7\n======\n",
        "*Lily\n Chen* is 7\n",
    ],
)
def test_indented_continuation_line_maps_exactly(parse, source):
    document = parse("a.md", source)
    (segment,) = document.segments
    i = segment.text.index("Chen")
    x, y = segment.source_span(i, i + 4)
    assert source[x:y] == "Chen"


def test_yaml_aliases_in_front_matter_are_not_expanded(parse):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 4):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 10) + "]")
    source = "---\n" + "\n".join(lines) + "\n---\nbody\n"
    document = parse("a.md", source)
    front = [segment for segment in document.segments if segment.scope == "front-matter"]
    assert len(front) <= 10


@pytest.mark.parametrize(
    "source", ["![Lily **Chen** smiling](x.png)\n", "![Lily *Chen* smiling](x.png)\n", "![see [Chen](u) here](x.png)\n"]
)
def test_image_alt_with_inline_markup_maps_exactly(parse, source):
    document = parse("a.md", source)
    alt = next(segment for segment in document.segments if segment.scope == "image-alt")
    i = alt.text.index("Chen")
    assert source[slice(*alt.source_span(i, i + 4))] == "Chen"


@pytest.mark.parametrize(
    "source",
    [
        '---\nname: "Zo\\u00eb Chen"\n---\n',
        "---\nname: 'it''s Chen'\n---\n",
        "---\nname: Lily\n  Chen\n---\n",
        "---\ndescription: >\n  Lily Chen is seven\n---\n",
    ],
)
def test_verbatim_words_inside_decoded_front_matter_values_map_exactly(parse, source):
    document = parse("a.md", source)
    (segment,) = document.segments
    i = segment.text.index("Chen")
    assert source[slice(*segment.source_span(i, i + 4))] == "Chen"


def test_front_matter_with_lone_cr_line_endings(parse):
    document = parse("a.md", "---\rtitle: Lily Chen\r---\rbody\r")
    assert document.metadata == {"title": "Lily Chen"}
    assert [segment.scope for segment in document.segments] == ["front-matter", "paragraph"]
