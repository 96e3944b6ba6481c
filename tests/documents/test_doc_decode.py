"""Bytes to text: encodings, byte-order marks, binary and undecodable input."""

from __future__ import annotations

import codecs
import random

import pytest

from storyguard.documents import parse_bytes
from storyguard.documents.decode import decode_bytes, encode_text
from storyguard.errors import InputError

CHINESE = "小明今年七岁，家住山区。\n他每天走两个小时去上学。Lily 也在这里。\n"

ENCODINGS = {
    "utf-8": CHINESE.encode("utf-8"),
    "utf-8-bom": codecs.BOM_UTF8 + CHINESE.encode("utf-8"),
    "utf-16-le-bom": codecs.BOM_UTF16_LE + CHINESE.encode("utf-16-le"),
    "utf-16-be-bom": codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"),
    "gb18030": CHINESE.encode("gb18030"),
}


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_same_chinese_text_in_every_encoding_decodes_the_same(name):
    decoded = decode_bytes(ENCODINGS[name])
    assert decoded.text == CHINESE  # no BOM left in the text
    expected_encoding = {"utf-8-bom": "utf-8", "utf-16-le-bom": "utf-16-le", "utf-16-be-bom": "utf-16-be"}.get(name, name)
    assert decoded.encoding == expected_encoding


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_parsed_offsets_are_the_same_in_every_encoding(name):
    document, _note = parse_bytes("story.txt", ENCODINGS[name])
    assert document.text == CHINESE
    segment = document.segments[0]
    i = segment.text.index("上学")
    assert segment.source_span(i, i + 2) == (CHINESE.index("上学"), CHINESE.index("上学") + 2)


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_encode_text_round_trips(name):
    decoded = decode_bytes(ENCODINGS[name])
    assert encode_text(decoded.text, decoded.encoding, decoded.bom) == ENCODINGS[name]


def test_gbk_chinese_markdown_parses():
    source = "# 标题\n\n这个孩子需要帮助。\n"
    document, _note = parse_bytes("a.md", source.encode("gbk"))
    assert document.encoding == "gb18030"
    assert [segment.text for segment in document.segments] == ["标题", "这个孩子需要帮助。"]


def test_utf8_bom_offsets_do_not_count_the_bom():
    document, _note = parse_bytes("a.md", codecs.BOM_UTF8 + "# Title 小明\n".encode())
    (segment,) = document.segments
    assert document.text == "# Title 小明\n"
    assert segment.source_span(0, len(segment.text)) == (2, 10)


def test_empty_file_is_empty_text():
    decoded = decode_bytes(b"")
    assert (decoded.text, decoded.encoding) == ("", "utf-8")
    document, _note = parse_bytes("a.txt", b"")
    assert document.segments == []


@pytest.mark.parametrize("data", [b"hello\x00world", b"\x00" * 10, "text".encode("utf-16-le")])
def test_nul_bytes_are_binary(data):
    with pytest.raises(InputError) as caught:
        decode_bytes(data)
    assert caught.value.kind == "binary"


def test_many_control_characters_are_binary():
    with pytest.raises(InputError) as caught:
        decode_bytes(b"\x01\x02\x03\x04 abc")
    assert caught.value.kind == "binary"


def test_a_few_control_characters_are_tolerated():
    text = "a" * 100 + "\x0b" + "\x1b[0m" + "b" * 100
    assert decode_bytes(text.encode()).text == text


@pytest.mark.parametrize("seed", range(5))
def test_random_high_bytes_are_undecodable(seed):
    rng = random.Random(seed)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(300))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    with pytest.raises(InputError) as caught:
        decode_bytes(data)
    assert caught.value.kind == "encoding"
    assert "UTF-8" in caught.value.problem


def test_latin1_prose_is_not_mistaken_for_gb18030():
    data = "Café crème, résumé, naïve, à bientôt, Zoë! ".encode("latin-1") * 5
    with pytest.raises(InputError) as caught:
        decode_bytes(data)
    assert caught.value.kind == "encoding"


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_invalid_bytes_after_a_bom(bom, encoding):
    body = b"\xff\xfe\xfd" if encoding == "utf-8" else b"\x41"  # odd length for UTF-16
    with pytest.raises(InputError) as caught:
        decode_bytes(bom + body)
    assert caught.value.kind == "encoding"
    assert encoding in caught.value.problem


def test_binary_error_is_raised_by_parse_bytes_for_every_text_format():
    for path in ("a.txt", "a.md", "a.html", "a.json", "a.unknown"):
        with pytest.raises(InputError):
            parse_bytes(path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


@pytest.mark.parametrize("text", ["“我想上学。”小明说……\n", "小明——七岁·山区\n", "“救救孩子！”\n"])
def test_gbk_chinese_with_chinese_punctuation_decodes(text):
    assert decode_bytes(text.encode("gbk")).text == text
