"""Per-file limits: a time budget for parsing and linting one file, and a cap on segments.

The budget is enforced two ways. Rules and the engine call `check()` at natural steps
(between rules, between segments), which works in any thread: the hook server lints in a
worker thread. In a process's main thread (the CLI, `--jobs` workers) an interval timer also
interrupts a single long step, such as one slow regular-expression search, because Python's
regex engine checks for signals while it runs.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import TimeBudgetExceeded

DEFAULT_TIME_BUDGET = 300.0  # seconds per file: a hang guard; a 10 MB Chinese page (the size limit) takes about two minutes on 2 cores
DEFAULT_MAX_SEGMENTS = 100_000  # paragraphs, cells, posts...; a 5 MB HTML page has about 30,000


class TimeBudget:
    """The deadline for one file; `seconds` of None or 0 means no limit."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds or None
        self._deadline = None if self.seconds is None else time.monotonic() + self.seconds

    def check(self) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise TimeBudgetExceeded(self.seconds or 0.0)

    @contextmanager
    def interrupting(self) -> Iterator[None]:
        """Raise TimeBudgetExceeded from wherever the work is when the deadline passes (main
        thread only, where signals are delivered; elsewhere the checks alone apply)."""
        if self._deadline is None or threading.current_thread() is not threading.main_thread() \
                or not hasattr(signal, "setitimer"):
            yield
            return
        seconds = self.seconds or 0.0

        def expire(_signum: int, _frame: object) -> None:
            raise TimeBudgetExceeded(seconds)

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, max(self._deadline - time.monotonic(), 0.001))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
