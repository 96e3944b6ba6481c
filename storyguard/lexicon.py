"""Data-driven word lists: loading, validation, matching, and the `terms` rule kind.

A lexicon file (`<root>/<lang>/<name>.yml`) is validated against the shipped JSON Schema
when loaded, and every entry's examples are run through the matcher there and then, so a
broken word list fails at load, naming the file and the entry (prh's idea).
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from .datacache import cached, cached_json, load_yaml
from .errors import LexiconError
from .language import fold_case, fold_width
from .lazyre import LazyPattern
from .rules import Fix, Match, Rule, RuleContext
from .sentences import sentence_at, sentence_spans

CHILD_WINDOW = 150  # characters either side of a match searched for a child cue
FIRE_THRESHOLD = 0.5
_OPEN_QUOTES = "\"'“‘「『《〈"
_CLOSE_QUOTES = "\"'”’」』》〉"


_AGE = re.compile(
    r"(\d{1,2})[- ](?:year|yr)s?[- ]old|(\d{1,2}|a|one|two|three|six|eight|nine|ten|eleven)[- ]months?[- ]old|(\d{1,2})(?:周)?[岁歲]"
    r"|(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)[- ]years?[- ]old",
    re.IGNORECASE,
)


def _minor_age(text: str, start: int, end: int) -> bool:
    """An explicit age under 18 ("6-year-old", "8岁") in text[start:end]."""
    for match in _AGE.finditer(text, start, end):
        if match.group(2) or match.group(4):  # months old, or a spelled-out age under 18
            return True
        if int(match.group(1) or match.group(3)) < 18:
            return True
    return False

T = TypeVar("T")


@functools.cache
def _schema_bytes() -> bytes:
    """The lexicon schema, read once: it also names the checked copies of lexicon files."""
    return resources.files("storyguard").joinpath("schemas/lexicon.schema.json").read_bytes()


def phrase_pieces(phrase: str, language: str) -> list[str]:
    """Regex pieces, one per character, for a literal phrase under the language's matching
    rules: Chinese width-folded; English with any run of spaces matching any whitespace and a
    hyphen matching a hyphen, a space or nothing."""
    if language == "zh":
        return [re.escape(char) for char in fold_case(fold_width(phrase))]
    pieces: list[str] = []
    for char in fold_case(phrase):
        if char.isspace():
            if not pieces or pieces[-1] != r"\s+":
                pieces.append(r"\s+")
        elif char == "-":
            pieces.append(r"[-\s]?")
        else:
            pieces.append(re.escape(char))
    return pieces


def trie_regex(phrases: list[str], language: str) -> str:
    """One regex for many phrases, shared prefixes factored out ("child(?:ren)?").

    It matches what the plain alternation of the phrases (longest first) matches, but is a
    fraction of its size: compiling the plain alternations took a third of a second at start-up.
    Branches are tried longest-phrase first, so the longest phrase at a position still wins.
    """
    end = ""
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for piece in phrase_pieces(phrase, language):
            node = node.setdefault(piece, {})
        node[end] = {}

    def emit(node: dict[str, Any]) -> tuple[str, int]:
        """The node's regex and the length (in pieces) of the longest phrase below it."""
        branches = [(piece, *emit(child)) for piece, child in node.items() if piece != end]
        if not branches:
            return "", 0
        branches.sort(key=lambda branch: -branch[2])
        alternatives = [piece + rest for piece, rest, _depth in branches]
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if end in node:
            single_char = len(branches) == 1 and len(branches[0][0]) == 1 and not branches[0][1]
            body = body + "?" if single_char else f"(?:{body})?"
        return body, 1 + branches[0][2]

    return emit(root)[0]


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _from_utf8(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


def non_overlapping(items: Iterable[T], span_of: Callable[[T], tuple[int, int]]) -> list[T]:
    """The items, in priority order, whose non-empty spans overlap no item kept before them.

    Kept spans are held sorted, so each check is a binary search rather than a scan of all
    kept spans (a long text with thousands of hits made the scan quadratic).
    """
    starts: list[int] = []
    ends: list[int] = []
    kept: list[T] = []
    for item in items:
        start, end = span_of(item)
        at = bisect.bisect_right(starts, start)
        if (at and ends[at - 1] > start) or (at < len(starts) and starts[at] < end):
            continue
        starts.insert(at, start)
        ends.insert(at, end)
        kept.append(item)
    return kept


def _key(text: str, language: str) -> str:
    text = fold_case(fold_width(text))
    return re.sub(r"[\s\-]+", "", text) if language == "en" else text


class PhraseSet:
    """Finds any of many phrases at once: word-bounded and case-insensitive for English,
    substrings (width-folded) for Chinese.

    Text is case-folded before it is searched, rather than the regex compiled with IGNORECASE:
    case-insensitive compiling of the big alternations was a third of start-up.
    """

    def __init__(self, phrases: list[str], language: str) -> None:
        self.language = language
        self._phrases = phrases

    # Compiled on first use: most context lists of most entries are never needed in a run.
    # Building the trie is kept in the cache, like the parsed lexicon files.
    @functools.cached_property
    def _body(self) -> str:
        phrases = [p for p in self._phrases if p.strip()]
        body = cached(f"phrase-regex-{self.language}", "\n".join(phrases).encode("utf-8", "surrogatepass"),
                      lambda: trie_regex(phrases, self.language), encode=_utf8, decode=_from_utf8)
        body = body or r"(?!x)x"
        if self.language == "en":
            body = rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9])"
        return body

    @functools.cached_property
    def _regex(self) -> re.Pattern[str]:
        return re.compile(self._body)

    def _fold(self, text: str) -> str:
        return fold_case(fold_width(text)) if self.language == "zh" else fold_case(text)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
        end = len(text) if end is None else end
        # Fold only the window (folding keeps lengths): context checks ask about a small window
        # of a long segment, many times over. One character before it keeps the English
        # word-boundary lookbehind seeing what it saw in the whole text.
        before = 1 if start > 0 and self.language == "en" else 0
        window = self._fold(text[start - before:end])
        for match in self._regex.finditer(window, before):
            yield start - before + match.start(), start - before + match.end()

    def longest(self, text: str) -> list[tuple[int, int]]:
        """Non-overlapping matches where, of overlapping candidates, the longest wins."""
        folded = self._fold(text)
        candidates = []
        # The match at every start, overlaps included: search again one past each match's start.
        match = self._regex.search(folded)
        while match is not None:
            if match.end() > match.start():
                candidates.append(match.span())
            match = self._regex.search(folded, match.start() + 1)
        return sorted(non_overlapping(sorted(candidates, key=lambda span: (span[0] - span[1], span[0])), lambda span: span))

    def search(self, text: str, start: int = 0, end: int | None = None) -> bool:
        return next(self.finditer(text, start, end), None) is not None


