"""The results cache: an unchanged file under an unchanged setup is not linted again.

An entry's key covers everything a file's report depends on: the file's bytes and the path it
is reported under, the configuration, the model switch and language, the storyguard version
and a fingerprint of the installed rule code and lexicons (so editing a rule in a checkout
invalidates it too). Files a rule read besides the document (images) are recorded with their
size and modification time and checked on every hit. Entries are written atomically, so
concurrent runs can share the cache; an unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from . import __version__
from .atomic import write_atomic
from .config import Config
from .report import FileReport

CACHE_ENV = "STORYGUARD_CACHE_DIR"
# Parsers, tokenizer, gazetteer and model stack: an upgrade of any can change a report.
_RESULT_AFFECTING_DISTRIBUTIONS = ("jieba", "names", "beautifulsoup4", "markdown-it-py", "python-docx", "transformers", "torch")
_FORMAT = 1  # bump when the entry layout changes


def default_cache_root() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs  # deferred: only runs that cache need it

    return Path(platformdirs.user_cache_dir("storyguard"))


@dataclass(frozen=True)
class LintCache:
    """A folder of entries plus the part of every key that is the same for a whole run."""

    folder: Path
    setup: str  # digest of config, switches, version and installed code
    use_model: bool

    @classmethod
    def for_run(cls, config: Config, *, use_model: bool, language: str, code_roots: Iterable[Path],
                root: Path | None = None) -> LintCache:
        digest = hashlib.sha256()
        for name in (f.name for f in fields(Config)):
            digest.update(f"{name}={getattr(config, name)!r}\n".encode())
        digest.update(f"model={use_model} language={language} version={__version__} format={_FORMAT}\n".encode())
        for dist in _RESULT_AFFECTING_DISTRIBUTIONS:
            digest.update(f"{dist}={_installed_version(dist)}\n".encode())
        for extra in config.lexicons:
            digest.update(_tree_fingerprint(Path(extra)).encode())
        for code_root in code_roots:
            digest.update(_tree_fingerprint(code_root).encode())
        return cls((root or default_cache_root()) / "results", digest.hexdigest(), use_model)

    def _entry(self, path: str, data: bytes) -> Path:
        key = hashlib.sha256(f"{self.setup}\0{path}\0".encode() + data).hexdigest()
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, path: str, data: bytes) -> FileReport | None:
        entry = self._entry(path, data)
        try:
            with open(entry, "rb") as handle:
                report, dependencies = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return None
        if not isinstance(report, FileReport) or any(_stamp(dep) != stamp for dep, stamp in dependencies):
            return None
        return report

    def put(self, path: str, data: bytes, report: FileReport) -> None:
        entry = self._entry(path, data)
        dependencies = [(dep, _stamp(dep)) for dep in report.dependencies]
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(entry, pickle.dumps((report, dependencies), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only or full cache folder costs speed, never a result


def _installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _tree_fingerprint(root: Path) -> str:
    """Names, sizes and modification times of the code and data files under `root`."""
    if root.is_file():
        return f"{root}:{_stamp(str(root))}"
    parts = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".yml", ".yaml", ".json", ".safetensors", ".npz", ".bin")):
                full = os.path.join(folder, name)
                parts.append(f"{full}:{_stamp(full)}")
    return "\n".join(parts)
