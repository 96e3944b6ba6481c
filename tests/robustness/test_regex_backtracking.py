"""No regular expression the rules run can be made to backtrack catastrophically (issue #7, item 4).

Every pattern is discovered, not listed: compiled module constants of the core, the rule packs,
the CLI and the classifier rule; literal patterns passed to `re.search(...)` and friends inside
functions (found in the source); and every regex the shipped lexicons build through the
project's own loader (the trie-built phrase sets, their context and exception lists, and entry
`pattern`s). Each is run over long adversarial inputs in a forked worker, so a hang fails the
test instead of the suite, and each search must stay under SEARCH_BUDGET seconds of CPU.
"""

from __future__ import annotations

import ast
import io
import json
import functools
import importlib
import multiprocessing
import pkgutil
import re
import time
from pathlib import Path
from re import _parser as sre_parse  # the stdlib's own regex parser, to read a pattern's literals

import docx
import pytest
import yaml

from storyguard.lexicon import LexiconStore

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("storyguard", "lint_rules", "cli")
EXTRA_MODULES = ("classifiers.rule",)
LEXICON_ROOTS = (REPO / "lint_rules" / "lexicons",)
LENGTH = 30_000  # the known quadratic patterns need 2-9 s here; linear ones, milliseconds
SEARCH_BUDGET = 1.0  # CPU seconds per search
WALL_LIMIT = 5.0  # wall seconds: a search still running then is hung: kill the worker (room for a busy machine)
MEGABYTE = 1_000_000
PIPELINE_BUDGET = 2.0  # the engine's own per-file time budget for the 1 MB documents


# --- discovery ------------------------------------------------------------------------------

def _modules() -> list:
    modules = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        modules.append(package)
        modules.extend(importlib.import_module(info.name) for info in pkgutil.walk_packages(package.__path__, f"{name}."))
    modules.extend(importlib.import_module(name) for name in EXTRA_MODULES)
    return modules