@dataclass
class Entry:
    term: str
    note: str
    language: str
    variants: list[str] = field(default_factory=list)
    pattern: str | None = None
    suggestions: list[str] = field(default_factory=list)
    severity: str | None = None
    confidence: float = 0.8
    needs_child_context: bool = False
    exceptions: list[str] = field(default_factory=list)
    context: dict[str, list[str]] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._exceptions = PhraseSet(self.exceptions, self.language) if self.exceptions else None
        self._lower = PhraseSet(self.context.get("lower", []), self.language) if self.context.get("lower") else None
        self._raise = PhraseSet(self.context.get("raise", []), self.language) if self.context.get("raise") else None

    def assess(self, text: str, start: int, end: int, child_cues: PhraseSet, sentences: list[tuple[int, int]]) -> float | None:
        """Confidence of a raw hit after the entry's own context, or None when it is excused."""
        sentence = sentence_at(sentences, start)
        lo, hi = min(sentence[0], start), max(sentence[1], end)
        if self._exceptions:
            for a, b in self._exceptions.finditer(text, lo, hi):
                if a < end and b > start:
                    return None
        if self.needs_child_context:
            # The match itself may name the child ("disabled kids"); an age under 18 counts too.
            lo, hi = max(0, start - CHILD_WINDOW), min(len(text), end + CHILD_WINDOW)
            if not (child_cues.search(text, lo, hi) or _minor_age(text, lo, hi)):
                return None
        confidence = self.confidence
        if self._lower and self._lower.search(text, lo, hi):
            confidence *= 0.5
        if self._raise and self._raise.search(text, lo, hi):
            confidence = min(1.0, confidence + 0.1)
        return confidence if confidence >= FIRE_THRESHOLD else None


