"""Fuzzing every parser through the Linter (issue #7, item 4).

Random Unicode, broken markup, deep nesting, zero-width characters, mixed and truncated
encodings, huge attributes and damaged .docx archives: whatever the input, nothing escapes
the Linter, and the result meets the contract in conftest.check_report_entry. Rules only (no
classifier), so each example costs milliseconds.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main as cli_main
from storyguard.cache import CACHE_ENV

FUZZ = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Copy the rules react to, so fuzzed documents reach the rules and produce findings, not just parse.
TRIGGERS = [
    "orphan", "little orphan girl", "Meet Grace, 9, from Kisumu.", "She is 7 years old.", "AIDS orphan",
    "please share!!!", "share share share", "Call 0712 345 678", "grace@example.org", "bed 12", "Kibera Village",
    "留守儿童", "8岁的小明", "孤儿", "转发", "小明今年才8岁，住在柳塘村", "13912345678", "重症监护室3床",
    "storyguard: ignore[SG101] reason", "<!-- storyguard-disable-next-line SG201 -->", "storyguard-disable",
    "storyguard-enable", "“orphan”", "we never publish names",
]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u202e", "\u00ad"]
EMOJI = ["😀", "🙏", "❤️", "👧🏽", "🇨🇳", "👨‍👩‍👧"]
HTML_PIECES = [
    "<p>", "</p>", "<div>", "</div", "<", ">", "&", "&amp", "&#", "&#x", "&#128512;", "&#xD800;", "&#99999999;",
    "&nbsp", "&bogus;", "<img alt=\"", "<img alt='orphan girl' src=x.jpg>", "<img src=", "<title>", "</title>",
    "<meta name=description content=\"", "<meta property=og:image content=", "<script>", "</script>", "<style>",
    "<!--", "-->", "<![CDATA[", "]]>", "<!doctype html>", "<br/>", "<figcaption>", "<li>", "<table><tr><td>",
    "<svg><p>", "<?xml ?>", "\"", "'", "=", "/", "<a href=\"", "</a>", "<code>", "<h1>", "\n", "<img alt=orphan",
]
MARKDOWN_PIECES = [
    "---\n", "title: ", "consent: [", ": ", "\n", "\n\n", "\r\n", "# ", "> ", "- ", "1. ", "* ", "**", "_", "~~",
    "`", "```\n", "![", "](", ")", "[", "]", "(", "\"", "\\", "<img alt=\"x\" src=y>", "<br>", "<div>\n",
    "</div>\n", "&amp", "&#x", "| a | b |\n|---|---|\n", "<https://", "    ", "\t", "[ref]: ", "...", "&",
]
JSON_PIECES = ["{", "}", "[", "]", "\"", "\"text\":", "\"media\":", "\"alt\":", "\"hashtags\":", ",", ":", "\\",
               "\\u", "\\ud83d", "\\udc00", "null", "1e999", "-", "\n", " "]

any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # no lone surrogates: not encodable
cjk_text = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=12)


@st.composite
def with_zero_width(draw, phrase: str) -> str:
    """The phrase with zero-width characters inserted mid-word."""
    chars = list(phrase)
    for _ in range(draw(st.integers(1, 4))):
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(ZERO_WIDTH)))
    return "".join(chars)


def prose_pieces(markup: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        any_text, cjk_text, st.sampled_from(TRIGGERS), st.sampled_from(EMOJI), st.sampled_from(ZERO_WIDTH),
        st.sampled_from(TRIGGERS).flatmap(with_zero_width), *([st.sampled_from(markup)] if markup else []),
    )


def documents(markup: list[str], *, prefixes: tuple[str, ...] = ("",)) -> st.SearchStrategy[str]:
    body = st.lists(prose_pieces(markup), max_size=40).map("".join)
    return st.tuples(st.sampled_from(prefixes), body).map("".join)


@st.composite
def encoded(draw, text: str) -> bytes:
    """The text as a hostile file would carry it: odd encodings, foreign bytes spliced in, truncation."""
    how = draw(st.sampled_from(["utf-8", "utf-8-bom", "utf-16", "utf-16-truncated", "gb18030", "spliced", "latin-1"]))
    if how == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "utf-16-truncated":
        data = text.encode("utf-16")
        return data[:draw(st.integers(0, len(data)))]
    if how in ("gb18030", "latin-1"):
        return text.encode(how, errors="replace")
    data = bytearray(text.encode("utf-8"))
    if how == "spliced":
        foreign = st.sampled_from(["孩子今年8岁".encode("gb18030"), "café niño".encode("latin-1"), b"\x80", b"\xff\xfe", b"\xc3"])
        for _ in range(draw(st.integers(1, 3))):
            data[draw(st.integers(0, len(data))):0] = draw(foreign | st.binary(min_size=1, max_size=4))
    return bytes(data)


# --- text formats ---------------------------------------------------------------------------

@FUZZ
@given(st.data())
def test_text_never_crashes(lint_soundly, data):
    text = data.draw(documents([]))
    lint_soundly("draft.txt", data.draw(encoded(text)))


@FUZZ
@given(st.data())
def test_markdown_never_crashes(lint_soundly, data):
    text = data.draw(documents(MARKDOWN_PIECES, prefixes=("", "---\n", "---\r\n", "\ufeff---\n", "---\ntitle: [\n---\n")))
    lint_soundly("draft.md", data.draw(encoded(text)))


@FUZZ
@given(st.data())
def test_html_never_crashes(lint_soundly, data):
    text = data.draw(documents(HTML_PIECES, prefixes=("", "<!doctype html><html><head><title>", "<body><p>")))
    lint_soundly("page.html", data.draw(encoded(text)))


@FUZZ
@given(st.data())
def test_unknown_extension_is_sniffed_never_crashes(lint_soundly, data):
    text = data.draw(documents(HTML_PIECES + MARKDOWN_PIECES + JSON_PIECES))
    lint_soundly("upload", data.draw(encoded(text)))


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.docx", "a"]))
def test_random_bytes_in_any_format(lint_soundly, data, path):
    lint_soundly(path, data)


# --- social JSON ----------------------------------------------------------------------------

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), any_text)
post_string = st.one_of(documents([]), json_scalar)
media_item = st.fixed_dictionaries({}, optional={"alt": post_string, "url": post_string}) | json_scalar
social_post = st.fixed_dictionaries(
    {"text": post_string},
    optional={"platform": post_string, "media": st.lists(media_item, max_size=3) | json_scalar,
              "hashtags": st.lists(post_string, max_size=3) | json_scalar},
)
any_json = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3), max_leaves=10)


@st.composite
def social_json(draw, lines: bool) -> str:
    values = draw(st.lists(social_post | any_json, min_size=1, max_size=4))
    ascii_only, indent = draw(st.booleans()), draw(st.sampled_from([None, 2]))
    if lines:
        text = "\n".join(json.dumps(value, ensure_ascii=ascii_only) for value in values)
    else:
        text = json.dumps(values if len(values) > 1 else values[0], ensure_ascii=ascii_only, indent=indent)
    # Break it: truncate, or splice JSON tokens and prose in somewhere.
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at]
        else:
            text = text[:at] + draw(st.sampled_from(JSON_PIECES) | prose_pieces([])) + text[at:]
    return text


@FUZZ
@given(st.data(), st.booleans())
def test_social_json_never_crashes(lint_soundly, data, lines):
    text = data.draw(social_json(lines))
    raw = data.draw(st.just(text.encode("utf-8")) | encoded(text))
    lint_soundly("posts.jsonl" if lines else "posts.json", raw)


# --- deep nesting and huge attributes -------------------------------------------------------

DEPTH = 10_000
MEGABYTE_URL = "https://example.org/" + "a" * 1_000_000
# Long prose costs the rules real time; the 1 MB prose documents are timed in test_regex_backtracking.
LONG_ALT = "the quick brown fox " * 5_000
NESTED = {
    "json-arrays": ("posts.json", "[" * DEPTH + "]" * DEPTH),
    "json-objects": ("posts.json", '{"a":' * DEPTH + "1" + "}" * DEPTH),
    "json-unclosed": ("posts.json", '[{"text": "orphan", "media": ' + "[" * DEPTH),
    "json-deep-media": ("posts.json", '{"text": "orphan", "media": [' + "[" * DEPTH + "]" * DEPTH + "]}"),
    "jsonl-deep-line": ("posts.jsonl", '{"text": "orphan"}\n' + "[" * DEPTH + "]" * DEPTH + "\n"),
    "html-divs": ("page.html", "<div>" * DEPTH + "Meet Grace, 9, an orphan." + "</div>" * DEPTH),
    "html-unclosed-inline": ("page.html", "<b><i>" * DEPTH + "little orphan girl"),
    "html-tables": ("page.html", "<table><tr><td>" * 2000 + "孤儿"),
    "html-stray-lt": ("page.html", "<" * DEPTH + "orphan" + "&" * DEPTH),
    "markdown-quotes": ("draft.md", "> " * DEPTH + "little orphan girl\n"),
    "markdown-lists": ("draft.md", "".join("  " * i + "- orphan\n" for i in range(400))),
    "markdown-brackets": ("draft.md", "[" * DEPTH + "orphan" + "](x)" * DEPTH),
    "markdown-images": ("draft.md", "![" * DEPTH + "orphan" + "](x)" * DEPTH),
    "markdown-emphasis": ("draft.md", "*" * DEPTH + "orphan" + "_" * DEPTH),
    "markdown-html": ("draft.md", "<div>\n" + "<span>" * DEPTH + "orphan\n\n"),
    "markdown-front-matter": ("draft.md", "---\ntitle: " + "[" * DEPTH + "]" * DEPTH + "\n---\norphan\n"),
    "markdown-front-matter-unclosed": ("draft.md", "---\ntitle: orphan\nconsent: {\n" + "a: [\n" * 500),
    "markdown-front-matter-aliases": ("draft.md", "---\na: &a [orphan, orphan]\n" + "".join(
        f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(30)) + "---\nhi\n"),
    "html-megabyte-href-and-src": ("page.html", f'<p><a href="{MEGABYTE_URL}">Meet Grace</a>, 9.</p><img alt="orphan" src="{MEGABYTE_URL}">'),
    "html-long-alt": ("page.html", f'<p>Meet Grace</p><img alt="{LONG_ALT}" src=x.jpg>'),
    "html-long-unquoted-alt": ("page.html", f"<img alt={LONG_ALT.replace(' ', '_')} title=x>"),
    "html-long-unclosed-attribute": ("page.html", f'<img alt="{LONG_ALT}'),
    "markdown-megabyte-src": ("draft.md", f"![orphan girl]({MEGABYTE_URL})\n"),
    "markdown-long-alt": ("draft.md", f"![{LONG_ALT}](x.jpg)\n"),
    "markdown-long-inline-html": ("draft.md", f'Hello <img alt="{LONG_ALT}" src=x> there\n'),
    "json-megabyte-url": ("posts.json", json.dumps({"text": "orphan", "media": [{"alt": LONG_ALT, "url": MEGABYTE_URL}]})),
}


@pytest.mark.parametrize("case", NESTED)
def test_deep_nesting_and_huge_attributes(lint_soundly, case):
    path, text = NESTED[case]
    lint_soundly(path, text.encode("utf-8"))


# --- .docx ----------------------------------------------------------------------------------

def xml_safe(text: str) -> str:
    """python-docx refuses characters XML 1.0 cannot hold; a real draft cannot contain them."""
    return "".join(ch for ch in text if ch in "\t\n\r" or 0x20 <= ord(ch) <= 0xD7FF or 0xE000 <= ord(ch) <= 0xFFFD or ord(ch) > 0xFFFF)


def docx_bytes(paragraphs: list[str], alt: str | None = None) -> bytes:
    draft = docx.Document()
    for paragraph in paragraphs:
        draft.add_paragraph(xml_safe(paragraph))
    if alt is not None:
        table = draft.add_table(rows=1, cols=2)
        table.cell(0, 0).merge(table.cell(0, 1)).text = xml_safe(alt)
    out = io.BytesIO()
    draft.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The archive with some members' content replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, replace.get(item.filename, source.read(item.filename)))
    return out.getvalue()


DOCX_SAMPLE = docx_bytes(["Meet Grace, 9, an orphan from Kibera Village.", "小明今年8岁，是留守儿童。"], alt="orphan girl")
DOCUMENT_XML = "word/document.xml"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BROKEN_PARTS = {
    "not-xml": b"this is not xml <<<",
    "truncated": zipfile.ZipFile(io.BytesIO(DOCX_SAMPLE)).read(DOCUMENT_XML)[:300],
    "deep": f"<w:document {W}><w:body>".encode() + b"<w:p>" * DEPTH + b"</w:p>" * DEPTH + b"</w:body></w:document>",
    "no-body": f"<w:document {W}/>".encode(),
    "entity-expansion": (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "orphan orphan orphan">'
                         b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
                         b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
                         + f"<w:document {W}><w:body><w:p><w:r><w:t>&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;</w:t></w:r></w:p></w:body></w:document>".encode()),
}


@FUZZ_SLOW
@given(st.lists(documents([]), min_size=1, max_size=5), st.none() | documents([]))
def test_docx_with_hostile_text(lint_soundly, paragraphs, alt):
    file = lint_soundly("draft.docx", docx_bytes(paragraphs, alt))
    assert file.error is None


@FUZZ
@given(st.data())
def test_damaged_docx_archives(lint_soundly, data):
    valid = DOCX_SAMPLE
    how = data.draw(st.sampled_from(["truncate", "flip", "zip-magic-then-garbage", "extension-only"]))
    if how == "truncate":
        damaged = valid[:data.draw(st.integers(0, len(valid)))]
    elif how == "flip":
        damaged = bytearray(valid)
        for _ in range(data.draw(st.integers(1, 8))):
            damaged[data.draw(st.integers(0, len(valid) - 1))] = data.draw(st.integers(0, 255))
        damaged = bytes(damaged)
    elif how == "zip-magic-then-garbage":
        damaged = b"PK\x03\x04" + data.draw(st.binary(max_size=500))
    else:
        damaged = data.draw(documents([])).encode("utf-8")
    lint_soundly(data.draw(st.sampled_from(["draft.docx", "upload"])), damaged)


@pytest.mark.parametrize("case", BROKEN_PARTS)
def test_docx_with_broken_document_xml(lint_soundly, case):
    lint_soundly("draft.docx", rezip(DOCX_SAMPLE, {DOCUMENT_XML: BROKEN_PARTS[case]}))


def test_docx_missing_document_part_is_a_file_error(lint_soundly):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(DOCX_SAMPLE)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != DOCUMENT_XML:
                target.writestr(item, source.read(item.filename))
    assert lint_soundly("draft.docx", out.getvalue()).error is not None


# A bomb: a small .docx (far under max-file-size) whose document.xml inflates to 64 MB of prose.
BOMB_SCRIPT = textwrap.dedent("""
    import io, resource, sys, time, zipfile
    from storyguard.documents import parse_bytes
    from storyguard.errors import InputError

    sample = sys.stdin.buffer.read()
    paragraph = b"<w:p><w:r><w:t>" + b"share this post " * 65536 + b"</w:t></w:r></w:p>"  # 1 MB of text
    head = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item.filename))
        with target.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head)
            for _ in range(64):
                member.write(paragraph)
            member.write(b"</w:body></w:document>")
    bomb = out.getvalue()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        parse_bytes("bomb.docx", bomb)
        refused = False
    except InputError as exc:
        refused = True
        print(exc.kind, exc.problem, file=sys.stderr)
    print(len(bomb), refused, time.perf_counter() - started, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
""")


def test_docx_zip_bomb_is_refused_cheaply(tmp_path):
    """A small archive that inflates hugely is refused as a per-file error without inflating it all
    (parsing only: linting 64 MB of prose is the time budget's business)."""

    def cap_memory() -> None:  # an unbounded parser must fail here, not take the machine's memory
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    result = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT], input=DOCX_SAMPLE, capture_output=True, timeout=60,
        preexec_fn=cap_memory, env={**os.environ, CACHE_ENV: str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    size, refused, seconds, grown_mb = result.stdout.split()
    assert int(size) < 2**20
    assert refused == b"True", "a 64 MB document.xml was inflated and parsed"
    assert float(seconds) < 2 and int(grown_mb) < 50, (seconds, grown_mb)


# --- the CLI, end to end --------------------------------------------------------------------

def test_cli_json_report_over_hostile_files_validates(tmp_path, report_validator, monkeypatch):
    """One `storyguard check --format json` run over a folder of hostile files of every format."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "drafts"
    folder.mkdir()
    files = {
        "deep.json": NESTED["json-arrays"][1].encode(),
        "broken.jsonl": b'{"text": "orphan"}\n{"text": \n',
        "posts.json": json.dumps([{"text": "Share!!! 8岁的小明\u200b是孤儿", "media": [{"alt": "orphan\ufeff girl"}]}]).encode("utf-16"),
        "deep.html": NESTED["html-divs"][1].encode(),
        "entities.html": "<p>Meet Grace, 9 &amp orphan &#x1F600 &#99999999; <img alt='孤儿".encode("gb18030"),
        "front.md": b"---\ntitle: [unclosed\n---\nMeet Grace, 9, an orphan.\n",
        "spliced.md": "Meet Grace, 9.\n\n小明8岁".encode() + b"\xff\xfe\x80" + "留守儿童".encode("gb18030"),
        "truncated.txt": "留守儿童 orphan".encode("utf-16")[:-1],
        "zero-width.txt": "Meet\u200b Gr\u200dace, 9, an or\ufeffphan.".encode(),
        "binary.txt": bytes(range(256)),
        "garbage.docx": b"PK\x03\x04" + bytes(range(256)) * 4,
        "draft.docx": DOCX_SAMPLE,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    result = CliRunner().invoke(cli_main, ["check", "--format", "json", "--no-model", "--no-cache", str(folder)])
    assert isinstance(result.exception, SystemExit) and result.exit_code in (0, 1, 2), result.output
    report = json.loads(result.stdout)
    problems = list(report_validator.iter_errors(report))
    assert not problems, problems[0].message
    assert sorted(Path(file["path"]).name for file in report["files"]) == sorted(files)
    assert report["summary"]["findings"] > 0
    errors = {Path(file["path"]).name for file in report["files"] if file["error"]}
    assert {"binary.txt", "garbage.docx"} <= errors and "draft.docx" not in errors