_FLAG_NAMES = {"I": re.I, "IGNORECASE": re.I, "M": re.M, "MULTILINE": re.M, "S": re.S, "DOTALL": re.S, "X": re.X, "VERBOSE": re.X}
_RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def _literal_flags(node: ast.AST) -> int:
    """`re.I | re.M` and the like, as written in the call."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _literal_flags(node.left) | _literal_flags(node.right)
    if isinstance(node, ast.Attribute) and node.attr in _FLAG_NAMES:
        return _FLAG_NAMES[node.attr]
    return 0


def _inline_patterns(module) -> dict[str, re.Pattern]:
    """Literal patterns handed to `re.<function>(...)` anywhere in the module's source.
    Those only ever used through `re.match`/`re.fullmatch` are recorded as ANCHORED."""
    found = {}
    source = Path(module.__file__).read_text("utf-8")
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _RE_FUNCTIONS
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args):
            continue
        pattern = node.args[0]
        if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, (str, bytes))):
            continue  # built at run time: the compiled result is caught as a module constant or lexicon regex
        flag_arg = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "finditer": 2, "findall": 2, "split": 3, "sub": 4, "subn": 4}[node.func.attr]
        flags = [keyword.value for keyword in node.keywords if keyword.arg == "flags"] + node.args[flag_arg:flag_arg + 1]
        key = f"{module.__name__}:{node.lineno}"
        found[key] = re.compile(pattern.value, _literal_flags(flags[0]) if flags else 0)
        if node.func.attr in ("match", "fullmatch"):
            ANCHORED.add(key)
    return found


def _methods_called(modules) -> dict[str, set[str]]:
    """For each name, the methods called on it anywhere (`_EN_AGE.finditer(...)` -> finditer)."""
    called: dict[str, set[str]] = {}
    for module in modules:
        for node in ast.walk(ast.parse(Path(module.__file__).read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
                called.setdefault(node.func.value.id, set()).add(node.func.attr)
    return called


def _as_pattern(value) -> re.Pattern | None:
    """A compiled regex, or a lazily compiled stand-in for one (same `pattern` and `flags`)."""
    if isinstance(value, re.Pattern):
        return value
    attributes = getattr(value, "__dict__", None) if not isinstance(value, type) else None
    if attributes and isinstance(attributes.get("pattern"), (str, bytes)) and isinstance(attributes.get("flags"), int):
        return re.compile(attributes["pattern"], attributes["flags"])
    return None


def _term_of(item, index: int):
    owners = item if isinstance(item, tuple) else (item,)
    return next((owner.term for owner in owners if isinstance(getattr(owner, "term", None), str)), index)


def _patterns_in(value, path: str, seen: set[int]) -> dict[str, re.Pattern]:
    """Every regex reachable from a loaded lexicon object, by attribute path, including those its
    classes compile on first use (cached properties such as a phrase set's trie regex)."""
    if id(value) in seen:
        return {}
    seen.add(id(value))
    pattern = _as_pattern(value)
    if pattern is not None:
        return {path: pattern}
    if isinstance(value, dict):
        members = {f"{path}[{key}]": item for key, item in value.items()}
    elif isinstance(value, (list, tuple)):
        # Entries (and `(regex, entry)` pairs) are named by their term, so keys survive edits around them.
        members = {f"{path}[{_term_of(item, index)}]": item for index, item in enumerate(value)}
    elif type(value).__module__.startswith(("storyguard", "lint_rules")) and hasattr(value, "__dict__"):
        lazily = [name for klass in type(value).__mro__ for name, attribute in vars(klass).items()
                  if isinstance(attribute, functools.cached_property)]
        members = {f"{path}.{name}": item for name, item in vars(value).items()}
        members.update({f"{path}.{name}": getattr(value, name) for name in lazily})
    else:
        return {}
    found: dict[str, re.Pattern] = {}
    for member_path, member in members.items():
        found.update(_patterns_in(member, member_path, seen))
    return found


def _lexicon_patterns() -> dict[str, re.Pattern]:
    store = LexiconStore()
    found: dict[str, re.Pattern] = {}
    for root in LEXICON_ROOTS:
        for path in sorted(root.glob("*/*.yml")):
            language, name = path.parent.name, path.stem
            kind = yaml.safe_load(path.read_text("utf-8"))["kind"]
            loaded = store.cues(root, language) if kind == "cues" else store.terms(root, language, name)
            found.update(_patterns_in(loaded, f"lexicon:{language}/{name}", set()))
    return found


def discover_patterns() -> dict[str, re.Pattern]:
    patterns: dict[str, re.Pattern] = {}
    modules = _modules()
    called = _methods_called(modules)
    for module in modules:
        for attribute, value in vars(module).items():
            pattern = _as_pattern(value)
            if pattern is not None and pattern.pattern:
                key = f"{module.__name__}.{attribute}"
                patterns[key] = pattern
                # Only ever `.match(text, pos)`ed: one anchored attempt per call, so test it that way.
                if called.get(attribute) and called[attribute] <= {"match", "fullmatch"}:
                    ANCHORED.add(key)
        patterns.update(_inline_patterns(module))
    patterns.update(_lexicon_patterns())
    unique: dict[tuple, str] = {}
    for key, pattern in patterns.items():
        unique.setdefault((pattern.pattern, pattern.flags), key)
    # `(?=(body))` tries at each position exactly what searching `body` tries: one of the two suffices.
    bodies = {(pattern.pattern, pattern.flags) for pattern in patterns.values()}
    return {
        key: patterns[key] for identity, key in unique.items()
        if not (isinstance(identity[0], str) and identity[0].startswith("(?=(") and identity[0].endswith("))")
                and (identity[0][4:-2], identity[1]) in bodies)
    }


ANCHORED: set[str] = set()
PATTERNS = discover_patterns()


def test_discovery_finds_every_kind_of_pattern():
    """Guards the collection itself: an empty or shrunken list would make the other tests vacuous."""
    keys = list(PATTERNS)
    assert len(keys) >= 250, len(keys)
    assert sum(key.startswith("lint_rules._details._") for key in keys) >= 30
    assert sum(":" in key and not key.startswith("lexicon:") for key in keys) >= 10  # inline re.search(...) literals
    assert sum(key.startswith("lexicon:zh/") for key in keys) >= 50
    assert sum(key.startswith("lexicon:en/") for key in keys) >= 50
    assert any("._patterns[" in key for key in keys)  # entry `pattern` fields
    assert any(key.endswith("._exceptions._regex") for key in keys)  # per-entry context lists
    assert {"storyguard.sentences._END", "storyguard.lexicon.QUOTED", "storyguard.documents.html._ATTRIBUTE"} <= set(keys)


# --- adversarial inputs ---------------------------------------------------------------------

_CATEGORY_SAMPLES = {
    sre_parse.CATEGORY_DIGIT: "1", sre_parse.CATEGORY_NOT_DIGIT: "a", sre_parse.CATEGORY_SPACE: " ",
    sre_parse.CATEGORY_NOT_SPACE: "a", sre_parse.CATEGORY_WORD: "a", sre_parse.CATEGORY_NOT_WORD: ".",
}


def _samples(parsed, out: list[str]) -> None:
    """Characters the pattern itself matches, in pattern order: its literals and a member of each class."""
    for op, argument in parsed:
        if op is sre_parse.LITERAL:
            out.append(chr(argument))
        elif op is sre_parse.IN:
            for item_op, item in argument:
                if item_op is sre_parse.LITERAL:
                    out.append(chr(item))
                elif item_op is sre_parse.RANGE:
                    out.append(chr(item[0]))
                elif item_op is sre_parse.CATEGORY:
                    out.append(_CATEGORY_SAMPLES.get(item, "a"))
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT):
            _samples(argument[2], out)
        elif op is sre_parse.SUBPATTERN:
            _samples(argument[3], out)
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            _samples(argument[1], out)
        elif op is sre_parse.BRANCH:
            for branch in argument[1]:
                _samples(branch, out)


