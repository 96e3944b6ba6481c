"""Social-post JSON and JSON Lines, and the position-keeping JSON reader under them."""

from __future__ import annotations

import json

import pytest

from storyguard.documents import parse_bytes
from storyguard.documents.jsonpos import SourcedString, loads_with_positions
from storyguard.errors import InputError


def test_post_object_gives_text_alt_url_and_hashtag_segments(parse, source_of):
    source = json.dumps(
        {"platform": "weibo", "text": "小明今年7岁 😀 needs help", "media": [{"alt": "Ming smiling", "url": "ming.jpg"}],
         "hashtags": ["#助学", "#hope"]},
        ensure_ascii=False,
    )
    document = parse("post.json", source)
    assert [(s.scope, s.pointer, s.text) for s in document.segments] == [
        ("post-text", "/text", "小明今年7岁 😀 needs help"),
        ("image-alt", "/media/0/alt", "Ming smiling"),
        ("image-src", "/media/0/url", "ming.jpg"),
        ("hashtag", "/hashtags/0", "#助学"),
        ("hashtag", "/hashtags/1", "#hope"),
    ]
    for word in ("needs", "😀", "smiling", "ming.jpg", "助学"):
        x, y = source_of(document, word)
        assert source[x:y] == word
    ((span, reference),) = document.images
    (url_segment,) = [segment for segment in document.segments if segment.pointer == "/media/0/url"]
    assert url_segment.source_span(0, len(url_segment.text)) == span
    assert reference == "ming.jpg" and source[span[0]:span[1]] == "ming.jpg"


def test_list_of_posts_pointers(parse):
    source = json.dumps([{"text": "one"}, {"text": "two", "media": [{"url": "a.png"}, {"alt": "alt two"}]}])
    document = parse("posts.json", source)
    assert [(s.pointer, s.text) for s in document.segments] == [
        ("/0/text", "one"), ("/1/text", "two"), ("/1/media/0/url", "a.png"), ("/1/media/1/alt", "alt two"),
    ]


@pytest.mark.parametrize(
    "escape, char",
    [("\\n", "\n"), ("\\t", "\t"), ('\\"', '"'), ("\\\\", "\\"), ("\\/", "/"), ("\\u00e9", "é"),
     ("\\u4E2D", "中"), ("\\ud83d\\ude00", "😀")],
)
def test_json_escape_maps_to_its_raw_form(parse, escape, char):
    source = '{"text": "小明 A' + escape + 'B end"}'
    document = parse("post.json", source)
    (segment,) = document.segments
    assert segment.text == f"小明 A{char}B end"
    i = segment.text.index("A") + 1
    assert source[slice(*segment.source_span(i, i + 1))] == escape
    assert source[slice(*segment.source_span(i - 1, i + 2))] == f"A{escape}B"
    i = segment.text.index("end")
    assert source[slice(*segment.source_span(i, i + 3))] == "end"


def test_ascii_escaped_chinese_maps_word_to_escapes(parse):
    source = json.dumps({"text": "Help 小明 now"})  # ensure_ascii: \u5c0f\u660e
    document = parse("post.json", source)
    (segment,) = document.segments
    i = segment.text.index("小明")
    assert source[slice(*segment.source_span(i, i + 2))] == "\\u5c0f\\u660e"
    i = segment.text.index("now")
    assert source[slice(*segment.source_span(i, i + 3))] == "now"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_json_lines(parse, source_of, newline):
    lines = ['{"text": "first 孩子"}', "", '{"text": "second 😀 Lily", "hashtags": ["#x"]}', "   "]
    source = newline.join(lines) + newline
    document = parse("posts.jsonl", source)
    assert [(s.pointer, s.text) for s in document.segments] == [
        ("/0/text", "first 孩子"), ("/1/text", "second 😀 Lily"), ("/1/hashtags/0", "#x"),
    ]
    for word in ("孩子", "Lily", "#x"):
        x, y = source_of(document, word)
        assert source[x:y] == word


def test_json_lines_error_names_the_line(parse):
    with pytest.raises(InputError) as caught:
        parse("posts.jsonl", '{"text": "ok"}\n{"text": broken}\n')
    assert caught.value.problem.startswith("line 2:")
    assert caught.value.kind == "parse"


@pytest.mark.parametrize(
    "source, line, column",
    [
        ('{"text": "a",\n "media": [1,, 2]}', 2, 14),
        ('{"text": "a"', 1, 13),
        ('{\n  "text": "unterminated\n}', 2, 24),  # the raw newline inside the string
        ('{"text": tru}', 1, 10),
        ('{"text": "a"} extra', 1, 15),
        ('{"text": "bad \\x escape"}', 1, 15),
    ],
)
def test_malformed_json_error_names_line_and_column(parse, source, line, column):
    with pytest.raises(InputError) as caught:
        parse("post.json", source)
    assert f"line {line}, column {column}" in caught.value.problem
    assert caught.value.kind == "parse"


