"""Turning input files into documents: segments of prose with exact source maps."""

from __future__ import annotations

import os
import re

from ..errors import InputError
from .decode import decode_bytes
from .model import LOCATOR_SCOPES, SCOPES, Document, Segment, SegmentBuilder, SourceMap

__all__ = [
    "Document", "Segment", "SegmentBuilder", "SourceMap", "SCOPES", "LOCATOR_SCOPES",
    "FORMATS", "format_for", "parse_bytes", "parse_text",
]

# Extension -> format name used in reports and by `--stdin-filename`.
FORMATS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "social-json", ".jsonl": "social-json",
    ".docx": "docx",
}
FORMAT_ALIASES = {"text": "text", "txt": "text", "markdown": "markdown", "md": "markdown", "html": "html",
                  "social-json": "social-json", "json": "social-json", "jsonl": "social-json", "docx": "docx"}
_HTML_SNIFF = re.compile(r"<(?:!doctype html|html|head|body|p|div|h[1-6]|img|meta|title)\b", re.I)
_MARKDOWN_SNIFF = re.compile(r"^(?:#{1,6} |---\s*$|[-*] |\d+\. |> |!\[)|\]\([^)]+\)", re.M)


def format_for(path: str) -> str | None:
    return FORMATS.get(os.path.splitext(path)[1].lower())


def sniff_format(text: str) -> str:
    """Guess the format of a file with an unknown extension from its content."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head[:1] and head[:1] in "{[":
        return "social-json"
    if _HTML_SNIFF.search(head):
        return "html"
    if _MARKDOWN_SNIFF.search(head):
        return "markdown"
    return "text"


def parse_text(path: str, text: str, fmt: str) -> Document:
    """Parse already-decoded text in a known format."""
    # Each parser is imported when its format first appears: bs4 alone costs 0.1 s of start-up.
    if fmt == "text":
        from .text import parse_text as parse_plain

        return parse_plain(path, text)
    if fmt == "markdown":
        from .markdown import parse_markdown

        return parse_markdown(path, text)
    if fmt == "html":
        from .html import parse_html

        return parse_html(path, text)
    if fmt in ("social-json", "jsonl"):
        from .social import parse_social

        return parse_social(path, text, lines=path.lower().endswith(".jsonl") or fmt == "jsonl")
    raise InputError(f"unknown format {fmt!r}", kind="usage")


def parse_bytes(path: str, data: bytes, fmt: str | None = None) -> tuple[Document, str | None]:
    """Decode and parse one input. Returns the document and, if the format was sniffed, a note saying so."""
    # "jsonl" stays distinct until parsing: it is social-json read line by line.
    fmt = (fmt if fmt == "jsonl" else FORMAT_ALIASES.get(fmt, fmt)) if fmt else format_for(path)
    if fmt == "docx" or (fmt is None and data[:4] == b"PK\x03\x04"):
        from .docx import parse_docx

        return parse_docx(path, data), None if fmt == "docx" else "format sniffed as docx (zip archive)"
    decoded = decode_bytes(data)
    note = None
    if fmt is None:
        fmt = sniff_format(decoded.text)
        note = f"unknown extension; content sniffed as {fmt}"
    document = parse_text(path, decoded.text, fmt)
    document.encoding = decoded.encoding
    return document, note
