"""Documents, segments and the source map that ties segment text back to the file.

A segment is a run of prose (a paragraph, a title, an image's alt text...) with a scope.
Its text can differ from the source (markup removed, entities decoded, escapes resolved),
so each segment carries a SourceMap built by the parser while it reads the source: rules
work on segment offsets, the engine maps them back once. Nothing is ever found by
searching the source for a matched string.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

SCOPES = (
    "text", "title", "meta", "heading", "paragraph", "list-item", "blockquote", "table-cell",
    "image-alt", "image-src", "image-title", "caption", "link-text", "front-matter",
    "post-text", "hashtag",
)
# Scopes whose text is a file name or URL rather than prose.
LOCATOR_SCOPES = ("image-src",)


class SourceMap:
    """Piecewise map from segment offsets to source offsets.

    Runs are (segment_start, length, source_start, source_length, verbatim). A verbatim run
    maps character for character; any other run is collapsed: every character inside it maps
    to the whole source range (an entity like `&amp;` is one segment character for five
    source characters; masked code is spaces standing for the code span; a synthetic
    separator is one character for an empty source range).
    """

    __slots__ = ("_seg_starts", "_runs")

    def __init__(self, runs: list[tuple[int, int, int, int, bool]]) -> None:
        self._runs = runs
        self._seg_starts = [run[0] for run in runs]

    def _run_for(self, index: int) -> tuple[int, int, int, int, bool]:
        position = bisect.bisect_right(self._seg_starts, index) - 1
        return self._runs[max(position, 0)]

    def start_of(self, index: int) -> int:
        seg_start, _length, src_start, _src_length, verbatim = self._run_for(index)
        return src_start + (index - seg_start) if verbatim else src_start

    def end_of(self, index: int) -> int:
        """Source offset just after segment character `index`."""
        seg_start, _length, src_start, src_length, verbatim = self._run_for(index)
        return src_start + (index - seg_start) + 1 if verbatim else src_start + src_length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Half-open source span of the half-open segment span [start, end)."""
        if end <= start:
            point = self.start_of(start) if self._runs else 0
            return point, point
        return self.start_of(start), self.end_of(end - 1)

    def editable_span(self, start: int, end: int, source: str) -> tuple[int, int] | tuple[None, None]:
        """The source span of [start, end) if replacing it cannot break markup, else (None, None).

        The runs covering the span must follow each other in the source with nothing but
        whitespace between them (a skipped tag or `**` is a gap), and a collapsed run (an
        entity, an escape) must be covered whole, never cut in two.
        """
        if not self._runs:
            return None, None
        if end <= start:
            seg_start, _length, src_start, _src_length, verbatim = self._run_for(start)
            return (self.start_of(start),) * 2 if verbatim or start == seg_start else (None, None)
        first = bisect.bisect_right(self._seg_starts, start) - 1
        last = bisect.bisect_right(self._seg_starts, end - 1) - 1
        if first < 0:
            return None, None
        runs = self._runs[first:last + 1]
        head, tail = runs[0], runs[-1]
        if (not head[4] and start != head[0]) or (not tail[4] and end != tail[0] + tail[1]):
            return None, None
        for before, after in zip(runs, runs[1:]):
            gap_start, gap_end = before[2] + before[3], after[2]
            if gap_end < gap_start or source[gap_start:gap_end].strip():
                return None, None
        return self.span(start, end)


@dataclass(frozen=True)
class Segment:
    """One piece of prose with its scope, language and source map."""

    text: str
    scope: str
    source_map: SourceMap
    pointer: str | None = None  # JSON pointer for social posts
    language: str = "en"  # en, zh or mixed; set by the engine
    index: int = 0

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.source_map.span(start, end)

    @property
    def languages(self) -> tuple[str, ...]:
        return ("en", "zh") if self.language == "mixed" else (self.language,)


class SegmentBuilder:
    """Accumulates text pieces with their source ranges and emits a Segment."""

    def __init__(self, scope: str, pointer: str | None = None) -> None:
        self.scope = scope
        self.pointer = pointer
        self._parts: list[str] = []
        self._runs: list[tuple[int, int, int, int, bool]] = []
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def add_verbatim(self, text: str, source_start: int) -> None:
        """Text copied unchanged from source[source_start : source_start + len(text)]."""
        if not text:
            return
        last = self._runs[-1] if self._runs else None
        if last and last[4] and last[2] + last[3] == source_start:
            self._runs[-1] = (last[0], last[1] + len(text), last[2], last[3] + len(text), True)
        else:
            self._runs.append((self._length, len(text), source_start, len(text), True))
        self._parts.append(text)
        self._length += len(text)

    def add_replacement(self, text: str, source_start: int, source_end: int) -> None:
        """Text that stands for source[source_start:source_end] as a whole (an entity, an escape)."""
        if not text:
            return
        self._runs.append((self._length, len(text), source_start, source_end - source_start, False))
        self._parts.append(text)
        self._length += len(text)

    def add_separator(self, text: str, source_at: int) -> None:
        """Synthetic text with no source of its own (a space standing for a <br>)."""
        if text:
            self._runs.append((self._length, len(text), source_at, 0, False))
            self._parts.append(text)
            self._length += len(text)

    def text(self) -> str:
        return "".join(self._parts)

    def build(self) -> Segment | None:
        text = self.text()
        if not text.strip():
            return None
        return Segment(text=text, scope=self.scope, source_map=SourceMap(list(self._runs)), pointer=self.pointer)


def verbatim_segment(text: str, source_start: int, scope: str, pointer: str | None = None) -> Segment | None:
    builder = SegmentBuilder(scope, pointer)
    builder.add_verbatim(text, source_start)
    return builder.build()


@dataclass
class Document:
    """A parsed input: the decoded text every offset points into, and its segments."""

    path: str
    format: str
    text: str
    segments: list[Segment] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)  # front matter and similar
    encoding: str = "utf-8"
    # Problems that did not stop parsing (broken front matter...), reported as notices.
    warnings: list[str] = field(default_factory=list)
    # Image references as written (file names, URLs) with their source spans.
    images: list[tuple[tuple[int, int], str]] = field(default_factory=list)
