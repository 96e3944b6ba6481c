"""The rule contract: metadata checked at class definition, plugins by entry point, references resolved."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from storyguard.errors import PluginLoadError, RuleDefinitionError
from storyguard.registry import Registry, is_selected, severity_for
from storyguard.rules import Rule

GOOD_DOC = '''Flags things.

    What it flags:
        x
    Why it matters:
        y
    How to fix:
        z
    Examples:
        Bad (en): bad text
        Good (en): good text
'''


def make_rule(**overrides):
    attributes = dict(code="ZZ101", name="demo-rule", category="labelling", languages=("en",),
                      references=("RD4C-PROTECTIVE",), __doc__=GOOD_DOC)
    attributes.update(overrides)
    return type("Demo", (Rule,), attributes)


def test_valid_rule_defines():
    rule = make_rule()
    assert [example.kind for example in rule.examples] == ["bad", "good"]


@pytest.mark.parametrize(("override", "message"), [
    ({"code": "SG1"}, "code"),
    ({"name": "Not Kebab"}, "kebab-case"),
    ({"category": "spam"}, "category"),
    ({"severity": "fatal"}, "severity"),
    ({"languages": ("fr",)}, "languages"),
    ({"references": ()}, "references"),
    ({"__doc__": "No sections at all."}, "What it flags"),
    ({"languages": ("en", "zh")}, "Bad (zh)"),
])
def test_malformed_rule_fails_at_definition(override, message):
    with pytest.raises(RuleDefinitionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_rule(**override)


def test_unknown_reference_is_rejected_by_registry():
    rule = make_rule(references=("NO-SUCH-REF",))
    with pytest.raises(RuleDefinitionError, match="unknown reference"):
        Registry.from_rules([rule])


def test_duplicate_codes_are_rejected():
    with pytest.raises(RuleDefinitionError, match="registered twice"):
        Registry.from_rules([make_rule(), make_rule()])


def test_builtin_packs_register_through_entry_points(registry):
    plugins = {registry.plugin_of(rule.code) for rule in registry.rules}
    assert {"labelling", "identifying", "traffic", "consent"} <= plugins
    for category in ("labelling", "identifying", "traffic", "consent"):
        assert any(rule.category == category for rule in registry.rules)


def test_broken_plugin_is_named(monkeypatch):
    broken = EntryPoint(name="broken-pack", value="no_such_module_xyz:RULES", group="storyguard.rules")
    monkeypatch.setattr("storyguard.registry.entry_points", lambda group: [broken])
    with pytest.raises(PluginLoadError, match="broken-pack"):
        Registry.from_entry_points()


def test_third_party_plugin_cannot_take_sg_prefix():
    from storyguard.registry import Registered

    rule = make_rule(code="SG777")
    with pytest.raises(RuleDefinitionError, match="reserved"):
        Registry([Registered(rule, "evil", "evil-dist")])


def test_selection_longest_prefix_wins(registry):
    full_name = registry.get("SG201")
    assert is_selected(full_name, ["ALL"], [])
    assert not is_selected(full_name, ["ALL"], ["SG2"])
    assert is_selected(full_name, ["SG201"], ["SG2"])
    assert not is_selected(full_name, ["labelling"], [])
    assert is_selected(full_name, ["identifying"], [])
    assert not is_selected(full_name, ["ALL"], ["child-full-name"])
    assert severity_for(full_name, [("SG2", "info"), ("SG201", "warning")], "error") == "warning"


def test_every_reference_cited_exists_and_is_verified(registry):
    for rule in registry.rules:
        for reference in rule.references:
            assert registry.catalogue.get(reference).status in ("verified", "partly")
