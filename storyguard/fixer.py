"""`storyguard fix`: apply the report's edits to the files they came from, without losing a byte.

The edits are the very ones the JSON report, SARIF and the hook server carry (the engine has
already mapped them to source offsets and escaped them for their place in the markup). Here
they are chosen (by applicability, overlaps deferred), applied back to front, re-linted until
nothing applicable is left, checked (the file must still parse, and every byte outside the
edits must be unchanged) and written atomically in the file's own encoding.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_atomic
from .documents import parse_text
from .documents.decode import decode_bytes, encode_text
from .engine import STDIN, Linter
from .errors import InputError
from .images import ImageError, write_stripped
from .report import FileReport, Finding
from .rules import Edit, FileChange

MAX_PASSES = 10


@dataclass
class FileFixResult:
    path: str
    applied: list[tuple[str, str]] = field(default_factory=list)  # (rule code, fix description)
    deferred: int = 0  # overlapping edits left after the last pass
    not_applicable: list[tuple[str, str]] = field(default_factory=list)  # display-only fixes: (code, why)
    files_written: list[str] = field(default_factory=list)  # image copies (or would be, with --diff)
    diff: str = ""
    error: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.applied)


@dataclass(frozen=True)
class FixOptions:
    unsafe: bool = False  # also apply fixes that change meaning
    dry_run: bool = False  # --diff: compute and show, write nothing
    in_place_images: bool = False  # strip images themselves instead of writing stripped copies

    @property
    def applicabilities(self) -> tuple[str, ...]:
        return ("safe", "unsafe") if self.unsafe else ("safe",)


def fix_paths(linter: Linter, paths: Iterable[str], options: FixOptions) -> list[FileFixResult]:
    return [fix_file(linter, path, options) for path in linter.expand(paths) if path != STDIN]


def fix_file(linter: Linter, path: str, options: FixOptions) -> FileFixResult:
    result = FileFixResult(path)
    try:
        original = Path(path).read_bytes()
        if len(original) > linter.config.max_file_size:
            raise InputError(f"file is over the {linter.config.max_file_size}-byte limit (max-file-size)", kind="too-large")
        decoded = decode_bytes(original) if original[:4] != b"PK\x03\x04" else None
    except OSError as exc:
        result.error = f"cannot read: {exc.strerror or exc}"
        return result
    except InputError as exc:
        result.error = exc.problem
        return result
    if decoded is None:
        result.error = ".docx files are not rewritten; fix the draft in the editor (the report lists every finding)"
        return result
    if encode_text(decoded.text, decoded.encoding, decoded.bom) != original:
        result.error = f"the {decoded.encoding} text does not round-trip byte for byte; not rewritten"
        return result

    text, done_changes = decoded.text, set()
    for _ in range(MAX_PASSES):
        report = linter.lint_bytes(path, encode_text(text, decoded.encoding, decoded.bom))
        if report.error:
            result.error = report.error["message"]
            return result
        chosen, deferred = choose_fixes(report, options.applicabilities)
        result.not_applicable = _display_only(report)
        result.deferred = deferred
        chosen = [f for f in chosen if not (f.fix.files and _change_keys(f, options) <= done_changes)]
        if not chosen:
            break
        edits: list[Edit] = []
        for finding in chosen:
            try:
                done_changes |= _apply_file_changes(finding, options, result)
            except ImageError as exc:
                result.error = str(exc)
                return result
            if not (finding.fix.files and options.in_place_images):
                edits.extend(finding.fix.edits)
            result.applied.append((finding.rule, finding.fix.description))
        text = apply_edits(text, edits)
    else:
        result.error = f"fixes did not settle after {MAX_PASSES} passes (a fix keeps re-triggering a rule); not rewritten"
        result.applied.clear()
        return result

    if text == decoded.text:
        return result
    problem = _check_result(path, report.format, text)
    if problem:
        result.error = problem
        result.applied.clear()
        return result
    result.diff = "".join(difflib.unified_diff(
        decoded.text.splitlines(keepends=True), text.splitlines(keepends=True), f"a/{path}", f"b/{path}",
    ))
    if not options.dry_run:
        try:
            write_atomic(Path(path), encode_text(text, decoded.encoding, decoded.bom))
        except OSError as exc:
            result.error = f"cannot write: {exc.strerror or exc}; the file is unchanged"
            result.applied.clear()
    return result


def choose_fixes(report: FileReport, applicabilities: tuple[str, ...]) -> tuple[list[Finding], int]:
    """Fixes to apply in one pass: the earliest first, any that overlaps one already taken deferred.

    A fix is taken whole or not at all. Identical edits from two findings (two rules
    redacting the same number) count once.
    """
    taken: list[Finding] = []
    spans: list[tuple[int, int]] = []
    seen: set[tuple[Edit, ...]] = set()
    deferred = 0
    candidates = [
        f for f in report.findings
        if f.fix is not None and f.fix.applicability in applicabilities and not _no_op(report.text, f)
    ]
    for finding in sorted(candidates, key=lambda f: (min((e.start for e in f.fix.edits), default=f.start), f.rule)):
        edits = tuple(sorted(finding.fix.edits, key=lambda e: (e.start, e.end)))
        if edits in seen:
            continue
        if any(_overlaps(edit, span) for edit in edits for span in spans):
            deferred += 1
            continue
        seen.add(edits)
        spans.extend((edit.start, edit.end) for edit in edits)
        taken.append(finding)
    return taken, deferred


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits back to front, so earlier offsets stay valid."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:edit.start] + edit.replacement + text[edit.end:]
    return text


def _overlaps(edit: Edit, span: tuple[int, int]) -> bool:
    start, end = span
    if edit.start == edit.end:  # an insertion clashes with anything touching its point
        return start <= edit.start <= end
    if start == end:
        return edit.start <= start <= edit.end
    return edit.start < end and start < edit.end


def _no_op(text: str, finding: Finding) -> bool:
    """A fix whose edits would leave the text as it is (the text already reads as the fix would make it)."""
    return not finding.fix.files and all(text[e.start:e.end] == e.replacement for e in finding.fix.edits)


def _display_only(report: FileReport) -> list[tuple[str, str]]:
    return [(f.rule, f.fix.description) for f in report.findings if f.fix is not None and f.fix.applicability == "display"]


def _change_keys(finding: Finding, options: FixOptions) -> set[tuple[str, str]]:
    return {(change.path, change.path if options.in_place_images else change.output) for change in finding.fix.files}


def _apply_file_changes(finding: Finding, options: FixOptions, result: FileFixResult) -> set[tuple[str, str]]:
    done = set()
    for change in finding.fix.files:
        target = _target(change, options)
        if not options.dry_run:
            write_stripped(Path(change.path), Path(target))
        result.files_written.append(target)
        done.add((change.path, target))
    return done


def _target(change: FileChange, options: FixOptions) -> str:
    return change.path if options.in_place_images else change.output


def _check_result(path: str, fmt: str | None, after: str) -> str | None:
    """The fixed text must still parse as its format; otherwise nothing is written."""
    try:
        parse_text(path, after, fmt or "text")
    except (InputError, RecursionError, ValueError) as exc:
        return f"the fixed text would no longer parse ({exc}); not rewritten"
    return None
