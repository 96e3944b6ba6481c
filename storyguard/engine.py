"""The one core call behind every interface: documents in, a Report out."""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from . import __version__
from .cache import LintCache
from .config import Config, find_config, load_config
from .documents import Document, Segment, format_for, parse_bytes
from .errors import InputError, ModelUnavailableError, RuleDefinitionError, TimeBudgetExceeded
from .language import Segmenter, detect_language, has_han
from .lexicon import LexiconStore
from .limits import TimeBudget
from .positions import LineIndex
from .references import Reference
from .registry import Registry, is_selected, severity_for
from .report import FileReport, Finding, Report
from .edits import source_fix
from .rules import Match, Rule, RuleContext
from .suppression import parse_suppressions

STDIN = "-"


class Linter:
    """Holds what is expensive to build (registry, lexicons, jieba, the model) across documents.

    One per CLI run; the hook server keeps one for its lifetime.
    """

    def __init__(
        self, config: Config | None = None, registry: Registry | None = None, *,
        use_model: bool | None = None, language: str = "auto",
    ) -> None:
        self.config = config or Config()
        self.language = language  # "auto", or "en"/"zh" to force every segment
        self.registry = registry or Registry.from_entry_points()
        self.lexicons = LexiconStore(list(self.config.lexicons))
        self.segmenter = Segmenter(self._jieba_user_words)
        self.use_model = self.config.model_enabled if use_model is None else use_model
        self.shared: dict[str, Any] = {"lock": threading.Lock()}
        self.notices: list[str] = []  # run-level messages (the model could not load, ...)
        self.registry.validate_selectors(
            [*self.config.select, *self.config.ignore, *(s for _g, sel in self.config.per_file_ignores for s in sel)],
            self.config.source or "configuration",
        )
        self._rules = {rule.code: rule() for rule in self.registry.rules}

    def _jieba_user_words(self) -> list[str]:
        words: list[str] = []
        for rule in self.registry.rules:
            root, name = getattr(rule, "lexicon_root", None), getattr(rule, "lexicon", None)
            if root is not None and name and "zh" in rule.languages:
                lexicon = self.lexicons.terms(root, "zh", name)
                if lexicon is not None:
                    words.extend(entry.term for entry in lexicon.entries if len(entry.term) > 1)
        return words

    def cache(self, root: Path | None = None) -> LintCache:
        """A results cache keyed to this linter's setup and the installed rule code."""
        packages = {Path(sys.modules[rule.__module__].__file__ or ".").parent for rule in self.registry.rules}
        packages.add(Path(__file__).parent)
        return LintCache.for_run(self.config, use_model=self.use_model, language=self.language,
                                 code_roots=sorted(packages), root=root)

    def active_rules(self, path: str) -> list[Rule]:
        ignored = self.config.ignore + self.config.ignored_for(path)
        active = []
        for code, rule in self._rules.items():
            if rule.source == "classifier" and not self.use_model:
                continue
            if not any(language in self.config.languages for language in rule.languages):
                continue
            explicitly = rule.code in self.config.select or rule.name in self.config.select
            if self.config.profile not in rule.profiles and not explicitly:
                continue
            if is_selected(type(rule), self.config.select, ignored):
                active.append(rule)
        # Classifier rules run last so they can stand back from spans the rules already flagged.
        return sorted(active, key=lambda rule: (rule.source == "classifier", rule.code))

    # -- inputs -------------------------------------------------------------------------------

    def lint_paths(
        self, paths: Iterable[str], *, stdin_data: bytes | None = None, stdin_filename: str | None = None,
        jobs: int = 1, cache: LintCache | None = None,
    ) -> Report:
        """Lint files in the order given (directories walked in sorted order).

        With `jobs` > 1 (or 0, automatic) files go to a pool of worker processes, each with its
        own Linter (and model); the report is the same, in the same order, for any number of jobs.
        """
        inputs = list(self.expand(paths))
        on_disk = list(dict.fromkeys(path for path in inputs if path != STDIN))
        done: dict[str, FileReport] = {}
        workers = worker_count(jobs, len(on_disk), self.use_model)
        if workers > 1:
            from .parallel import lint_in_workers

            reports, notices = lint_in_workers(self, on_disk, workers, cache)
            done = dict(zip(on_disk, reports))
            self.notices.extend(notice for notice in notices if notice not in self.notices)
        files = [done.get(path) or self.lint_input(path, stdin_data, stdin_filename, cache) for path in inputs]
        return Report(files=files, version=__version__)

    def expand(self, paths: Iterable[str]) -> Iterator[str]:
        """Files to check: directories walked (sorted, excludes applied), explicit files kept."""
        for path in paths:
            if path != STDIN and os.path.isdir(path):
                for folder, subfolders, names in os.walk(path):
                    subfolders[:] = sorted(d for d in subfolders if not self.config.excludes(os.path.join(folder, d)))
                    for name in sorted(names):
                        full = os.path.join(folder, name)
                        if Path(name).suffix.lower() in _WALKED_SUFFIXES and not self.config.excludes(full):
                            yield full
            else:
                yield path

    def lint_input(
        self, path: str, stdin_data: bytes | None, stdin_filename: str | None, cache: LintCache | None = None,
    ) -> FileReport:
        shown = stdin_filename or "<stdin>" if path == STDIN else path
        try:
            data = stdin_data if path == STDIN else _read_file(path, self.config.max_file_size)
            if data is None:
                raise InputError("no standard input given", kind="unreadable")
            if len(data) > self.config.max_file_size:
                raise InputError(f"file is {len(data)} bytes, over the {self.config.max_file_size}-byte limit (max-file-size)", kind="too-large")
            if cache is None or path == STDIN:
                return self.lint_bytes(shown, data)
            report = cache.get(shown, data)
            if report is None:
                report = self.lint_bytes(shown, data)
                # A run whose model failed to load gives rules-only reports: not what the key promises.
                if self.use_model == cache.use_model and _deterministic(report):
                    cache.put(shown, data, report)
            return report
        except InputError as exc:
            return FileReport(path=shown, format=None, error={"kind": exc.kind, "message": exc.problem})

    def lint_bytes(self, path: str, data: bytes, fmt: str | None = None, *, local_files: bool = True) -> FileReport:
        budget = TimeBudget(self.config.time_budget)  # parsing counts against it too
        try:
            with budget.interrupting():
                document, note = parse_bytes(path, data, fmt)
                report = self.lint_document(document, local_files=local_files, budget=budget)
        except InputError as exc:
            return FileReport(path=path, format=fmt or format_for(path), error={"kind": exc.kind, "message": exc.problem})
        except RecursionError:
            return FileReport(path=path, format=fmt, error={"kind": "parse", "message": "input nested too deeply to parse"})
        except TimeBudgetExceeded as exc:
            return FileReport(path=path, format=fmt or format_for(path), error={"kind": "timeout", "message": str(exc)})
        if note:
            report.notices.insert(0, {"kind": "format-sniffed", "message": note})
        return report

    # -- the pipeline -------------------------------------------------------------------------

    def lint_document(
        self, document: Document, *, language: str | None = None, local_files: bool = False,
        budget: TimeBudget | None = None,
    ) -> FileReport:
        """Lint one parsed document. `local_files` lets rules read files it references (images):
        right for a user's own files, never for text posted to the hook server. Without a
        `budget` (a caller that parsed the document itself) the time budget starts now."""
        own_budget = budget is None
        budget = budget or TimeBudget(self.config.time_budget)
        if len(document.segments) > self.config.max_segments:
            return FileReport(path=document.path, format=document.format, error={
                "kind": "too-many-segments",
                "message": f"{len(document.segments)} text segments, over the {self.config.max_segments}-segment limit (max-segments)",
            })
        try:
            with budget.interrupting() if own_budget else nullcontext():
                return self._lint_parsed(document, language or self.language, local_files, budget)
        except TimeBudgetExceeded as exc:
            return FileReport(path=document.path, format=document.format, error={"kind": "timeout", "message": str(exc)})

    def _lint_parsed(self, document: Document, language: str, local_files: bool, budget: TimeBudget) -> FileReport:
        document.segments = [
            dataclasses.replace(segment, language=_language_of(segment, language), index=index)
            for index, segment in enumerate(document.segments)
        ]
        languages = sorted({lang for segment in document.segments for lang in segment.languages})
        report = FileReport(path=document.path, format=document.format, text=document.text, languages=languages)
        report.notices.extend({"kind": "parse-warning", "message": warning} for warning in document.warnings)
        context = RuleContext(
            document=document, lexicons=self.lexicons, segmenter=self.segmenter,
            profile=self.config.profile, shared=self.shared,
            options={"model_threshold": self.config.model_threshold, "model_support": self.config.model_support, "local_files": local_files,
                     "root": self.config.root or Path.cwd()},
            budget=budget,
        )
        findings: list[Finding] = []
        for rule in self.active_rules(document.path):
            budget.check()
            if rule.source == "classifier" and not self.use_model:
                continue
            try:
                matches = list(rule.check(context))
            except RuleDefinitionError:
                raise  # a broken shipped rule or lexicon is the installation's fault, not this file's
            except ModelUnavailableError as exc:
                self.use_model = False  # say it once, then run rules only
                self.notices.append(str(exc))
                continue
            except Exception as exc:  # a broken rule must not take the run down; say which
                report.notices.append({"kind": "rule-error", "message": f"{rule.code} {rule.name} failed: {type(exc).__name__}: {exc}"})
                continue
            for match in matches:
                finding = self._finding(rule, match, document)
                if rule.source == "classifier" and _overlaps_rule_finding(finding, findings):
                    continue
                findings.append(finding)
        index = LineIndex(document.text)
        suppressions = parse_suppressions(document.text, index)
        kept = [
            finding for finding in findings
            if not suppressions.suppresses(type(self._rules[finding.rule]), index.locate(finding.start).line)
        ]
        for directive in suppressions.unused():
            report.notices.append({
                "kind": "unused-suppression", "offset": directive.offset,
                "message": f"suppression {' '.join(directive.codes) or '(all rules)'} matches no finding",
            })
        report.findings = sorted(_deduplicate(kept), key=lambda f: (f.start, f.end, f.rule))
        report.dependencies = sorted(set(context.dependencies))
        return report

    def _finding(self, rule: Rule, match: Match, document: Document) -> Finding:
        start, end = match.segment.source_span(match.start, match.end)
        severity = severity_for(type(rule), self.config.severity, match.severity or rule.severity)
        fix = None if match.fix is None else source_fix(match.segment, match.fix, document.text, document.format)
        return Finding(
            rule=rule.code, name=rule.name, category=rule.category, severity=severity,
            message=match.message, suggestion=match.suggestion, start=start, end=end,
            scope=match.segment.scope, pointer=match.segment.pointer, source=rule.source,
            confidence=match.confidence, references=self._references(rule, match.segment), fix=fix,
        )

    def _references(self, rule: Rule, segment: Segment) -> tuple[Reference, ...]:
        """Chinese law is cited for Chinese content or under the `cn` profile."""
        chinese = "zh" in segment.languages or self.config.profile == "cn"
        ids = [ref for ref in rule.references if chinese or not ref.startswith("CN-")]
        return tuple(self.registry.catalogue.get(ref) for ref in ids or rule.references)


