"""`--jobs N`: lint files in worker processes, one Linter (and one model) per worker.

Workers are forked where the platform allows it, so they start with the parent's imports
already done; each builds its own Linter on first use (the model loads lazily, as in a
single process). Results come back in input order, so output never depends on N.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from .config import Config
from .report import FileReport

if TYPE_CHECKING:
    from .cache import LintCache
    from .engine import Linter

# The worker process's own Linter. A pool initializer can only hand state to later tasks
# through the worker's module namespace; each worker process has exactly one.
_worker: dict[str, object] = {}


def lint_in_workers(linter: Linter, paths: list[str], workers: int, cache: LintCache | None) -> tuple[list[FileReport], list[str]]:
    """Reports for `paths` in the same order, and the run-level notices the workers raised."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    # Small chunks keep both workers busy to the end; one file per task would cost more in IPC.
    chunk = max(1, min(16, len(paths) // (workers * 8) or 1))
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(linter.config, linter.use_model, linter.language, max(1, (os.cpu_count() or 1) // workers)),
    ) as pool:
        results = list(pool.map(_lint_one, paths, [cache] * len(paths), chunksize=chunk))
    notices: list[str] = []
    for _report, raised in results:
        notices.extend(notice for notice in raised if notice not in notices)
    return [report for report, _raised in results], notices


def _start_worker(config: Config, use_model: bool, language: str, threads: int) -> None:
    from .engine import Linter

    # Share the cores between workers: N workers each running torch on every core would thrash.
    # torch reads this when it is first imported, which in a worker is after this point.
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))

    _worker["linter"] = Linter(config, use_model=use_model, language=language)


def _lint_one(path: str, cache: LintCache | None) -> tuple[FileReport, list[str]]:
    linter = _worker["linter"]
    report = linter.lint_input(path, None, None, cache)  # the same path as a single process
    return report, list(linter.notices)
