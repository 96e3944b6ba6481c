"""Lexicon files: schema-valid, examples checked at load, big enough, and failures named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from storyguard.errors import LexiconError
from storyguard.lexicon import LexiconStore

ROOT = Path(__file__).resolve().parents[2] / "lint_rules" / "lexicons"
TERM_FILES = sorted(path for path in ROOT.glob("*/*.yml") if path.stem != "cues")


@pytest.mark.parametrize("path", TERM_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_lexicon_loads_and_examples_hold(path):
    lexicon = LexiconStore().terms(ROOT, path.parent.name, path.stem)
    assert lexicon is not None and lexicon.entries
    lexicon.check_examples()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_labelling_lexicons_have_150_entries(language):
    store = LexiconStore()
    total = sum(len(store.terms(ROOT, language, name).entries) for name in ("labels", "pity"))
    assert total >= 150


@pytest.mark.parametrize("language", ["en", "zh"])
def test_cue_lists_present(language):
    lists = yaml.safe_load((ROOT / language / "cues.yml").read_text("utf-8"))["lists"]
    for name in ("child", "adult_role", "negation", "policy", "consent", "pseudonym", "diagnosis", "abuse", "hospital", "name_stop"):
        assert lists.get(name), name


def _write(tmp_path, content):
    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "cues.yml").write_text("language: en\nkind: cues\nlists:\n  child: [child, girl]\n", "utf-8")
    (folder / "demo.yml").write_text(content, "utf-8")
    return tmp_path


def test_failing_bad_example_is_reported_with_file_and_entry(tmp_path):
    root = _write(tmp_path, "language: en\nkind: terms\nrule: SG101\nentries:\n"
                            "  - term: waif\n    note: n\n    examples: {bad: [\"a lovely girl\"]}\n")
    with pytest.raises(LexiconError, match=r"demo\.yml.*'waif'.*not flagged"):
        LexiconStore().terms(root, "en", "demo")


def test_schema_violation_is_reported(tmp_path):
    root = _write(tmp_path, "language: en\nkind: terms\nrule: SG101\nentries:\n  - term: waif\n")
    with pytest.raises(LexiconError, match="note"):
        LexiconStore().terms(root, "en", "demo")


def test_matching_semantics(tmp_path):
    root = _write(tmp_path, "language: en\nkind: terms\nrule: SG101\nentries:\n"
                            "  - term: street kid\n    variants: [street kids]\n    note: n\n"
                            "  - term: wheelchair-bound\n    note: n\n")
    lexicon = LexiconStore().terms(root, "en", "demo")
    found = [text[a:b] for text in ["Two Street  Kids ran.", "He is wheelchair bound.", "streetkids", "a street kidnap"]
             for a, b, _entry in lexicon.hits(text)]
    assert found == ["Street  Kids", "wheelchair bound"]
