"""Markdown drafts, parsed with markdown-it-py.

Block tokens give line ranges; each inline token's raw content is aligned with its source
lines (prefixes such as `> ` and list indentation skipped), then walked child by child:
emphasis markers dropped, link text kept, images split into alt / src / title segments,
inline code masked with spaces of equal length, inline HTML handed to the HTML extractor.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .align import MARKDOWN_SKIPPABLE, WHITESPACE_SKIPPABLE, align_decoded
from .html import extract_html_segments
from .model import Document, SegmentBuilder, verbatim_segment
from .text import paragraph_spans

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*(?:\r\n|\n|\r)(.*?(?:\r\n|\n|\r))?(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|\Z)", re.S)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")
BLOCK_SCOPES = {"heading_open": "heading", "th_open": "table-cell", "td_open": "table-cell"}


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def _line_starts(text: str) -> list[int]:
    starts, position = [], 0
    for match in _LINE.finditer(text):
        if match.start() == len(text) and starts:
            break
        starts.append(match.start())
        position = match.end()
        if position >= len(text):
            break
    return starts


def parse_markdown(path: str, text: str) -> Document:
    document = Document(path=path, format="markdown", text=text)
    body = text
    match = _FRONT_MATTER.match(text)
    if match:
        _read_front_matter(document, match)
        # Blank the front matter (newlines kept) so markdown-it's line numbers stay file line numbers.
        body = re.sub(r"[^\r\n]", " ", text[: match.end()]) + text[match.end():]
    tokens = _parser().parse(body)
    starts = _line_starts(body)
    html_blocks: list[tuple[int, int]] = []
    scopes = ["paragraph"]
    line_cursor: dict[int, int] = {}  # per source line, the column up to which text was placed
    for token in tokens:
        if token.type in ("fence", "code_block"):
            continue
        if token.type == "html_block" and token.map:
            html_blocks.append((starts[token.map[0]], _line_end(body, starts, token.map[1])))
            continue
        if token.type.endswith("_open"):
            scopes.append(BLOCK_SCOPES.get(token.type, "list-item" if token.type == "list_item_open" else "blockquote" if token.type == "blockquote_open" else scopes[-1]))
        elif token.type.endswith("_close"):
            scopes.pop()
        elif token.type == "inline" and token.map:
            _InlineWalker(document, body, starts, token, scopes[-1], line_cursor).walk()
    if html_blocks:
        masked = _mask_outside(body, html_blocks)
        extract_html_segments(document, masked)
    document.segments.sort(key=lambda segment: segment.source_span(0, 1)[0])
    return document


def _line_end(text: str, starts: list[int], line: int) -> int:
    return starts[line] if line < len(starts) else len(text)


def _mask_outside(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, cursor = [], 0
    for start, end in spans:
        pieces.append(re.sub(r"[^\r\n]", " ", text[cursor:start]))
        pieces.append(text[start:end])
        cursor = end
    pieces.append(re.sub(r"[^\r\n]", " ", text[cursor:]))
    return "".join(pieces)


def _read_front_matter(document: Document, match: re.Match[str]) -> None:
    """Front-matter values become segments; the mapping also lands in document.metadata."""
    inner_start = match.start(1) if match.group(1) is not None else match.end()
    inner = match.group(1) or ""
    import yaml  # deferred: only drafts with front matter need it

    try:
        data = yaml.safe_load(inner) if inner.strip() else {}
        root = yaml.compose(inner) if inner.strip() else None
    except yaml.YAMLError as exc:
        # A draft with broken front matter is still a draft: lint its lines as text, and say so.
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        document.warnings.append(f"invalid YAML front matter{where}: {getattr(exc, 'problem', None) or exc}; read as plain text")
        for start, end in paragraph_spans(inner):
            segment = verbatim_segment(inner[start:end], inner_start + start, "front-matter")
            if segment is not None:
                document.segments.append(segment)
        return
    if isinstance(data, dict):
        document.metadata.update({str(key): value for key, value in data.items()})
    if root is None:
        return
    pending = [root]
    seen: set[int] = set()  # aliases point back at nodes already read: never expand them
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            pending.extend(value for _key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value.strip() and node.tag.endswith(":str"):
            start, end = node.start_mark.index, node.end_mark.index
            if node.style in ("'", '"'):
                start, end = start + 1, end - 1
            builder = SegmentBuilder("front-matter")
            offsets = list(range(inner_start, inner_start + len(inner) + 1))
            align_decoded(builder, node.value, inner, start, end, offsets=offsets, skippable=WHITESPACE_SKIPPABLE)
            segment = builder.build()
            if segment is not None:
                document.segments.append(segment)


def _place(line_text: str, piece: str, cursor: int) -> int:
    """Column of an inline line within its source line.

    Paragraph lines are the source line minus its block prefix (`> `, list markers,
    indentation), so they sit at the end of the line; table cells and headings with closing
    `#`s do not, and are looked for after what was already placed on the line.
    """
    if not piece:
        return max(cursor, len(line_text))
    for candidate in (line_text, line_text.rstrip()):
        if candidate.endswith(piece) and len(candidate) - len(piece) >= cursor:
            return len(candidate) - len(piece)
    return line_text.find(piece, cursor)


class _InlineWalker:
    """Turns one inline token into prose and image segments with exact source maps."""

    def __init__(self, document: Document, body: str, starts: list[int], token, scope: str, line_cursor: dict[int, int]) -> None:
        self.document = document
        self.line_cursor = line_cursor
        self.body = body
        self.token = token
        self.scope = scope
        self.raw, self.offsets = self._raw_with_offsets(starts)
        self.builder = SegmentBuilder(scope)
        self.cursor = 0
        self.in_autolink = False

    def _raw_with_offsets(self, starts: list[int]) -> tuple[str, list[int]]:
        """The inline content and, for each of its characters, the source offset."""
        content = self.token.content
        first, last = self.token.map
        offsets: list[int] = []
        line = first
        for index, piece in enumerate(content.split("\n")):
            position = -1
            while line < last and line < len(starts):
                line_start = starts[line]
                line_text = self.body[line_start:_line_end(self.body, starts, line + 1)].rstrip("\r\n")
                column = _place(line_text, piece, self.line_cursor.get(line, 0))
                line += 1
                if column != -1:
                    self.line_cursor[line - 1] = column + len(piece)
                    position = line_start + column
                    break
            if position == -1:  # cannot place the line: pin it to the block's last line
                position = starts[min(last, len(starts)) - 1]
                offsets.extend([position] * len(piece))
            else:
                offsets.extend(range(position, position + len(piece)))
            if index < content.count("\n"):
                offsets.append(offsets[-1] + 1 if offsets else position + len(piece))
        end = offsets[-1] + 1 if offsets else starts[first]
        offsets.append(end)
        return content, offsets

    def _find(self, needle: str) -> int:
        found = self.raw.find(needle, self.cursor)
        return found if found != -1 else self.cursor

    def _text(self, decoded: str, builder: SegmentBuilder | None = None) -> None:
        self.cursor = align_decoded(
            builder or self.builder, decoded, self.raw, self.cursor, len(self.raw),
            offsets=self.offsets, backslash_escapes=True, skippable=MARKDOWN_SKIPPABLE,
        )

    def _emit(self, builder: SegmentBuilder) -> None:
        segment = builder.build()
        if segment is not None:
            self.document.segments.append(segment)

    def walk(self) -> None:
        children = self.token.children or []
        for child in children:
            kind = child.type
            if kind == "text" and self.in_autolink:
                self._mask(self._find(child.content), len(child.content))
            elif kind == "text":
                self._text(child.content)
            elif kind in ("softbreak", "hardbreak"):
                position = self._find("\n")
                self.builder.add_separator("\n", self.offsets[position])
                self.cursor = position + 1
            elif kind.endswith("_open") or kind.endswith("_close"):
                self._skip_markup(child)
            elif kind == "code_inline":
                start = self._find(child.markup)
                content_start = self._find_from(child.content, start + len(child.markup))
                self._mask(content_start, len(child.content))
                self.cursor = self._find(child.markup) + len(child.markup)  # past padding and closing ticks
            elif kind == "image":
                self._image(child)
            elif kind == "html_inline":
                start = self._find(child.content)
                self._inline_html(child.content, start)
                self.cursor = start + len(child.content)
        self._emit(self.builder)

    def _mask(self, raw_start: int, length: int) -> None:
        """Code and URLs are not prose: spaces of equal length keep offsets stable."""
        if length:
            self.builder.add_replacement(" " * length, self.offsets[raw_start], self.offsets[raw_start + length])
        self.cursor = raw_start + length

    def _find_from(self, needle: str, position: int) -> int:
        found = self.raw.find(needle, position)
        return found if found != -1 else position

    def _skip_markup(self, child) -> None:
        if child.type == "link_open":
            marker = "<" if child.markup == "autolink" else "["
            self.cursor = self._find(marker) + 1
            self.in_autolink = child.markup == "autolink"
        elif child.type == "link_close":
            if child.markup == "autolink":
                self.in_autolink = False
                self.cursor = self._find(">") + 1
            else:
                self.cursor = self._skip_link_tail(self._find("]"))
        elif child.markup:
            self.cursor = self._find(child.markup) + len(child.markup)

    def _skip_link_tail(self, bracket: int) -> int:
        """From the closing `]` of link text, past `(dest "title")` or `[ref]`."""
        position = bracket + 1
        if position < len(self.raw) and self.raw[position] in "([":
            closer = ")" if self.raw[position] == "(" else "]"
            depth = 0
            while position < len(self.raw):
                char = self.raw[position]
                if char == "\\":
                    position += 2
                    continue
                if char in "([":
                    depth += 1
                elif char in ")]":
                    depth -= 1
                    if depth == 0 and char == closer:
                        return position + 1
                position += 1
        return position

    def _image(self, child) -> None:
        start = self._find("![")
        alt_start = start + 2
        depth, position = 1, alt_start
        while position < len(self.raw) and depth:
            if self.raw[position] == "\\":
                position += 2
                continue
            depth += {"[": 1, "]": -1}.get(self.raw[position], 0)
            position += 1
        alt_end = position - 1
        alt_builder = SegmentBuilder("image-alt")
        alt_text = "".join(grandchild.content for grandchild in (child.children or []) if grandchild.type == "text") or child.content
        saved = self.cursor
        self.cursor = alt_start
        align_decoded(alt_builder, alt_text, self.raw, alt_start, alt_end, offsets=self.offsets,
                      backslash_escapes=True, skippable=MARKDOWN_SKIPPABLE)
        self.cursor = saved
        self._emit(alt_builder)
        tail_end = self._skip_link_tail(alt_end)
        tail = self.raw[alt_end:tail_end]
        for attribute, scope in (("src", "image-src"), ("title", "image-title")):
            value = child.attrs.get(attribute)
            if not value:
                continue
            where = tail.find(value)
            if where == -1:
                continue
            raw_start = alt_end + where
            builder = SegmentBuilder(scope)
            align_decoded(builder, value, self.raw, raw_start, raw_start + len(value), offsets=self.offsets)
            self._emit(builder)
            if scope == "image-src":
                span = (self.offsets[raw_start], self.offsets[raw_start + len(value)])
                self.document.images.append((span, value))
        # The image stays in the prose as a neutral gap so words around it do not fuse.
        self.builder.add_separator(" ", self.offsets[start])
        self.cursor = tail_end

    def _inline_html(self, html_text: str, start: int) -> None:
        if html_text.lower().startswith("<br"):
            self.builder.add_separator(" ", self.offsets[start])
            return
        if not html_text.lower().startswith("<img"):
            return
        begin = self.offsets[start]
        if self.body[begin:begin + len(html_text)] != html_text:
            return
        masked = " " * begin + html_text + " " * (len(self.body) - begin - len(html_text))
        extract_html_segments(self.document, masked)
