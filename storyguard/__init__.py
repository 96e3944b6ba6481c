"""storyguard: a linter for fundraising content about children.

    >>> import storyguard
    >>> report = storyguard.lint(content="Share to save little Lily!", format="text")
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "lint", "Linter"]


def __getattr__(name: str):
    # Keep `import storyguard` cheap: the engine (and its parsers) load on first use.
    if name in ("lint", "Linter"):
        from . import engine

        return getattr(engine, name)
    raise AttributeError(name)
