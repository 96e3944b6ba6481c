"""Property tests for `fix` in every format: the file still parses with the same structure, no
byte outside the edits changes, safe fixes settle in one pass, and a failed write loses nothing."""

from __future__ import annotations

import difflib
import html
import json
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from storyguard import atomic
from storyguard.config import Config
from storyguard.documents.decode import decode_bytes
from storyguard.engine import Linter
from storyguard.fixer import FixOptions, choose_fixes, fix_file

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# What the fixes act on, mixed into random prose: every one is about a child.
SENSITIVE = [
    "Lily Chen, 7, needs surgery.", "Call her mum on 07700 900123.", "Email lily.chen@example.org today.",
    "She lives at 14 Birch Lane.", "Meet Joseph, an AIDS orphan.", "Please share to save her!",
    "王小雨今年8岁。", "联系电话：13812345678。", "身份证号：440306201506121537。", "这个留守儿童才5岁，转发救命！",
]
FILLER = st.text(
    alphabet=st.sampled_from(list("abcdefgh XYZ,.;:!?'\"()-孩子的一是在我们 \u200b\u00a0😀é0123456789")), max_size=40,
)
PIECES = st.lists(st.one_of(st.sampled_from(SENSITIVE), FILLER), min_size=1, max_size=8)


@pytest.fixture(scope="module")
def linter(registry):
    return Linter(Config(model_enabled=False), registry)


@st.composite
def text_documents(draw):
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    paragraphs = [" ".join(draw(PIECES)) for _ in range(draw(st.integers(1, 4)))]
    return (newline * 2).join(paragraphs) + newline


@st.composite
def markdown_documents(draw):
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        pieces = draw(PIECES)
        if draw(st.booleans()):
            index = draw(st.integers(0, len(pieces) - 1))
            pieces[index] = f"**{pieces[index]}**"
        line = " ".join(pieces).replace("\n", " ")
        prefix = draw(st.sampled_from(["", "# ", "- ", "> ", "1. "]))
        blocks.append(prefix + line)
        if draw(st.booleans()):
            blocks.append(f"![{draw(st.sampled_from(SENSITIVE))}](img/photo.jpg)")
    return "\n\n".join(blocks) + "\n"


@st.composite
def html_documents(draw):
    body = []
    for _ in range(draw(st.integers(1, 5))):
        pieces = [html.escape(p) for p in draw(PIECES)]
        if draw(st.booleans()):
            index = draw(st.integers(0, len(pieces) - 1))
            pieces[index] = f"<b>{pieces[index]}</b>"
        tag = draw(st.sampled_from(["p", "li", "h2", "td"]))
        body.append(f"<{tag}>{' '.join(pieces)}</{tag}>")
        if draw(st.booleans()):
            body.append(f'<img alt="{html.escape(draw(st.sampled_from(SENSITIVE)), quote=True)}" src="photo.jpg">')
    return f"<html><head><title>Appeal</title></head><body>{''.join(body)}<br></body></html>"


@st.composite
def json_documents(draw):
    posts = [
        {"platform": "weibo", "id": i, "text": " ".join(draw(PIECES)), "likes": draw(st.integers(0, 99)),
         "media": [{"alt": draw(st.sampled_from(SENSITIVE)), "url": "photo.jpg"}], "hashtags": ["救助"]}
        for i in range(draw(st.integers(1, 3)))
    ]
    return json.dumps(posts, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))


def html_structure(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    events: list[tuple[str, str, tuple[str, ...]]] = []

    class Recorder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            events.append(("start", tag, tuple(name for name, _ in attrs)))

        def handle_endtag(self, tag):
            events.append(("end", tag, ()))

    Recorder().feed(text)
    return events


def markdown_structure(text: str) -> list[tuple[str, str]]:
    ignored = ("text", "softbreak", "hardbreak")
    out = []
    for token in MarkdownIt("commonmark").parse(text):
        out.append((token.type, token.tag))
        out.extend((child.type, child.tag) for child in token.children or [] if child.type not in ignored)
    return out


def json_structure(value):
    if isinstance(value, dict):
        return {key: json_structure(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_structure(item) for item in value]
    return "<string>" if isinstance(value, str) else value


STRUCTURE = {
    "txt": lambda text: text.count("\n"),
    "md": markdown_structure,
    "html": html_structure,
    "json": lambda text: json_structure(json.loads(text)),
}


def check_fix(linter, suffix: str, source: str, encoding: str = "utf-8") -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / f"page.{suffix}"
        page.write_bytes(source.encode(encoding))
        report = linter.lint_bytes(str(page), page.read_bytes())
        chosen, _deferred = choose_fixes(report, ("safe",))
        spans = sorted((e.start, e.end) for f in chosen for e in f.fix.edits)
        result = fix_file(linter, str(page), FixOptions())
        assert result.error is None, result.error
        fixed = decode_bytes(page.read_bytes()).text
    assert STRUCTURE[suffix](fixed) == STRUCTURE[suffix](source)
    # Every change lies inside an edit of the first pass: safe fixes settle at once, and
    # nothing else in the file moves.
    matcher = difflib.SequenceMatcher(None, source, fixed, autojunk=False)
    for tag, a, b, _c, _d in matcher.get_opcodes():
        if tag != "equal":
            assert any(start <= a and b <= end for start, end in spans), (source[a:b], spans)
    if spans:
        assert fixed.startswith(source[:spans[0][0]]) and fixed.endswith(source[spans[-1][1]:])


@SETTINGS
@given(text_documents(), st.sampled_from(["utf-8", "gb18030"]))
def test_text(linter, source, encoding):
    check_fix(linter, "txt", source.replace("😀", "") if encoding == "gb18030" else source, encoding)


@SETTINGS
@given(markdown_documents())
def test_markdown(linter, source):
    check_fix(linter, "md", source)


@SETTINGS
@given(html_documents())
def test_html(linter, source):
    check_fix(linter, "html", source)


@SETTINGS
@given(json_documents())
def test_social_json(linter, source):
    check_fix(linter, "json", source)


@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(st.one_of(text_documents().map(lambda s: ("txt", s)), html_documents().map(lambda s: ("html", s)),
                 json_documents().map(lambda s: ("json", s))),
       st.sampled_from(["fsync", "chmod", "replace"]))
def test_a_write_failing_midway_leaves_the_original(linter, document, failing_step):
    suffix, source = document
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / f"page.{suffix}"
        page.write_bytes(source.encode("utf-8"))
        with mock.patch.object(atomic.os, failing_step, side_effect=OSError(5, "Input/output error")):
            result = fix_file(linter, str(page), FixOptions(unsafe=True))
        assert page.read_bytes() == source.encode("utf-8")
        assert [p.name for p in Path(folder).iterdir()] == [page.name]
        if result.error:
            assert "unchanged" in result.error and result.applied == []
