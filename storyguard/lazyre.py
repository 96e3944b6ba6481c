"""Regular expressions compiled on first use.

A rule module holds dozens of patterns, many over wide Unicode ranges that are slow to
compile; most runs need only some of them (an English draft never uses the Chinese ones),
and compiling them all at import was a tenth of a start-up.
"""

from __future__ import annotations

import functools
import re
from typing import Any


class LazyPattern:
    """Stands in for `re.compile(pattern, flags)`; compiles when first used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    @functools.cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)

    def __getattr__(self, name: str) -> Any:
        # Only reached for what LazyPattern lacks: search, finditer, sub, groups...
        return getattr(self.compiled, name)