@dataclass
class TermLexicon:
    """A `kind: terms` file: entries reported by one rule."""

    path: str
    language: str
    rule: str
    entries: list[Entry]
    child_cues: PhraseSet

    def __post_init__(self) -> None:
        self._by_key: dict[str, Entry] = {}
        literal: list[str] = []
        self._patterns: list[tuple[re.Pattern[str], Entry]] = []
        for entry in self.entries:
            if entry.pattern:
                # Checked when the file was first read (`_check_patterns`); compiled when the
                # combined pattern finds something for it to look at.
                self._patterns.append((LazyPattern(entry.pattern, re.IGNORECASE), entry))
                continue
            for phrase in (entry.term, *entry.variants):
                self._by_key.setdefault(_key(phrase, self.language), entry)
                literal.append(phrase)
        self._phrases = PhraseSet(literal, self.language)

    def hits(self, text: str) -> Iterator[tuple[int, int, Entry]]:
        """Raw hits (before context); where hits overlap, the longest wins."""
        found: list[tuple[int, int, Entry]] = []
        for start, end in self._phrases.longest(text):
            entry = self._by_key.get(_key(text[start:end], self.language))
            if entry is not None:
                found.append((start, end, entry))
        folded = fold_width(text) if self.language == "zh" else text
        patterns = self._patterns if self._any_pattern is not None and self._any_pattern.search(folded) else ()
        for regex, entry in patterns:
            for match in regex.finditer(folded):
                if match.end() > match.start() and self._bounded(folded, match.start(), match.end()):
                    found.append((match.start(), match.end(), entry))
        # Longest first; of equally long hits, the more confident entry.
        by_priority = sorted(found, key=lambda hit: (hit[0] - hit[1], -hit[2].confidence, hit[0]))
        yield from sorted(non_overlapping(by_priority, lambda hit: (hit[0], hit[1])), key=lambda hit: hit[0])

    @functools.cached_property
    def _any_pattern(self) -> re.Pattern[str] | None:
        """All entry patterns in one regex, to skip the one-by-one search where none can match."""
        if not self._patterns:
            return None
        alternatives = "|".join(f"(?:{regex.pattern})" for regex, _entry in self._patterns)
        if self.language == "en":
            # English hits must start a word (`_bounded`): testing that first lets the search
            # skip the inside of every word instead of trying each alternative there.
            alternatives = f"(?<![A-Za-z0-9])(?:{alternatives})"
        try:
            return re.compile(alternatives, re.IGNORECASE)
        except re.error:  # a pattern with a global flag cannot be nested: search them one by one
            return re.compile("")

    def _bounded(self, text: str, start: int, end: int) -> bool:
        if self.language == "zh":
            return True
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())

    def assessed(
        self, text: str, sentences: list[tuple[int, int]] | None = None,
        hits: Iterable[tuple[int, int, Entry]] | None = None,
    ) -> Iterator[tuple[int, int, Entry, float]]:
        sentences = sentence_spans(text) if sentences is None else sentences
        for start, end, entry in self.hits(text) if hits is None else hits:
            confidence = entry.assess(text, start, end, self.child_cues, sentences)
            if confidence is not None:
                yield start, end, entry, confidence

    def check_examples(self) -> None:
        for entry in self.entries:
            own = PhraseSet([entry.term, *entry.variants], self.language) if not entry.pattern else None
            for sentence in entry.examples.get("bad", []):
                # Flagged by this entry, or by a longer entry that wins the overlap with it.
                spans = own.longest(sentence) if own else [m.span() for m in re.finditer(entry.pattern, sentence, re.IGNORECASE)]
                flagged = [(start, end) for start, end, _entry, _c in self.assessed(sentence)]
                if not any(a < y and x < b for a, b in spans for x, y in flagged):
                    raise LexiconError(f"{self.path}: entry {entry.term!r}: bad example is not flagged: {sentence!r}")
            for sentence in entry.examples.get("good", []):
                if any(hit_entry is entry for _s, _e, hit_entry, _c in self.assessed(sentence)):
                    raise LexiconError(f"{self.path}: entry {entry.term!r}: good example is flagged: {sentence!r}")


