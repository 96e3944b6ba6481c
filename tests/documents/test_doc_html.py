"""HTML: what is read (title, meta, visible text, images, captions), what is skipped, and offsets."""

from __future__ import annotations

import pytest

PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
  <title>Help 小明 &amp; friends</title>
  <meta name="description" content="Ming, 7, needs &quot;help&quot; 😀">
  <meta property="og:title" content="OG title Lily">
  <meta name="twitter:description" content="Tweet text">
  <meta property="og:image" content="https://example.org/ming.jpg">
  <meta name="viewport" content="width=device-width">
  <style>p { color: red; } .Lily { }</style>
</head>
<body>
  <h1>Heading 标题</h1>
  <p>Para with <b>bold</b> and &eacute;t&eacute; text.</p>
  <script>var secret = "Lily Chen";</script>
  <noscript>Enable scripts</noscript>
  <ul><li>List item one</li></ul>
  <figure>
    <img src="photos/ming.jpg" alt="Ming at school &amp; home" title="Photo title">
    <figcaption>Caption 小明</figcaption>
  </figure>
  <p>Code <code>rm -rf</code> skipped</p>
  <!-- a comment about Lily -->
</body>
</html>
"""


def by_scope(document):
    out: dict[str, list[str]] = {}
    for segment in document.segments:
        out.setdefault(segment.scope, []).append(segment.text.strip())
    return out


def test_what_is_read_and_what_is_skipped(parse):
    document = parse("page.html", PAGE)
    scopes = by_scope(document)
    assert scopes["title"] == ["Help 小明 & friends"]
    assert sorted(scopes["meta"]) == sorted(['Ming, 7, needs "help" 😀', "OG title Lily", "Tweet text"])
    assert scopes["heading"] == ["Heading 标题"]
    assert scopes["list-item"] == ["List item one"]
    assert scopes["image-alt"] == ["Ming at school & home"]
    assert scopes["image-title"] == ["Photo title"]
    assert sorted(scopes["image-src"]) == ["https://example.org/ming.jpg", "photos/ming.jpg"]
    assert scopes["caption"] == ["Caption 小明"]
    assert "Para with bold and été text." in scopes["paragraph"]
    everything = " ".join(segment.text for segment in document.segments)
    for hidden in ("secret", "color: red", "Enable scripts", "a comment", "rm -rf", "width=device-width"):
        assert hidden not in everything


def test_every_segment_maps_back(parse, check_source_map, source_of):
    document = parse("page.html", PAGE)
    check_source_map(document)
    for word, scope in [
        ("小明", "title"), ("friends", "title"), ("needs", "meta"), ("😀", "meta"), ("标题", "heading"),
        ("bold", "paragraph"), ("text", "paragraph"), ("school", "image-alt"), ("photos/ming.jpg", "image-src"),
        ("Photo", "image-title"), ("Caption", "caption"), ("skipped", "paragraph"),
    ]:
        x, y = source_of(document, word, scope)
        assert PAGE[x:y] == word, (word, scope)


@pytest.mark.parametrize(
    "entity, char",
    [("&amp;", "&"), ("&eacute;", "é"), ("&#233;", "é"), ("&#xE9;", "é"), ("&#x1F600;", "😀"), ("&lt;", "<")],
)
def test_entity_maps_to_its_raw_form(parse, entity, char):
    source = f"<p>小明 A{entity}B end</p>"
    document = parse("a.html", source)
    (segment,) = document.segments
    assert segment.text == f"小明 A{char}B end"
    i = segment.text.index(char, 3)
    x, y = segment.source_span(i, i + 1)
    assert source[x:y] == entity
    x, y = segment.source_span(i - 1, i + 2)
    assert source[x:y] == f"A{entity}B"
    i = segment.text.index("end")
    x, y = segment.source_span(i, i + 3)
    assert source[x:y] == "end"


def test_entity_in_attribute_maps_to_its_raw_form(parse):
    source = '<img alt="Tom &amp; 小明 😀 smile" src="a.png">'
    document = parse("a.html", source)
    alt = next(segment for segment in document.segments if segment.scope == "image-alt")
    assert alt.text == "Tom & 小明 😀 smile"
    i = alt.text.index("&")
    assert source[slice(*alt.source_span(i, i + 1))] == "&amp;"
    i = alt.text.index("smile")
    assert source[slice(*alt.source_span(i, i + 5))] == "smile"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_keep_offsets(parse, check_source_map, source_of, newline):
    source = newline.join(
        ["<html><head>", "<title>T 孩子</title>", "</head><body>", "<p>Line one 😀", "line &amp; two Lily</p>",
         '<img', '  alt="multi', '  line alt Ming"', '  src="x.png">', "</body></html>"]
    ) + newline
    document = parse("a.html", source)
    check_source_map(document)
    for word in ("孩子", "😀", "two", "Lily", "Ming"):
        x, y = source_of(document, word)
        assert source[x:y] == word


def test_br_separates_words_without_source(parse):
    source = "<p>one<br>two<br/>three</p>"
    document = parse("a.html", source)
    assert [segment.text for segment in document.segments] == ["one", "two", "three"]
    for word in ("one", "two", "three"):
        segment = next(segment for segment in document.segments if word in segment.text)
        i = segment.text.index(word)
        assert source[slice(*segment.source_span(i, i + len(word)))] == word


def test_inline_tags_do_not_split_words_and_blocks_do(parse):
    document = parse("a.html", "<div><p>a<b>b</b>c</p><p>second</p></div>")
    assert [segment.text for segment in document.segments] == ["abc", "second"]


def test_malformed_html_still_parses(parse, check_source_map, source_of):
    source = "<html><body><p>one <b>two <i>three 小明<p>four <div>five &amp six <img alt='unclosed"
    document = parse("a.html", source)
    text = " ".join(segment.text for segment in document.segments)
    for word in ("one", "two", "three", "小明", "four", "five", "six"):
        assert word in text
    check_source_map(document)
    x, y = source_of(document, "小明")
    assert source[x:y] == "小明"


def test_deeply_nested_html_does_not_recurse(parse):
    depth = 10_000
    source = "<div>" * depth + "deep text" + "</div>" * depth
    document = parse("a.html", source)
    (segment,) = document.segments
    assert segment.text == "deep text"
    assert source[slice(*segment.source_span(0, 9))] == "deep text"


def test_uppercase_tags_and_unquoted_attributes(parse):
    source = "<IMG ALT=Upper SRC=u.png><P>Upper para</P>"
    document = parse("a.html", source)
    assert by_scope(document) == {"image-alt": ["Upper"], "image-src": ["u.png"], "paragraph": ["Upper para"]}
    alt = document.segments[0]
    assert source[slice(*alt.source_span(0, 5))] == "Upper"


def test_image_reference_recorded(parse):
    source = '<p>x</p><img alt="a" src="img/kid.png">'
    document = parse("a.html", source)
    ((span, reference),) = document.images
    assert reference == "img/kid.png"
    assert source[span[0]:span[1]] == "img/kid.png"
    assert any(segment.scope == "image-src" and segment.source_span(0, len(segment.text)) == span for segment in document.segments)


def test_empty_and_whitespace_html(parse):
    assert parse("a.html", "").segments == []
    assert parse("a.html", "<html><body>  \n </body></html>").segments == []


def test_repeated_attribute_maps_to_the_value_that_was_kept(parse):
    source = '<img alt="first" alt="second one">'
    document = parse("a.html", source)
    (segment,) = document.segments
    assert source[slice(*segment.source_span(0, len(segment.text)))] == segment.text