def _repeat(unit: str, tail: str = "") -> str:
    return unit * max(1, (LENGTH - len(tail)) // max(1, len(unit))) + tail


def adversarial_inputs(pattern: re.Pattern) -> list[str]:
    """Long strings that keep the engine busy: runs that almost match, then fail at the end.

    A quadratic search (each start position rescanning the run) needs seconds at this length;
    a linear one, milliseconds.
    """
    inputs = [
        _repeat("a", "!"), _repeat(" ", "x"), _repeat(" \t"), _repeat("1"), _repeat("1 "), _repeat("儿"),
        _repeat("A."), _repeat("a.", "@"), _repeat("\n \n"), _repeat("Aa "),
    ]
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    chars: list[str] = []
    _samples(sre_parse.parse(source, pattern.flags & ~re.UNICODE), chars)
    distinct = list(dict.fromkeys(chars))
    inputs += [_repeat(char) for char in distinct[:6]]
    inputs += [_repeat(a + b) for a, b in zip(distinct[:3], distinct[1:4])]
    if chars:
        inputs.append(_repeat("".join(chars[:40]), "!"))
    return list(dict.fromkeys(inputs))


# --- timed searches in a worker -------------------------------------------------------------

def _serve(connection) -> None:
    while True:
        job = connection.recv()
        if job is None:
            return
        function, arguments = job
        started = time.process_time()
        function(*arguments)
        connection.send(time.process_time() - started)


class TimedWorker:
    """A forked process that runs one job at a time; a job past the wall limit kills it."""

    def __init__(self) -> None:
        self._process = None

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True)
        self._process.start()

    def run(self, function, *arguments, wall_limit: float) -> float | None:
        """CPU seconds the call took, or None if it was still running after `wall_limit`."""
        if self._process is None or not self._process.is_alive():
            self._start()
        self._connection.send((function, arguments))
        if self._connection.poll(wall_limit):
            return self._connection.recv()
        self.stop()
        return None

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._process = None


@pytest.fixture(scope="module")
def worker():
    timed = TimedWorker()
    yield timed
    timed.stop()


def _search_all(pattern: re.Pattern, text) -> None:
    for _match in pattern.finditer(text):
        pass


