"""Property tests: random documents in every text format keep exact source maps.

For every segment and every character, the mapped source span lies inside the file, and a
character mapped onto one source character *is* that character (entities, escapes and JSON
escapes decode back to it). See conftest._check_source_map.
"""

from __future__ import annotations

import html
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ASCII_WORDS = ["child", "Lily", "school", "help", "donate", "village", "age7", "x", "Tom's"]
CJK_WORDS = ["孩子", "小明", "学校", "帮助", "這個孩子", "捐款", "、", "。"]
EMOJI = ["😀", "🙏", "❤️", "👧🏽", "🇨🇳"]

ascii_word = st.sampled_from(ASCII_WORDS) | st.text(
    alphabet=st.characters(min_codepoint=ord("a"), max_codepoint=ord("z")), min_size=1, max_size=8
)
cjk_word = st.sampled_from(CJK_WORDS) | st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4
)
emoji = st.sampled_from(EMOJI) | st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF).map(str)
word = st.one_of(ascii_word, cjk_word, emoji)
newline = st.sampled_from(["\n", "\r\n"])


# --- plain text ---------------------------------------------------------------------------

@st.composite
def text_documents(draw):
    nl = draw(newline)
    paragraphs = draw(st.lists(st.lists(word, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=5))
    blank = draw(st.sampled_from([nl + nl, nl + "  " + nl, nl + nl + nl]))
    return blank.join(paragraphs) + draw(st.sampled_from(["", nl]))


@SETTINGS
@given(text_documents())
def test_text_source_map_is_exact(parse, check_source_map, source):
    document = parse("draft.txt", source)
    assert document.segments
    check_source_map(document)
    # Plain text is verbatim: each paragraph's whole span slices to its text.
    for segment in document.segments:
        x, y = segment.source_span(0, len(segment.text))
        assert document.text[x:y] == segment.text


# --- Markdown -----------------------------------------------------------------------------

@st.composite
def markdown_inline(draw):
    w = draw(word)
    kind = draw(st.sampled_from(["plain", "plain", "strong", "em", "link", "code", "escape", "entity", "image", "html"]))
    if kind == "strong":
        return f"**{w}**"
    if kind == "em":
        return f"*{w}*"
    if kind == "link":
        return f"[{w}](http://example.org/{draw(ascii_word)})"
    if kind == "code":
        return f"`{draw(ascii_word)}`"
    if kind == "escape":
        return draw(st.sampled_from(["\\*", "\\_", "\\#", "\\[", "\\`"])) + w
    if kind == "entity":
        return w + draw(st.sampled_from(["&amp;", "&eacute;", "&#233;", "&#x4E2D;", "&copy;"]))
    if kind == "image":
        return f"![{w} {draw(word)}]({draw(ascii_word)}.png)"
    if kind == "html":
        return f"<b>{w}</b>"
    return w


@st.composite
def markdown_documents(draw):
    nl = draw(newline)
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        lines = [" ".join(draw(st.lists(markdown_inline(), min_size=1, max_size=5))) for _ in range(draw(st.integers(1, 3)))]
        kind = draw(st.sampled_from(["paragraph", "heading", "list", "ordered", "quote", "table"]))
        if kind == "table":
            # Each cell starts with its own tag: a cell that also occurs earlier in its row is
            # misplaced (a known bug, see test_doc_markdown.py), kept out of this property.
            cells = [f"c{k}{draw(markdown_inline())}" for k in range(4)]
            blocks.append(nl.join([f"| {cells[0]} | {cells[1]} |", "|---|---|", f"| {cells[2]} | {cells[3]} |"]))
        elif kind == "ordered":
            blocks.append(nl.join(f"{n}. {line}" for n, line in enumerate(lines, start=1)))
        elif kind == "heading":
            blocks.append("## " + " ".join(lines))
        elif kind == "list":
            blocks.append(nl.join("- " + line for line in lines))
        elif kind == "quote":
            blocks.append(nl.join("> " + line for line in lines))
        else:
            blocks.append(nl.join(lines))
    body = (nl + nl).join(blocks) + nl
    if draw(st.booleans()):
        body = f"---{nl}title: {draw(ascii_word)} {draw(cjk_word)}{nl}---{nl}" + body
    return body


@SETTINGS
@given(markdown_documents())
def test_markdown_source_map_is_exact(parse, check_source_map, source):
    document = parse("draft.md", source)
    check_source_map(document)


# --- HTML ---------------------------------------------------------------------------------

@st.composite
def html_inline(draw):
    w = draw(word)
    kind = draw(st.sampled_from(["plain", "plain", "b", "amp", "br", "entity", "img"]))
    if kind == "b":
        return f"<b>{w}</b>"
    if kind == "amp":
        return f"{w} &amp; {draw(word)}"
    if kind == "br":
        return f"{w}<br>{draw(word)}"
    if kind == "entity":
        return w + draw(st.sampled_from(["&eacute;", "&#233;", "&#x1F600;", "&lt;", "&nbsp;"]))
    if kind == "img":
        return f'<img alt="{w} &amp; {draw(word)}" src="{draw(ascii_word)}.png">'
    return w


@st.composite
def html_documents(draw):
    nl = draw(newline)
    title = " ".join(draw(st.lists(word, min_size=1, max_size=3)))
    paragraphs = [" ".join(draw(st.lists(html_inline(), min_size=1, max_size=6))) for _ in range(draw(st.integers(1, 4)))]
    tag = draw(st.sampled_from(["p", "li", "h2", "figcaption", "div"]))
    body = nl.join(f"<{tag}>{paragraph}</{tag}>" for paragraph in paragraphs)
    return f"<html>{nl}<head><title>{title}</title></head>{nl}<body>{nl}{body}{nl}</body></html>{nl}"


@SETTINGS
@given(html_documents())
def test_html_source_map_is_exact(parse, check_source_map, source):
    document = parse("page.html", source)
    assert any(segment.scope == "title" for segment in document.segments)
    check_source_map(document)


# --- social-post JSON ---------------------------------------------------------------------

json_text = st.lists(
    st.one_of(word, st.sampled_from([" ", "\n", "\t", '"', "\\", "/", "é", "\u2028"])), min_size=1, max_size=10
).map("".join).filter(str.strip)


def _dump(value, ensure_ascii: bool, escape_slash: bool) -> str:
    out = json.dumps(value, ensure_ascii=ensure_ascii)
    return out.replace("/", "\\/") if escape_slash else out


@st.composite
def social_documents(draw):
    posts = []
    for _ in range(draw(st.integers(1, 3))):
        post = {"platform": "weibo", "text": draw(json_text)}
        if draw(st.booleans()):
            post["media"] = [{"alt": draw(json_text), "url": "https://example.org/a.jpg"}]
        if draw(st.booleans()):
            post["hashtags"] = ["#" + draw(ascii_word), "#" + draw(cjk_word)]
        posts.append(post)
    ensure_ascii, escape_slash = draw(st.booleans()), draw(st.booleans())
    layout = draw(st.sampled_from(["list", "object", "indented"]))
    if layout == "object":
        return posts[:1], _dump(posts[0], ensure_ascii, escape_slash)
    if layout == "indented":
        return posts, json.dumps(posts, ensure_ascii=ensure_ascii, indent=2)
    return posts, _dump(posts, ensure_ascii, escape_slash)


def _resolve(value, pointer: str):
    for part in pointer.split("/")[1:]:
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


@SETTINGS
@given(social_documents())
def test_social_json_source_map_is_exact(parse, check_source_map, drawn):
    posts, source = drawn
    document = parse("posts.json", source)
    check_source_map(document)
    root = json.loads(source)
    for segment in document.segments:
        # The pointer names the JSON value, and the segment is that decoded value.
        assert _resolve(root, segment.pointer) == segment.text
    texts = [segment.text for segment in document.segments if segment.scope == "post-text"]
    assert texts == [post["text"] for post in posts]


# U+2028 inside a JSON Lines string is a known bug (see test_doc_social.py), kept out here.
jsonl_text = json_text.filter(lambda text: "\u2028" not in text)


@SETTINGS
@given(st.lists(jsonl_text, min_size=1, max_size=4), newline)
def test_json_lines_source_map_is_exact(parse, check_source_map, texts, nl):
    source = nl.join(json.dumps({"text": text}, ensure_ascii=False) for text in texts) + nl
    document = parse("posts.jsonl", source)
    check_source_map(document)
    assert [segment.text for segment in document.segments] == texts
    assert [segment.pointer for segment in document.segments] == [f"/{i}/text" for i in range(len(texts))]


# --- any span -----------------------------------------------------------------------------

any_document = st.one_of(
    text_documents().map(lambda source: ("draft.txt", source)),
    markdown_documents().map(lambda source: ("draft.md", source)),
    html_documents().map(lambda source: ("page.html", source)),
    social_documents().map(lambda drawn: ("posts.json", drawn[1])),
)


@SETTINGS
@given(any_document, st.data())
def test_any_span_stays_inside_the_file(parse, drawn, data):
    path, source = drawn
    document = parse(path, source)
    for segment in document.segments:
        a = data.draw(st.integers(0, len(segment.text)))
        b = data.draw(st.integers(a, len(segment.text)))
        x, y = segment.source_span(a, b)
        assert 0 <= x <= y <= len(document.text)
        if a < b:  # a non-empty span covers the spans of its first and last characters
            assert x == segment.source_span(a, a + 1)[0]
            assert y == segment.source_span(b - 1, b)[1]


def test_decoders_used_by_the_property_are_sane():
    assert html.unescape("&amp;") == "&"
    assert json.loads('"\\ud83d\\ude00"') == "😀"
