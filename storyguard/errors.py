"""Every exception storyguard raises, in one place.

StoryguardError
├── ConfigError           bad or unknown configuration (exit 2)
├── InputError            one input file cannot be read or parsed (reported per file)
├── RuleDefinitionError   a rule class or lexicon breaks the rule contract (raised at import/load)
│   └── LexiconError      a lexicon file is invalid or one of its examples fails
├── PluginLoadError       an entry-point plugin failed to import or register
└── ModelUnavailableError the classifier cannot run (ml extra missing): one notice, rules-only run

TimeBudgetExceeded (a BaseException) one file ran past its time budget (reported per file)
"""

from __future__ import annotations


class StoryguardError(Exception):
    """Base class for all storyguard errors."""


class ConfigError(StoryguardError):
    """The configuration is invalid; the message names the file and the key."""


class InputError(StoryguardError):
    """A single input cannot be decoded or parsed; the run goes on with the other files."""

    def __init__(self, problem: str, *, kind: str = "unreadable") -> None:
        super().__init__(problem)
        self.problem = problem
        self.kind = kind


class RuleDefinitionError(StoryguardError):
    """A rule class is malformed (missing metadata, bad code, undocumented language)."""


class LexiconError(RuleDefinitionError):
    """A lexicon file fails its schema or one of its examples."""


class PluginLoadError(StoryguardError):
    """A plugin registered under the `storyguard.rules` entry-point group could not be loaded."""

    def __init__(self, plugin: str, cause: BaseException) -> None:
        super().__init__(f"failed to load rule plugin {plugin!r}: {type(cause).__name__}: {cause}")
        self.plugin = plugin
        self.cause = cause


class ModelUnavailableError(StoryguardError):
    """The classifier cannot run here (the `ml` extra is missing); the run continues rules-only."""


class TimeBudgetExceeded(BaseException):
    """Linting one file ran past its time budget (`time-budget`).

    A BaseException, like KeyboardInterrupt, so the broad handlers that turn a library's
    assorted parse errors into a per-file error cannot swallow it halfway through a file.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than the {seconds:g}-second time budget (time-budget)")
        self.seconds = seconds