_WALKED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".docx"}


def _read_file(path: str, limit: int) -> bytes:
    try:
        size = os.path.getsize(path)
        if size > limit:
            raise InputError(f"file is {size} bytes, over the {limit}-byte limit (max-file-size)", kind="too-large")
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError("no such file", kind="missing") from None
    except IsADirectoryError:
        raise InputError("is a directory", kind="unreadable") from None
    except PermissionError:
        raise InputError("permission denied", kind="unreadable") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", kind="unreadable") from None


def _language_of(segment: Segment, forced: str) -> str:
    if forced in ("en", "zh"):
        return forced
    return detect_language(segment.text) if has_han(segment.text) else "en"


def _deterministic(report: FileReport) -> bool:
    """Whether the same bytes would give the same report again (a blown time budget would not)."""
    return report.error is None or report.error.get("kind") not in ("timeout", "unreadable")


def _overlaps_rule_finding(candidate: Finding, findings: list[Finding]) -> bool:
    return any(
        f.source == "rule" and f.category == candidate.category and f.start < candidate.end and candidate.start < f.end
        for f in findings
    )


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for finding in findings:
        key = (finding.rule, finding.start, finding.end)
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out


# Starting a worker costs about what linting this many files does (its rules, or its model).
_FILES_PER_WORKER = 8
_FILES_PER_WORKER_WITH_MODEL = 40


