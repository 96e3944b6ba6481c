"""The rule API: a rule declares itself with metadata, checked when its class is defined.

A rule receives one RuleContext per document and yields Matches in segment offsets; the
engine maps them to source offsets, applies selection and suppression, and builds Findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .documents.model import LOCATOR_SCOPES, SCOPES, Document, Segment
from .errors import RuleDefinitionError
from .limits import TimeBudget

if TYPE_CHECKING:
    from .lexicon import LexiconStore
    from .language import Segmenter

CATEGORIES = ("labelling", "identifying", "traffic", "consent")
SEVERITIES = ("error", "warning", "info")
LANGUAGES = ("en", "zh")
APPLICABILITIES = ("safe", "unsafe", "display")
PROSE_SCOPES = tuple(scope for scope in SCOPES if scope not in LOCATOR_SCOPES)
DOC_SECTIONS = ("What it flags", "Why it matters", "How to fix")
_CODE = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_REFERENCE_ID = re.compile(r"^[A-Z0-9][A-Z0-9.\-]+$")
_EXAMPLE = re.compile(r"^[ \t]*(Bad|Good) \((en|zh)\):[ \t]*(.+?)[ \t]*$", re.M)


@dataclass(frozen=True)
class Example:
    kind: str  # "bad" or "good"
    language: str
    text: str


@dataclass(frozen=True)
class Edit:
    """Replace source[start:end] (segment offsets until the engine maps them) with `replacement`."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class FileChange:
    """A change to a file other than the document: a copy of an image without its location."""

    action: str  # "strip-metadata"
    path: str  # the file as found on disk
    output: str  # where the cleaned copy goes (the same path when stripping in place)


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: str  # safe, unsafe or display
    description: str
    files: tuple[FileChange, ...] = ()


@dataclass(frozen=True)
class Match:
    """What a rule reports, in the coordinates of one segment."""

    segment: Segment
    start: int
    end: int
    message: str
    suggestion: str | None = None
    confidence: float = 0.9
    severity: str | None = None  # overrides the rule's default when set
    fix: Fix | None = None


@dataclass
class RuleContext:
    """Everything a rule may look at for one document. Rules keep no state between documents."""

    document: Document
    lexicons: LexiconStore
    segmenter: Segmenter
    profile: str = "global"
    options: dict[str, Any] = field(default_factory=dict)
    # Heavy resources shared by every document a Linter checks (the classifier model).
    shared: dict[str, Any] = field(default_factory=dict)
    # Files a rule read besides the document (an image's metadata), so a cache can check them.
    dependencies: list[str] = field(default_factory=list)
    budget: TimeBudget = field(default_factory=lambda: TimeBudget(None))
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Per-document cache for analyses several rules share (sentences, child cues...)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def check_time(self) -> None:
        """Raise TimeBudgetExceeded once the file's time budget is spent; rules that loop over
        segments themselves call it per segment."""
        self.budget.check()

    def segments_for(self, rule: Rule) -> Iterator[Segment]:
        for segment in self.document.segments:
            self.budget.check()
            if segment.scope in rule.scopes and any(language in rule.languages for language in segment.languages):
                yield segment


class Rule:
    """Base class. Subclasses set the metadata below and implement `check`.

    Pass `abstract=True` in the class statement for intermediate bases (rule kinds).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[str] = "warning"
    languages: ClassVar[tuple[str, ...]] = LANGUAGES
    scopes: ClassVar[tuple[str, ...]] = PROSE_SCOPES
    references: ClassVar[tuple[str, ...]] = ()
    fixable: ClassVar[str] = "display"
    source: ClassVar[str] = "rule"  # "classifier" for model-backed rules, which run last
    # Profiles in which the rule runs by default; selecting its code or name runs it anywhere.
    profiles: ClassVar[tuple[str, ...]] = ("global", "cn")
    examples: ClassVar[tuple[Example, ...]] = ()

    def __init_subclass__(cls, abstract: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not abstract:
            cls.examples = _validate(cls)

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})

    def check(self, context: RuleContext) -> Iterator[Match]:
        raise NotImplementedError

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        return parse_doc_sections(cls.__doc__ or "")


def parse_doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into its titled sections (`What it flags:` ...)."""
    sections: dict[str, str] = {}
    current = "summary"
    lines: list[str] = []
    for line in _dedent(doc).splitlines():
        stripped = line.strip()
        header = stripped.rstrip(":")
        if stripped.endswith(":") and header in (*DOC_SECTIONS, "Examples"):
            sections[current] = "\n".join(lines).strip()
            current, lines = header, []
        else:
            lines.append(line)
    sections[current] = "\n".join(lines).strip()
    return sections


def _dedent(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


def _validate(cls: type[Rule]) -> tuple[Example, ...]:
    where = f"rule class {cls.__module__}.{cls.__qualname__}"

    def fail(problem: str) -> None:
        raise RuleDefinitionError(f"{where}: {problem}")

    for attribute in ("code", "name", "category"):
        if not isinstance(getattr(cls, attribute, None), str):
            fail(f"missing `{attribute}`")
    if not _CODE.match(cls.code):
        fail(f"code {cls.code!r} must be a 2-5 letter prefix and 3 digits (built-ins use SG)")
    if not _NAME.match(cls.name):
        fail(f"name {cls.name!r} must be kebab-case")
    if cls.category not in CATEGORIES:
        fail(f"category {cls.category!r} must be one of {', '.join(CATEGORIES)}")
    if cls.severity not in SEVERITIES:
        fail(f"severity {cls.severity!r} must be one of {', '.join(SEVERITIES)}")
    if not cls.languages or any(language not in LANGUAGES for language in cls.languages):
        fail(f"languages {cls.languages!r} must be a non-empty subset of {LANGUAGES}")
    if not cls.scopes or any(scope not in SCOPES for scope in cls.scopes):
        fail(f"scopes {cls.scopes!r} must be a non-empty subset of {SCOPES}")
    if not cls.references or any(not isinstance(ref, str) or not _REFERENCE_ID.match(ref) for ref in cls.references):
        fail("references must be a non-empty tuple of catalogue ids")
    if cls.fixable not in APPLICABILITIES:
        fail(f"fixable {cls.fixable!r} must be one of {APPLICABILITIES}")
    sections = parse_doc_sections(cls.__doc__ or "")
    for section in DOC_SECTIONS:
        if not sections.get(section):
            fail(f"docstring needs a '{section}:' section")
    examples = tuple(Example(kind.lower(), language, text) for kind, language, text in _EXAMPLE.findall(sections.get("Examples", "")))
    for language in cls.languages:
        for kind in ("bad", "good"):
            if not any(example.kind == kind and example.language == language for example in examples):
                fail(f"docstring 'Examples:' needs a '{kind.title()} ({language}):' line")
    return examples
