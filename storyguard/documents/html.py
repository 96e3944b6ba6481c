"""HTML appeal pages, parsed with beautifulsoup4 (html.parser tree builder).

We subclass the tree builder's parser only to record where each chunk of text came from,
so every segment maps exactly back to the source, entities included.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.builder._htmlparser import BeautifulSoupHTMLParser, HTMLParserTreeBuilder

from ..errors import InputError
from .align import align_decoded
from .model import Document, SegmentBuilder

SKIPPED = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "head"}
BLOCK_SCOPES = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "li": "list-item", "dt": "list-item", "dd": "list-item",
    "figcaption": "caption", "caption": "caption",
    "td": "table-cell", "th": "table-cell",
    "blockquote": "blockquote",
}
BLOCKS = set(BLOCK_SCOPES) | {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure", "address",
    "table", "tr", "thead", "tbody", "tfoot", "ul", "ol", "dl", "form", "fieldset", "body", "html", "pre",
    "hr", "br", "button", "label", "option", "select", "textarea", "details", "summary",
}
META_NAMES = {"description", "keywords", "author"}
IMAGE_META = {"og:image", "og:image:url", "og:image:alt", "twitter:image", "twitter:image:alt"}
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


class _PositionedParser(BeautifulSoupHTMLParser):
    """Records the source span of every data chunk handed to the soup."""

    def __init__(self, *args, line_starts: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._line_starts = line_starts
        self._reference_span: tuple[int, int] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_data(self, data: str) -> None:
        if self._reference_span is not None:
            start, end = self._reference_span
            self._reference_span = None  # only the first chunk stands for the reference
        else:
            start = self._offset()
            end = start + len(data)
        self.soup.pending_chunks.append((data, start, end))
        super().handle_data(data)

    def handle_charref(self, name: str) -> None:
        self._reference_span = self._reference_end("&#", name)
        super().handle_charref(name)

    def handle_entityref(self, name: str) -> None:
        self._reference_span = self._reference_end("&", name)
        super().handle_entityref(name)

    def _reference_end(self, prefix: str, name: str) -> tuple[int, int]:
        start = self._offset()
        end = start + len(prefix) + len(name)
        if self.soup.source_text[end:end + 1] == ";":
            end += 1
        return start, end


class _PositionedBuilder(HTMLParserTreeBuilder):
    def __init__(self, line_starts: list[int]) -> None:
        super().__init__()
        self._line_starts = line_starts

    def feed(self, markup, _parser_class=None) -> None:  # type: ignore[override]
        args, kwargs = self.parser_args
        parser = _PositionedParser(self.soup, *args, line_starts=self._line_starts, **kwargs)
        parser.feed(markup)
        parser.close()
        parser.already_closed_empty_element = []


class _PositionedSoup(BeautifulSoup):
    """Attaches the recorded chunks to each string the tree builder creates."""

    def __init__(self, source: str, line_starts: list[int]) -> None:
        self.pending_chunks: list[tuple[str, int, int]] = []
        self.source_text = source
        super().__init__(source, builder=_PositionedBuilder(line_starts))

    def endData(self, containerClass=None) -> None:  # noqa: N802 - bs4's name
        chunks, self.pending_chunks = self.pending_chunks, []
        parent = self.currentTag
        before = parent.contents[-1] if parent is not None and parent.contents else None
        super().endData(containerClass)
        after = parent.contents[-1] if parent is not None and parent.contents else None
        if after is not None and after is not before and isinstance(after, NavigableString):
            after.source_chunks = chunks


def _newline_starts(text: str) -> list[int]:
    # html.parser counts lines by "\n" only, so must we.
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def attribute_spans(source: str, tag_start: int) -> dict[str, tuple[int, int]]:
    """Raw value spans of the attributes of the start tag at `tag_start` (`<` included)."""
    name_end = tag_start + 1
    while name_end < len(source) and not source[name_end].isspace() and source[name_end] not in ">/":
        name_end += 1
    spans: dict[str, tuple[int, int]] = {}
    position = name_end
    while position < len(source):
        while position < len(source) and (source[position].isspace() or source[position] == "/"):
            position += 1
        if position >= len(source) or source[position] == ">":
            break
        match = _ATTRIBUTE.match(source, position)
        if not match:
            break
        for group in (2, 3, 4):
            if match.group(group) is not None:
                spans[match.group(1).lower()] = (match.start(group), match.end(group))  # bs4 keeps the last
                break
        position = match.end()
    return spans


def _add_string(builder: SegmentBuilder, string: NavigableString, source: str) -> None:
    chunks = getattr(string, "source_chunks", None)
    text = str(string)
    if not chunks:
        return
    if "".join(chunk[0] for chunk in chunks) != text:
        # bs4 collapsed a whitespace-only string: map it onto the whole original run.
        builder.add_replacement(text, chunks[0][1], chunks[-1][2])
        return
    for data, start, end in chunks:
        if end - start == len(data) and source[start:end] == data:
            builder.add_verbatim(data, start)
        else:
            builder.add_replacement(data, start, end)


def _add_attribute(document: Document, tag: Tag, attribute: str, scope: str, line_starts: list[int]) -> None:
    value = tag.get(attribute)
    if not isinstance(value, str) or not value.strip() or tag.sourceline is None:
        return
    tag_start = line_starts[tag.sourceline - 1] + tag.sourcepos
    span = attribute_spans(document.text, tag_start).get(attribute)
    if span is None:
        return
    builder = SegmentBuilder(scope)
    align_decoded(builder, value, document.text, span[0], span[1])
    segment = builder.build()
    if segment is not None:
        document.segments.append(segment)
        if scope == "image-src":
            document.images.append((span, value))


def parse_html(path: str, text: str) -> Document:
    document = Document(path=path, format="html", text=text)
    extract_html_segments(document, text)
    return document


def extract_html_segments(document: Document, markup: str) -> None:
    """Add the segments of `markup` to `document`.

    `markup` has the same length as document.text; Markdown passes its text with everything
    but the HTML blocks blanked out, so offsets are file offsets either way.
    """
    line_starts = _newline_starts(markup)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            soup = _PositionedSoup(markup, line_starts)
    except Exception as exc:  # bs4 raises ParserRejectedMarkup and assorted errors on hostile input
        raise InputError(f"malformed HTML: {exc}", kind="parse") from exc
    _extract_segments(document, soup, line_starts)


def _extract_segments(document: Document, soup: BeautifulSoup, line_starts: list[int]) -> None:
    for tag in soup.find_all("title"):
        builder = SegmentBuilder("title")
        for string in tag.strings:
            _add_string(builder, string, document.text)
        _append(document, builder)
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or "").lower()
        if key in IMAGE_META and not key.endswith(":alt"):
            _add_attribute(document, tag, "content", "image-src", line_starts)
        elif key in META_NAMES or key.startswith(("og:", "twitter:")):
            _add_attribute(document, tag, "content", "meta", line_starts)
    _walk_body(document, soup, line_starts)


def _append(document: Document, builder: SegmentBuilder | None) -> None:
    if builder is not None:
        segment = builder.build()
        if segment is not None:
            document.segments.append(segment)


def _walk_body(document: Document, soup: BeautifulSoup, line_starts: list[int]) -> None:
    """Iterative walk (no recursion: hostile pages nest thousands of levels deep)."""
    scopes: list[str] = ["paragraph"]
    builder: SegmentBuilder | None = None
    stack: list[tuple[object, bool]] = [(child, False) for child in reversed(soup.contents)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            _append(document, builder)
            builder = None
            scopes.pop()
            continue
        if isinstance(node, Comment) or (isinstance(node, NavigableString) and type(node).__name__ in ("Doctype", "Declaration", "ProcessingInstruction", "CData")):
            continue
        if isinstance(node, NavigableString):
            if builder is None:
                builder = SegmentBuilder(scopes[-1])
            _add_string(builder, node, document.text)
            continue
        if not isinstance(node, Tag) or node.name in SKIPPED or node.name == "title":
            continue
        if node.name == "img":
            _add_attribute(document, node, "alt", "image-alt", line_starts)
            _add_attribute(document, node, "title", "image-title", line_starts)
            _add_attribute(document, node, "src", "image-src", line_starts)
            continue
        if node.name in ("code", "kbd", "samp"):
            continue  # code is not prose
        if node.name in BLOCKS:
            _append(document, builder)
            builder = None
            scopes.append(BLOCK_SCOPES.get(node.name, scopes[-1] if scopes[-1] in ("list-item", "caption", "blockquote", "table-cell") else "paragraph"))
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    _append(document, builder)