def worker_count(jobs: int, files: int, use_model: bool) -> int:
    """Worker processes for `jobs` (0: automatic, one per usable core while each has enough
    files to pay for its start); 1 means lint in this process."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if jobs == 0:
        per_worker = _FILES_PER_WORKER_WITH_MODEL if use_model else _FILES_PER_WORKER
        return max(1, min(cores, files // per_worker))
    return max(1, min(jobs, files, cores))


def resolve_config(paths: Iterable[str], explicit: str | None) -> Config:
    if explicit:
        return load_config(Path(explicit))
    first = next((p for p in paths if p != STDIN), ".")
    found = find_config(Path(first))
    return load_config(found) if found else Config(root=Path.cwd())


def lint(
    paths: Iterable[str] | None = None,
    *,
    content: str | None = None,
    format: str | None = None,  # noqa: A002 - the public keyword matches the HTTP API
    filename: str | None = None,
    config: Config | None = None,
    linter: Linter | None = None,
    use_model: bool | None = None,
    language: str = "auto",
) -> Report:
    """Lint files (or one document given as `content`) and return the Report.

    The CLI, the hook server, the GitHub Action and Python callers all come through here.
    """
    if linter is None:
        linter = Linter(config or resolve_config(paths or [], None), use_model=use_model, language=language)
    if content is not None:
        from .documents import FORMAT_ALIASES, parse_text

        fmt = FORMAT_ALIASES.get(format or "text", format or "text")
        path = filename or f"<{fmt}>"
        try:
            document = parse_text(path, content, fmt)
        except InputError as exc:
            return Report([FileReport(path=path, format=fmt, error={"kind": exc.kind, "message": exc.problem})], __version__)
        return Report([linter.lint_document(document, language=language)], __version__)
    return linter.lint_paths(paths or [])