def _match_at_starts(pattern: re.Pattern, text) -> None:
    for position in (0, 1, len(text) // 2):
        pattern.match(text, position)


@pytest.mark.parametrize("key", list(PATTERNS))
def test_regex_is_fast_on_adversarial_input(worker, key):
    pattern = PATTERNS[key]
    for text in adversarial_inputs(pattern):
        subject = text if isinstance(pattern.pattern, str) else text.encode("utf-8")
        search = _match_at_starts if key in ANCHORED else _search_all
        seconds = worker.run(search, pattern, subject, wall_limit=WALL_LIMIT)
        assert seconds is not None and seconds < SEARCH_BUDGET, (
            f"{key} took {'over %s s (killed)' % WALL_LIMIT if seconds is None else '%.2f s' % seconds} "
            f"on {text[:60]!r}... ({len(text)} chars); pattern {pattern.pattern[:300]!r}"
        )


# --- the whole pipeline on 1 MB adversarial documents ---------------------------------------

def _adversarial_prose(size: int) -> list[str]:
    """Paragraphs of the runs that stress the patterns, with copy the rules fire on between them."""
    runs = ["A." * 400, "a." * 400, "1" * 800, " " * 800, "儿" * 800, "Aa " * 300, "\u200b" * 400,
            "orphan girl, " * 60, "8岁的小明是留守儿童，" * 80, "please share!!! " * 50]
    paragraphs, index = [], 0
    while sum(map(len, paragraphs)) < size:
        paragraphs.append(f"Meet Grace, 9. {runs[index % len(runs)]} She is 7 years old.")
        index += 1
    return paragraphs


def _megabyte_document(fmt: str) -> tuple[str, bytes]:
    paragraphs = _adversarial_prose(MEGABYTE)
    if fmt == "txt":
        return "big.txt", "\n\n".join(paragraphs).encode()
    if fmt == "md":
        return "big.md", ("---\ntitle: Grace\n---\n" + "\n\n".join(f"> - **{p}** ![{p[:80]}](x.jpg)" for p in paragraphs)).encode()
    if fmt == "html":
        return "big.html", ("<html><body>" + "".join(f"<div><p>{p}<img alt='{p[:80]}' src=x.jpg></div>" for p in paragraphs)).encode()
    if fmt == "json":
        return "big.json", json.dumps([{"text": p, "media": [{"alt": p[:80]}], "hashtags": ["share"]} for p in paragraphs]).encode()
    if fmt == "jsonl":
        return "big.jsonl", "\n".join(json.dumps({"text": p}, ensure_ascii=False) for p in paragraphs).encode()
    draft = docx.Document()
    for paragraph in paragraphs:
        draft.add_paragraph(paragraph)
    out = io.BytesIO()
    draft.save(out)
    return "big.docx", out.getvalue()


def _lint_within_budget(path: str, data: bytes, budget: float) -> dict:
    from storyguard.config import Config
    from storyguard.engine import Linter

    linter = Linter(Config(model_enabled=False, time_budget=budget), use_model=False)
    started = time.perf_counter()
    report = linter.lint_bytes(path, data)
    return {"seconds": time.perf_counter() - started, "error": report.error, "findings": len(report.findings)}


def _lint_job(path: str, data: bytes, budget: float, results) -> None:
    results.send(_lint_within_budget(path, data, budget))


def _run_forked(function, *arguments, wall_limit: float):
    """The result `function` sends, or None if the forked process did not finish in time."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=function, args=(*arguments, sender), daemon=True)
    process.start()
    try:
        return receiver.recv() if receiver.poll(wall_limit) else None
    finally:
        process.kill()
        process.join()


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "json", "jsonl", "docx"])
def test_megabyte_adversarial_document_respects_the_time_budget(fmt):
    """Linting a hostile 1 MB file of any format ends within the per-file budget: it is linted
    or reported as a `timeout` file error, and never hangs the run."""
    path, data = _megabyte_document(fmt)
    outcome = _run_forked(_lint_job, path, data, PIPELINE_BUDGET, wall_limit=PIPELINE_BUDGET + 10)
    assert outcome is not None, f"{path}: still running {PIPELINE_BUDGET + 10} s in, past its {PIPELINE_BUDGET} s budget"
    assert outcome["seconds"] < PIPELINE_BUDGET + 3, outcome
    # A repetitive 1 MB .docx deflates like a zip bomb and may be refused up front: also bounded.
    assert outcome["error"] is None or outcome["error"]["kind"] in ("timeout", "too-large"), outcome


def test_many_hits_in_one_long_sentence_lint_in_linear_time():
    """20 KB, one sentence, 1,666 label hits: a linear pipeline needs well under a second."""
    outcome = _run_forked(_lint_job, "long.txt", ("orphan girl " * 1666).encode(), 0, wall_limit=3.0)
    assert outcome is not None and outcome["error"] is None