class LexiconStore:
    """Loads lexicon files on first use and keeps them for the life of a registry."""

    def __init__(self, extra_roots: list[Path] | None = None) -> None:
        self._extra_roots = list(extra_roots or [])
        self._cache: dict[tuple[str, str, str], Any] = {}
        self._lock = threading.RLock()

    @functools.cached_property
    def _validator(self) -> Any:
        import jsonschema  # deferred: only a lexicon not seen before is validated

        return jsonschema.Draft202012Validator(json.loads(_schema_bytes()))

    def _read(self, path: Path) -> tuple[bytes, dict[str, Any]]:
        """A lexicon file's bytes and data, schema-checked. Checked data is kept as JSON in the
        cache folder under the file's digest: parsing YAML and validating it cost a third of a
        second at every start-up."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise LexiconError(f"{path}: cannot read lexicon: {exc}") from exc
        return raw, cached_json("lexicons", _schema_bytes() + raw, lambda: self._checked(path, raw))

    def _checked(self, path: Path, raw: bytes) -> dict[str, Any]:
        import yaml  # only for its error type: a file seen before is read back from its checked copy

        try:
            data = load_yaml(raw)
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            raise LexiconError(f"{path}: cannot read lexicon: {exc}") from exc
        errors = sorted(self._validator.iter_errors(data), key=lambda error: list(error.path))
        if errors:
            where = "/".join(str(part) for part in errors[0].path) or "(top level)"
            raise LexiconError(f"{path}: {where}: {errors[0].message}")
        _check_patterns(path, data)
        return data

    def _files(self, root: Path, language: str, name: str) -> list[Path]:
        candidates = [root / language / f"{name}.yml", *(extra / language / f"{name}.yml" for extra in self._extra_roots)]
        return [path for path in candidates if path.is_file()]

    def cues(self, root: Path, language: str) -> dict[str, PhraseSet]:
        key = (str(root), language, "cues")
        with self._lock:
            if key not in self._cache:
                lists: dict[str, list[str]] = {}
                for path in self._files(root, language, "cues"):
                    _raw, data = self._read(path)
                    for name, words in data.get("lists", {}).items():
                        lists.setdefault(name, []).extend(words)
                self._cache[key] = {name: PhraseSet(words, language) for name, words in lists.items()}
                self._cache[key + ("raw",)] = lists
            return self._cache[key]

    def cue_words(self, root: Path, language: str) -> dict[str, list[str]]:
        self.cues(root, language)
        return self._cache[(str(root), language, "cues", "raw")]

    def cue(self, root: Path, language: str, name: str) -> PhraseSet:
        return self.cues(root, language).get(name) or PhraseSet([], language)

    def terms(self, root: Path, language: str, name: str) -> TermLexicon | None:
        key = (str(root), language, name)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = self._load_terms(root, language, name)
            return self._cache[key]

    def _load_terms(self, root: Path, language: str, name: str) -> TermLexicon | None:
        files = self._files(root, language, name)
        if not files:
            return None
        entries: list[Entry] = []
        raws: list[bytes] = []
        rule = ""
        for path in files:
            raw, data = self._read(path)
            raws.append(raw)
            if data["kind"] != "terms" or data["language"] != language:
                raise LexiconError(f"{path}: expected a `terms` lexicon for language {language!r}")
            rule = rule or data["rule"]
            entries.extend(Entry(language=language, **raw) for raw in data["entries"])
        lexicon = TermLexicon(str(files[0]), language, rule, entries, self.cue(root, language, "child"))
        _check_examples_once(lexicon, raws)
        return lexicon


def _check_patterns(path: Path, data: dict[str, Any]) -> None:
    """Every entry `pattern` compiles; only checked data reaches the cached copy."""
    for entry in data.get("entries", []):
        if entry.get("pattern"):
            try:
                re.compile(entry["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise LexiconError(f"{path}: entry {entry.get('term')!r}: bad pattern: {exc}") from exc


def _check_examples_once(lexicon: TermLexicon, raws: list[bytes]) -> None:
    """Check a lexicon's examples the first time these exact files are loaded.

    Checking compiles every entry's context lists, which took most of a second at each
    start-up; a marker named by the files' digest (and the version) in the cache folder
    records that this content has passed (a failed check raises, and writes no marker).
    """
    def check() -> bytes:
        lexicon.check_examples()
        return b"passed"

    cached("lexicon-checks", b"".join(raws), check, encode=bytes, decode=bytes)


class LexiconRule(Rule, abstract=True):
    """Rule kind for `terms` lexicons: report every entry that survives its context.

    Subclasses set `lexicon` (file stem) and `lexicon_root` (folder holding en/ and zh/).
    Generic context applies on top of each entry's own: a match in quotation marks, after a
    negation, or right next to a policy or programme word is a mention, not a use.
    """

    lexicon: ClassVar[str]
    lexicon_root: ClassVar[Path]
    message_template: ClassVar[str] = "{note}"
    # Fire only in documents that mention a child somewhere ("share to save her" about a
    # puppy is not this linter's business).
    document_needs_child: ClassVar[bool] = False

    def check(self, context: RuleContext) -> Iterator[Match]:
        if self.document_needs_child and not self._mentions_child(context):
            return
        for segment, language, lexicon, cues, sentences in self.readings(context):
            hits = segment_hits(context, lexicon, segment)
            for start, end, entry, confidence in lexicon.assessed(segment.text, sentences, hits):
                if not is_mention(segment.text, start, end, cues, language, sentences):
                    yield self.match(segment, start, end, entry, confidence, sentences)

    def readings(self, context: RuleContext) -> Iterator[tuple[Any, str, TermLexicon, dict[str, PhraseSet], list[tuple[int, int]]]]:
        """(segment, language, lexicon, cues, sentences) for each segment and lexicon language."""
        for segment in context.segments_for(self):
            for language in self.lexicon_languages(segment):
                if language not in self.languages:
                    continue
                lexicon = context.lexicons.terms(self.lexicon_root, language, self.lexicon)
                if lexicon is None:
                    continue
                cues = context.lexicons.cues(self.lexicon_root, language)
                yield segment, language, lexicon, cues, segment_sentences(context, segment)

    def lexicon_languages(self, segment: Any) -> tuple[str, ...]:
        """The languages whose lexicons read a segment: its own (a rule kind may add more)."""
        return segment.languages

    def match(self, segment: Any, start: int, end: int, entry: Entry, confidence: float,
              sentences: list[tuple[int, int]]) -> Match:
        return Match(
            segment=segment, start=start, end=end,
            message=self.message_template.format(term=segment.text[start:end], note=entry.note),
            suggestion="; ".join(entry.suggestions) or None,
            confidence=round(confidence, 2),
            severity=entry.severity,
            fix=self.fix_for(segment.text, start, end, entry, sentences),
        )

    def fix_for(self, text: str, start: int, end: int, entry: Entry, sentences: list[tuple[int, int]]) -> Fix | None:
        """The rule kind's edit for one hit, if it has a mechanical one (none by default)."""
        return None


    def _mentions_child(self, context: RuleContext) -> bool:
        def compute() -> bool:
            for segment in context.document.segments:
                for language in self.lexicon_languages(segment):
                    if context.lexicons.cue(self.lexicon_root, language, "child").search(segment.text):
                        return True
                # "She's 3 years old", "今年8岁": an age under 18 says the copy is about a child too.
                if _minor_age(segment.text, 0, len(segment.text)):
                    return True
            return False

        # Rule kinds may read segments in different languages, so each kind asks for itself.
        kind = type(self).lexicon_languages.__qualname__
        return context.memo(f"mentions-child:{self.lexicon_root}:{kind}", compute)


