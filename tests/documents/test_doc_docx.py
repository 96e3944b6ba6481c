"""Word drafts: the document text is the paragraphs, one per line; segments slice it exactly."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
import pytest

from storyguard.documents import parse_bytes
from storyguard.errors import InputError


def _tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _save(draft) -> bytes:
    out = io.BytesIO()
    draft.save(out)
    return out.getvalue()


@pytest.fixture
def draft_bytes(tmp_path):
    draft = docx.Document()
    draft.add_paragraph("Help Ming 小明 😀 go to school", style="Title")
    draft.add_heading("Heading Lily", level=1)
    draft.add_paragraph("Body paragraph with a run", style="Normal").add_run(" and 另一段 text")
    draft.add_paragraph("")
    draft.add_paragraph("First bullet", style="List Bullet")
    draft.add_paragraph("Figure 1: caption words", style="Caption")
    table = draft.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Cell 甲"
    table.cell(0, 1).text = "Cell B"
    picture_path = tmp_path / "pixel.png"
    picture_path.write_bytes(_tiny_png())
    draft.add_picture(str(picture_path))
    for doc_pr in draft.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        doc_pr.set("descr", "Alt text of Ming")
    path = tmp_path / "draft.docx"
    draft.save(str(path))
    return path.read_bytes()


def test_docx_segments_and_scopes(draft_bytes):
    document, note = parse_bytes("draft.docx", draft_bytes)
    assert note is None
    assert (document.format, document.encoding) == ("docx", "docx")
    assert [(segment.scope, segment.text) for segment in document.segments] == [
        ("title", "Help Ming 小明 😀 go to school"),
        ("heading", "Heading Lily"),
        ("paragraph", "Body paragraph with a run and 另一段 text"),
        ("list-item", "First bullet"),
        ("caption", "Figure 1: caption words"),
        ("table-cell", "Cell 甲"),
        ("table-cell", "Cell B"),
        ("image-alt", "Alt text of Ming"),
    ]


def test_docx_text_is_one_line_per_paragraph_and_offsets_slice_it(draft_bytes, check_source_map, source_of):
    document, _note = parse_bytes("draft.docx", draft_bytes)
    lines = document.text.split("\n")
    assert lines[0] == "Help Ming 小明 😀 go to school"
    assert lines[3] == ""  # the empty paragraph keeps its line, so line N is paragraph N
    check_source_map(document)
    for word in ("school", "Lily", "另一段", "bullet", "甲", "Ming"):
        x, y = source_of(document, word)
        assert document.text[x:y] == word
    for segment in document.segments:
        x, y = segment.source_span(0, len(segment.text))
        assert document.text[x:y] == segment.text


def test_docx_is_sniffed_from_zip_magic():
    document, note = parse_bytes("upload.bin", _save(_with_paragraph("Sniffed words")))
    assert document.format == "docx"
    assert note is not None and "docx" in note
    assert [segment.text for segment in document.segments] == ["Sniffed words"]


def _with_paragraph(text: str):
    draft = docx.Document()
    draft.add_paragraph(text)
    return draft


def test_explicit_docx_format_for_other_extension():
    document, note = parse_bytes("upload", _save(_with_paragraph("x y")), fmt="docx")
    assert document.format == "docx" and note is None


@pytest.mark.parametrize("data", [b"", b"this is not a zip", b"PK\x03\x04 truncated"])
def test_non_zip_docx_is_an_input_error(data):
    with pytest.raises(InputError) as caught:
        parse_bytes("draft.docx", data)
    assert caught.value.kind == "parse"


def test_zip_that_is_not_a_word_document_is_an_input_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not word")
    with pytest.raises(InputError) as caught:
        parse_bytes("draft.docx", out.getvalue())
    assert "damaged .docx" in caught.value.problem


def test_merged_table_cell_is_read_once():
    draft = docx.Document()
    table = draft.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Merged Lily Chen"
    document, _note = parse_bytes("draft.docx", _save(draft))
    assert [segment.text for segment in document.segments] == ["Merged Lily Chen"]


def test_soft_line_break_keeps_one_paragraph_per_line():
    draft = docx.Document()
    paragraph = draft.add_paragraph("line one")
    paragraph.add_run().add_break()
    paragraph.add_run("line two")
    draft.add_paragraph("next para")
    document, _note = parse_bytes("draft.docx", _save(draft))
    assert document.text.split("\n")[1] == "next para"


def test_soft_line_break_offsets_still_slice(check_source_map):
    draft = docx.Document()
    paragraph = draft.add_paragraph("line one")
    paragraph.add_run().add_break()
    paragraph.add_run("line two 小明")
    draft.add_paragraph("next para")
    document, _note = parse_bytes("draft.docx", _save(draft))
    check_source_map(document)
    segment = document.segments[-1]
    assert document.text[slice(*segment.source_span(0, len(segment.text)))] == "next para"