@pytest.mark.parametrize(
    "source, message",
    [
        ("[1, 2]", "must be a JSON object"),
        ('{"platform": "x"}', 'needs a string "text"'),
        ('{"text": 5}', 'needs a string "text"'),
        ('{"text": "a", "media": "x.png"}', "media: must be a list"),
        ('{"text": "a", "media": ["x.png"]}', "/media/0: must be an object"),
        ('{"text": "a", "hashtags": "#x"}', "hashtags: must be a list"),
        ("[]", "no social posts"),
        ("", "unexpected end of input"),
    ],
)
def test_wrong_shapes_are_input_errors(parse, source, message):
    with pytest.raises(InputError) as caught:
        parse("post.json", source)
    assert message in caught.value.problem


def test_empty_jsonl_is_an_input_error(parse):
    with pytest.raises(InputError, match="no social posts"):
        parse("posts.jsonl", "\n\n")


def test_deeply_nested_json_is_a_clean_input_error(parse):
    depth = 10_000
    with pytest.raises(InputError) as caught:
        parse("post.json", "[" * depth + "]" * depth)
    assert "nesting deeper than" in caught.value.problem
    with pytest.raises(InputError):
        parse("post.json", '{"a":' * depth + "1" + "}" * depth)


def test_loads_with_positions_values_and_spans():
    text = '  {"a": [1, -2.5e3, true, false, null, "x\\ny"], "b": {}, "c": []}  '
    value = loads_with_positions(text)
    assert value == {"a": [1, -2500.0, True, False, None, "x\ny"], "b": {}, "c": []}
    string = value["a"][5]
    assert isinstance(string, SourcedString)
    assert text[string.raw_start:string.raw_end] == "x\\ny"
    assert string.escapes == ((1, text.index("\\n"), text.index("\\n") + 2),)


def test_loads_with_positions_respects_bounds_and_max_depth():
    text = 'garbage{"text": "mid"}garbage'
    value = loads_with_positions(text, 7, 22)
    assert value == {"text": "mid"}
    assert text[value["text"].raw_start:value["text"].raw_end] == "mid"
    assert loads_with_positions("[[[]]]", max_depth=3) == [[[]]]
    with pytest.raises(InputError, match="nesting deeper than 2"):
        loads_with_positions("[[[]]]", max_depth=2)


@pytest.mark.parametrize("bad", ["01", "[1,]", '{"a" 1}', "{1: 2}", '"\\ud83d', "nul", "-", '"a\tb"'])
def test_loads_with_positions_rejects_what_json_rejects(bad):
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad)
    with pytest.raises(InputError):
        loads_with_positions(bad)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_json_lines_allow_unicode_line_separators_inside_strings(parse, separator):
    source = '{"text": "a' + separator + 'b"}\n{"text": "c"}\n'
    assert json.loads(source.split("\n")[0]) == {"text": f"a{separator}b"}  # a valid JSON line
    document = parse("posts.jsonl", source)
    assert [segment.text for segment in document.segments] == [f"a{separator}b", "c"]


JSONL = b'{"text": "first"}\n{"text": "second"}\n'


@pytest.mark.parametrize("path", ["POSTS.JSONL", "posts.JsonL"])
def test_upper_case_jsonl_extension_is_json_lines(path):
    document, _note = parse_bytes(path, JSONL)
    assert [segment.text for segment in document.segments] == ["first", "second"]


@pytest.mark.parametrize("path", ["-", "posts.txt"])
def test_explicit_jsonl_format_reads_json_lines(path):
    document, _note = parse_bytes(path, JSONL, fmt="jsonl")
    assert [segment.text for segment in document.segments] == ["first", "second"]


def test_indented_json_with_crlf_and_cjk_before_the_word(parse, check_source_map, source_of):
    source = json.dumps([{"platform": "微博", "text": "小明😀说：Lily needs help\n谢谢"}], ensure_ascii=False, indent=2)
    source = source.replace("\n", "\r\n")
    document = parse("posts.json", source)
    check_source_map(document)
    for word in ("Lily", "help", "谢谢"):
        x, y = source_of(document, word)
        assert source[x:y] == word
    segment = document.segments[0]
    i = segment.text.index("\n")
    assert source[slice(*segment.source_span(i, i + 1))] == "\\n"
