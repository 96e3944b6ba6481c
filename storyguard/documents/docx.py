"""Word drafts (.docx) through python-docx.

A .docx file is a zip of XML, so there is no decoded text to point into. The document text
is defined as the draft's paragraphs in reading order (body, then table cells row by row),
one per line, followed by one line per picture's alt text; offsets and lines in reports
refer to that text (line N = paragraph N), which `storyguard check --format text` shows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from ..errors import InputError
from .model import Document, verbatim_segment

_NS_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
# A 500-page manuscript with images is well under these; a deflated run of repeated XML is not.
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # text XML deflates about 5-20:1


def parse_docx(path: str, data: bytes) -> Document:
    try:
        import docx  # python-docx; imported here so other formats never pay for it
    except ImportError as exc:  # pragma: no cover - it is a core dependency
        raise InputError("python-docx is not installed; cannot read .docx", kind="unreadable") from exc
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("not a .docx file (not a zip archive)", kind="parse")
    _refuse_zip_bomb(data)
    try:
        draft = docx.Document(io.BytesIO(data))
        lines = _lines(draft)
    except Exception as exc:  # python-docx raises assorted KeyError/ValueError/AttributeError on damaged packages
        raise InputError(f"damaged .docx: {type(exc).__name__}: {exc}", kind="parse") from exc
    text = "\n".join(line for line, _scope in lines)
    document = Document(path=path, format="docx", text=text, encoding="docx")
    offset = 0
    for line, scope in lines:
        segment = verbatim_segment(line, offset, scope)
        if segment is not None:
            document.segments.append(segment)
        offset += len(line) + 1
    return document


def _refuse_zip_bomb(data: bytes) -> None:
    """A .docx is deflated XML: a few MB can inflate to gigabytes. Refuse it from the archive's
    own listing, before anything is inflated."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"damaged .docx: {exc}", kind="parse") from exc
    inflated = sum(member.file_size for member in members)
    if inflated > MAX_INFLATED_BYTES:
        raise InputError(
            f"the .docx inflates to {inflated} bytes, over the {MAX_INFLATED_BYTES}-byte limit for a draft", kind="too-large")
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise InputError(
                f"the .docx member {member.filename} is compressed {member.file_size // max(member.compress_size, 1)}:1, "
                "more than any real draft (a zip bomb?)", kind="too-large")


def _lines(draft) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    style_name = _paragraph_style_names(draft)
    for paragraph in draft.paragraphs:
        lines.append((_one_line(paragraph.text), _scope_of(style_name(paragraph._p.style))))
    seen_cells: set[int] = set()
    for table in draft.tables:
        for row in table.rows:
            for cell in row.cells:
                # python-docx repeats a merged cell for every grid column it spans.
                if id(cell._tc) in seen_cells:
                    continue
                seen_cells.add(id(cell._tc))
                lines.extend((_one_line(paragraph.text), "table-cell") for paragraph in cell.paragraphs)
    for shape in draft.element.body.iter(f"{_NS_WP}docPr"):
        if shape.get("descr"):
            lines.append((_one_line(shape.get("descr")), "image-alt"))
    return lines


def _one_line(text: str) -> str:
    """Soft line breaks become spaces (same length), keeping one paragraph per line."""
    return text.replace("\r", " ").replace("\n", " ").replace("\v", " ")


def _paragraph_style_names(draft) -> Callable[[str | None], str]:
    """Style id to name, resolved as `paragraph.style` does (a missing or unknown id means the
    default paragraph style), but from one table per document: python-docx searches the
    styles part again for every paragraph, which was most of the time of reading a .docx."""
    from docx.enum.style import WD_STYLE_TYPE

    names = {style.style_id: style.name or "" for style in draft.styles if style.type == WD_STYLE_TYPE.PARAGRAPH}
    default = draft.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = (default.name or "") if default is not None else ""
    return lambda style_id: names.get(style_id, default_name) if style_id is not None else default_name


def _scope_of(style: str) -> str:
    if style == "Title":
        return "title"
    if style.startswith("Heading"):
        return "heading"
    if style.startswith("List"):
        return "list-item"
    if style in ("Caption",):
        return "caption"
    return "paragraph"
