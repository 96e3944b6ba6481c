"""From a rule's edit in segment text to an edit on the source file that keeps its markup valid.

A rule edits the prose it sees. Before that edit can touch the file it must (1) land on one
unbroken stretch of source, with nothing skipped in between but whitespace, so it never
swallows a tag, Markdown syntax or JSON structure, and (2) have its replacement escaped for
where it lands (an HTML text node or attribute, a JSON string, Markdown inline text).
An edit that cannot meet both is not applied automatically: its fix becomes display-only.
"""

from __future__ import annotations

import html
import json
import re

from .documents.model import Segment
from .rules import Edit, Fix

_ATTRIBUTE_SCOPES = ("image-alt", "image-title", "image-src", "meta")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
# A plain YAML scalar stays plain (and the front matter stays valid) with none of these.
_YAML_SAFE = re.compile(r"^[^:#'\"\[\]{},&*!|>%@`\\\n]*$")


class EditRejected(Exception):
    """Why an edit cannot be applied to the source as it stands."""


def source_edit(segment: Segment, edit: Edit, source: str, fmt: str | None) -> Edit:
    """Map an edit from segment offsets to source offsets, escaped for its place in the file."""
    if fmt == "docx":
        raise EditRejected(".docx files are not rewritten")
    start, end = segment.source_map.editable_span(edit.start, edit.end, source)
    if start is None:
        raise EditRejected("the text spans markup")
    return Edit(start, end, escape_replacement(edit.replacement, fmt, segment.scope))


def escape_replacement(text: str, fmt: str | None, scope: str) -> str:
    if not text:
        return text
    if fmt == "html":
        return html.escape(text, quote=scope in _ATTRIBUTE_SCOPES)
    if fmt in ("social-json", "jsonl"):
        return json.dumps(text, ensure_ascii=False)[1:-1]
    if fmt == "markdown":
        if scope == "front-matter":
            if not _YAML_SAFE.match(text):
                raise EditRejected("the replacement would change the front matter's YAML structure")
            return text
        return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return text


def source_fix(segment: Segment, fix: Fix, source: str, fmt: str | None) -> Fix:
    """The fix in source offsets, or a display-only fix saying why it cannot be applied."""
    try:
        edits = tuple(source_edit(segment, edit, source, fmt) for edit in fix.edits)
    except EditRejected as exc:
        return Fix((), "display", f"{fix.description} (not applied automatically: {exc})")
    return Fix(edits, fix.applicability, fix.description, fix.files)
