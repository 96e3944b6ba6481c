"""Edits in segment offsets become source edits only where they cannot break markup."""

from __future__ import annotations

import json

import pytest

from storyguard.documents import parse_text
from storyguard.edits import EditRejected, escape_replacement, source_edit, source_fix
from storyguard.rules import Edit, Fix


def segment_with(document, needle):
    return next(s for s in document.segments if needle in s.text)


def edit_for(document, needle, replacement):
    segment = segment_with(document, needle)
    start = segment.text.index(needle)
    return source_edit(segment, Edit(start, start + len(needle), replacement), document.text, document.format)


def test_plain_text_maps_character_for_character():
    doc = parse_text("a.txt", "Intro.\n\nCall 07700 900123 now.", "text")
    edit = edit_for(doc, "07700 900123", "[contact removed]")
    assert doc.text[edit.start:edit.end] == "07700 900123"
    assert edit.replacement == "[contact removed]"


def test_markdown_edit_may_not_swallow_emphasis_markers():
    doc = parse_text("a.md", "Meet **Lily** Chen, 7.\n", "markdown")
    with pytest.raises(EditRejected):
        edit_for(doc, "Lily Chen", "L.")
    inside = edit_for(doc, "Lily", "L.")
    assert doc.text[inside.start:inside.end] == "Lily"


def test_markdown_replacement_is_escaped_and_line_wrap_is_crossable():
    doc = parse_text("a.md", "Call her mum on 07700\n900123 today.\n", "markdown")
    edit = edit_for(doc, "07700\n900123", "[contact removed]")
    assert doc.text[edit.start:edit.end] == "07700\n900123"
    assert edit.replacement == r"\[contact removed\]"


def test_blockquote_markers_between_lines_are_markup():
    doc = parse_text("a.md", "> Call 07700\n> 900123 today.\n", "markdown")
    with pytest.raises(EditRejected):
        edit_for(doc, "07700\n900123", "x")


def test_html_edit_stops_at_tags_and_escapes():
    doc = parse_text("a.html", "<p>Lily <b>Chen</b> &amp; 07700 900123</p>", "html")
    with pytest.raises(EditRejected):
        edit_for(doc, "Lily Chen", "L.")
    edit = edit_for(doc, "& 07700", "<removed>")
    assert doc.text[edit.start:edit.end] == "&amp; 07700"  # the entity is replaced whole
    assert edit.replacement == "&lt;removed&gt;"


def test_html_attribute_replacement_escapes_quotes():
    assert escape_replacement('say "hi"', "html", "image-alt") == "say &quot;hi&quot;"
    assert escape_replacement('say "hi"', "html", "paragraph") == 'say "hi"'


def test_collapsed_run_is_replaced_whole_or_not_at_all():
    doc = parse_text("a.md", "Run `make demo now` then call 07700 900123.\n", "markdown")
    segment = doc.segments[0]
    masked = segment.text.index("   ")  # inline code is masked as spaces standing for the code span
    with pytest.raises(EditRejected):
        source_edit(segment, Edit(masked + 2, masked + 5, "x"), doc.text, "markdown")


def test_json_string_escapes_survive():
    raw = '{"text": "\\u738b\\u5c0f\\u96e8 needs help, call 13812345678 \\"now\\""}'
    doc = parse_text("a.json", raw, "social-json")
    edit = edit_for(doc, "13812345678", 'a "quoted" \\ value')
    fixed = doc.text[:edit.start] + edit.replacement + doc.text[edit.end:]
    assert json.loads(fixed)["text"].endswith('call a "quoted" \\ value "now"')
    name = edit_for(doc, "王小雨", "王某")
    assert doc.text[name.start:name.end] == "\\u738b\\u5c0f\\u96e8"


def test_front_matter_refuses_yaml_syntax():
    doc = parse_text("a.md", "---\ntitle: Lily 07700 900123\n---\nBody.\n", "markdown")
    segment = next(s for s in doc.segments if s.scope == "front-matter")
    start = segment.text.index("07700")
    with pytest.raises(EditRejected):
        source_edit(segment, Edit(start, start + 12, "[removed]"), doc.text, "markdown")
    assert source_edit(segment, Edit(start, start + 12, "removed"), doc.text, "markdown").replacement == "removed"


def test_rejected_fix_becomes_display_only_with_the_reason():
    doc = parse_text("a.md", "Meet **Lily** Chen, 7.\n", "markdown")
    segment = doc.segments[0]
    start = segment.text.index("Lily")
    fix = source_fix(segment, Fix((Edit(start, start + 9, "L."),), "unsafe", "initial"), doc.text, "markdown")
    assert fix.applicability == "display" and fix.edits == () and "spans markup" in fix.description


def test_docx_is_never_edited():
    doc = parse_text("a.txt", "07700 900123", "text")
    with pytest.raises(EditRejected, match="docx"):
        source_edit(doc.segments[0], Edit(0, 5, "x"), doc.text, "docx")
