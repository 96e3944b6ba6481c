"""Rule discovery and selection. A Registry is built per run (or per server), never global.

Rule packs register under the entry-point group `storyguard.rules`, the built-in ones
exactly like third-party plugins. An entry point may name a Rule subclass, an iterable of
them, or a callable returning them. A plugin that fails to import is named in the error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from .errors import PluginLoadError, RuleDefinitionError
from .references import Catalogue
from .rules import CATEGORIES, Rule

ENTRY_POINT_GROUP = "storyguard.rules"
BUILTIN_PREFIX = "SG"
BUILTIN_DISTRIBUTION = "storyguard"
# Renamed or merged codes keep working in select/ignore/suppressions (ruff's redirect table).
REDIRECTS: dict[str, str] = {}


@dataclass(frozen=True)
class Registered:
    rule: type[Rule]
    plugin: str
    distribution: str | None


class Registry:
    def __init__(self, registered: Iterable[Registered], catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or Catalogue.load()
        self._by_code: dict[str, Registered] = {}
        for item in registered:
            rule = item.rule
            code = REDIRECTS.get(rule.code, rule.code)
            if code in self._by_code:
                other = self._by_code[code]
                raise RuleDefinitionError(f"rule code {code} is registered twice: by {other.plugin!r} and {item.plugin!r}")
            if code.startswith(BUILTIN_PREFIX) and item.distribution not in (None, BUILTIN_DISTRIBUTION):
                raise RuleDefinitionError(f"plugin {item.plugin!r} uses the reserved built-in prefix SG for {code}")
            for reference in rule.references:
                if reference not in self.catalogue:
                    raise RuleDefinitionError(f"rule {code} ({item.plugin}) cites unknown reference {reference!r}")
            self._by_code[code] = item

    @classmethod
    def from_entry_points(cls, catalogue: Catalogue | None = None) -> Registry:
        registered: list[Registered] = []
        for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
            distribution = entry_point.dist.name if entry_point.dist is not None else None
            try:
                loaded = entry_point.load()
                rules = _rules_from(loaded)
            except RuleDefinitionError:
                raise
            except Exception as exc:  # any import-time failure of a plugin is reported by name
                raise PluginLoadError(f"{entry_point.name} ({entry_point.value})", exc) from exc
            registered.extend(Registered(rule, entry_point.name, distribution) for rule in rules)
        return cls(registered, catalogue)

    @classmethod
    def from_rules(cls, rules: Iterable[type[Rule]], catalogue: Catalogue | None = None) -> Registry:
        return cls((Registered(rule, rule.__module__, None) for rule in rules), catalogue)

    @property
    def rules(self) -> list[type[Rule]]:
        return [self._by_code[code].rule for code in sorted(self._by_code)]

    def get(self, code_or_name: str) -> type[Rule] | None:
        code_or_name = REDIRECTS.get(code_or_name.upper(), code_or_name)
        item = self._by_code.get(code_or_name.upper())
        if item:
            return item.rule
        return next((rule for rule in self.rules if rule.name == code_or_name), None)

    def plugin_of(self, code: str) -> str:
        return self._by_code[code].plugin

    def validate_selectors(self, selectors: Iterable[str], source: str) -> None:
        from .errors import ConfigError

        for selector in selectors:
            if _specificity(selector, None) is None and not any(_specificity(selector, rule) is not None for rule in self.rules):
                raise ConfigError(f"{source}: selector {selector!r} matches no rule (codes, prefixes, names, categories or ALL)")


def _rules_from(loaded: Any) -> list[type[Rule]]:
    if isinstance(loaded, type) and issubclass(loaded, Rule):
        return [loaded]
    if callable(loaded) and not isinstance(loaded, (list, tuple)):
        loaded = loaded()
    rules = list(loaded)
    for rule in rules:
        if not (isinstance(rule, type) and issubclass(rule, Rule)):
            raise TypeError(f"{rule!r} is not a storyguard Rule subclass")
    return rules


def _specificity(selector: str, rule: type[Rule] | None) -> int | None:
    """How specifically `selector` names `rule` (None: not at all). Longest prefix wins."""
    if selector == "ALL":
        return 0
    if rule is None:
        return None
    code = rule.code
    selector_code = REDIRECTS.get(selector.upper(), selector.upper())
    if selector_code == code or selector == rule.name:
        return 100
    if selector in CATEGORIES and rule.category == selector:
        return 1
    if code.startswith(selector_code) and selector_code[:1].isalpha():
        return 1 + len(selector_code)
    return None


def is_selected(rule: type[Rule], select: Iterable[str], ignore: Iterable[str]) -> bool:
    best_select = max((s for s in (_specificity(x, rule) for x in select) if s is not None), default=None)
    best_ignore = max((s for s in (_specificity(x, rule) for x in ignore) if s is not None), default=None)
    if best_select is None:
        return False
    return best_ignore is None or best_select > best_ignore


def severity_for(rule: type[Rule], overrides: Iterable[tuple[str, str]], default: str) -> str:
    best: tuple[int, str] | None = None
    for selector, level in overrides:
        specificity = _specificity(selector, rule)
        if specificity is not None and (best is None or specificity >= best[0]):
            best = (specificity, level)
    return best[1] if best else default