def segment_sentences(context: RuleContext, segment: Any) -> list[tuple[int, int]]:
    """A segment's sentence spans, split once per document however many rules ask."""
    return context.memo(f"sentences:{segment.index}", lambda: sentence_spans(segment.text))


def segment_hits(context: RuleContext, lexicon: TermLexicon, segment: Any) -> list[tuple[int, int, Entry]]:
    """A lexicon's raw hits in one segment, found once per document however many rules ask."""
    return context.memo(f"hits:{lexicon.path}:{segment.index}", lambda: list(lexicon.hits(segment.text)))


# A quotation in any of the marks English and Chinese copy use.
QUOTED = re.compile(r"“[^”\n]{1,200}”|\"[^\"\n]{1,200}\"|(?<![\w])'[^'\n]{1,120}'(?![\w])|‘[^’\n]{1,120}’|「[^」\n]{1,200}」|『[^』\n]{1,200}』")


def _quoted(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """The match sits inside a quotation within its sentence (or the sentence is one)."""
    lo = max(0, min(sentence[0], start) - 1)
    hi = min(len(text), max(sentence[1], end) + 1)
    return any(match.start() < start and end < match.end() for match in QUOTED.finditer(text, lo, hi))


def is_mention(text: str, start: int, end: int, cues: dict[str, PhraseSet], language: str, sentences: list[tuple[int, int]]) -> bool:
    """True when the words are talked about rather than used: quoted, negated, or a policy name."""
    sentence = sentence_at(sentences, start)
    if start > 0 and end < len(text) and text[start - 1] in _OPEN_QUOTES and text[end] in _CLOSE_QUOTES:
        return True
    if _quoted(text, start, end, sentence):
        return True
    negation = cues.get("negation")
    if negation and negation.search(text, min(sentence[0], start), start):
        return True
    policy = cues.get("policy")
    if policy:
        # A policy word right after the match ("Street Children Support Programme",
        # 留守儿童关爱服务) or just before it ("the programme for orphans") names a category.
        reach = 6 if language == "zh" else 24
        after = any(a <= end + reach for a, _b in policy.finditer(text, end, min(len(text), end + reach + 30)))
        if after or policy.search(text, max(0, start - reach), start):
            return True
    return False
