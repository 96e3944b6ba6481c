"""Configuration: validation with "did you mean" hints, discovery, per-file ignores, excludes."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyguard.config import Config, config_from_mapping, find_config, load_config
from storyguard.errors import ConfigError


def test_defaults():
    config = config_from_mapping({})
    assert config.select == ("ALL",)
    assert config.ignore == ()
    assert config.fail_on == "warning"
    assert config.languages == ("en", "zh")
    assert config.profile == "global"
    assert config.model_enabled is True


def test_all_keys_are_read(tmp_path):
    config = config_from_mapping(
        {
            "select": ["SG2"], "extend-select": ["SG101"], "ignore": ["SG205"],
            "per-file-ignores": {"drafts/*.md": ["SG201"]}, "severity": {"SG201": "error"},
            "fail-on": "error", "languages": ["zh"], "profile": "cn",
            "model": {"enabled": False, "threshold": 0.7}, "lexicons": ["lex"], "exclude": ["archive/"],
            "max-file-size": 1000, "redact": True,
        },
        source="x.toml", root=tmp_path,
    )
    assert config.select == ("SG2", "SG101")
    assert config.ignore == ("SG205",)
    assert config.per_file_ignores == (("drafts/*.md", ("SG201",)),)
    assert config.severity == (("SG201", "error"),)
    assert (config.fail_on, config.languages, config.profile) == ("error", ("zh",), "cn")
    assert (config.model_enabled, config.model_threshold) == (False, 0.7)
    assert config.lexicons == (tmp_path / "lex",)
    assert (config.exclude, config.max_file_size, config.redact) == (("archive/",), 1000, True)
    assert (config.source, config.root) == ("x.toml", tmp_path)


@pytest.mark.parametrize(
    "data, hint",
    [
        ({"selct": []}, "did you mean 'select'"),
        ({"ignor": ["SG1"]}, "did you mean 'ignore'"),
        ({"per_file_ignores": {}}, "did you mean 'per-file-ignores'"),
        ({"failon": "error"}, "did you mean 'fail-on'"),
        ({"model": {"enabld": True}}, "did you mean 'enabled'"),
    ],
)
def test_unknown_key_is_rejected_with_a_hint(data, hint):
    with pytest.raises(ConfigError) as caught:
        config_from_mapping(data, source="storyguard.toml")
    message = str(caught.value)
    assert hint in message
    assert "storyguard.toml" in message
    assert "unknown key" in message


def test_unknown_key_without_close_match_still_rejected():
    with pytest.raises(ConfigError) as caught:
        config_from_mapping({"zzzzzz": 1})
    assert "unknown key 'zzzzzz'" in str(caught.value)
    assert "did you mean" not in str(caught.value)


@pytest.mark.parametrize(
    "data, fragment",
    [
        ({"fail-on": "sometimes"}, "fail-on"),
        ({"profile": "eu"}, "profile"),
        ({"languages": []}, "languages"),
        ({"languages": ["fr"]}, "languages"),
        ({"per-file-ignores": {"*.md": "SG1"}}, "per-file-ignores"),
        ({"model": {"threshold": 1.5}}, "model"),
        ({"select": "SG1"}, "select"),
        ({"max-file-size": 0}, "max-file-size"),
    ],
)
def test_invalid_values_name_the_key(data, fragment):
    with pytest.raises(ConfigError) as caught:
        config_from_mapping(data)
    assert fragment in str(caught.value)


def test_load_storyguard_toml(tmp_path):
    path = tmp_path / "storyguard.toml"
    path.write_text('select = ["SG2"]\nfail-on = "error"\n', "utf-8")
    config = load_config(path)
    assert config.select == ("SG2",)
    assert config.fail_on == "error"
    assert config.source == str(path)
    assert config.root == tmp_path


def test_load_pyproject_reads_only_its_table(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.storyguard]\nignore = ["SG101"]\n\n[tool.ruff]\nline-length = 1\n', "utf-8")
    config = load_config(path)
    assert config.ignore == ("SG101",)


def test_load_config_errors(tmp_path):
    bad = tmp_path / "storyguard.toml"
    bad.write_text("select = [", "utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")
    typo = tmp_path / "sub" / "pyproject.toml"
    typo.parent.mkdir()
    typo.write_text('[tool.storyguard]\nselcet = ["SG1"]\n', "utf-8")
    with pytest.raises(ConfigError, match="did you mean 'select'"):
        load_config(typo)


def test_find_config_walks_up_to_pyproject_with_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.storyguard]\nselect = ["ALL"]\n', "utf-8")
    middle = tmp_path / "a"
    middle.mkdir()
    (middle / "pyproject.toml").write_text('[project]\nname = "no-table"\n', "utf-8")  # skipped
    deep = middle / "b" / "c"
    deep.mkdir(parents=True)
    target = deep / "story.md"
    target.write_text("x", "utf-8")
    assert find_config(target) == (tmp_path / "pyproject.toml").resolve()
    assert find_config(deep) == (tmp_path / "pyproject.toml").resolve()


def test_find_config_prefers_nearest_and_storyguard_toml(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.storyguard]\n", "utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.storyguard]\n", "utf-8")
    (inner / "storyguard.toml").write_text("", "utf-8")
    assert find_config(inner / "x.md") == (inner / "storyguard.toml").resolve()
    (inner / "storyguard.toml").unlink()
    assert find_config(inner / "x.md") == (inner / "pyproject.toml").resolve()


def test_find_config_skips_broken_pyproject(tmp_path):
    (tmp_path / "storyguard.toml").write_text("", "utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.storyguard\n", "utf-8")
    assert find_config(inner) == (tmp_path / "storyguard.toml").resolve()


def _config(tmp_path: Path, **data) -> Config:
    return config_from_mapping({key.replace("_", "-"): value for key, value in data.items()}, root=tmp_path)


def test_per_file_ignores_globs(tmp_path):
    config = _config(tmp_path, per_file_ignores={"docs/*.md": ["SG2"], "*.html": ["SG1", "SG3"], "/top.txt": ["ALL"]})
    assert config.ignored_for(str(tmp_path / "docs" / "a.md")) == ("SG2",)
    assert config.ignored_for(str(tmp_path / "site" / "deep" / "page.html")) == ("SG1", "SG3")
    assert config.ignored_for(str(tmp_path / "top.txt")) == ("ALL",)
    assert config.ignored_for(str(tmp_path / "sub" / "top.txt")) == ()
    assert config.ignored_for(str(tmp_path / "other" / "a.md")) == ()
    assert config.ignored_for(str(tmp_path / "docs" / "a.txt")) == ()


def test_per_file_ignores_accumulate_over_matching_globs(tmp_path):
    config = _config(tmp_path, per_file_ignores={"*.md": ["SG1"], "drafts/*": ["SG2"]})
    assert config.ignored_for(str(tmp_path / "drafts" / "a.md")) == ("SG1", "SG2")


def test_default_excludes(tmp_path):
    config = _config(tmp_path)
    for excluded in (".git/config", "node_modules/pkg/README.md", "a/node_modules/b.md", ".venv/x.md"):
        assert config.excludes(str(tmp_path / excluded)), excluded
    for kept in ("story.md", "gitignored.md", "docs/node_modules.md", "a/.github/x.md"):
        assert not config.excludes(str(tmp_path / kept)), kept


def test_gitignore_style_excludes(tmp_path):
    config = _config(tmp_path, exclude=["*.bak", "archive/", "/top.md", "drafts/private/*"])
    assert config.excludes(str(tmp_path / "old.bak"))
    assert config.excludes(str(tmp_path / "deep" / "er" / "old.bak"))  # no slash: any level
    assert config.excludes(str(tmp_path / "archive" / "2019" / "a.md"))
    assert config.excludes(str(tmp_path / "top.md"))
    assert not config.excludes(str(tmp_path / "sub" / "top.md"))  # leading slash anchors
    assert config.excludes(str(tmp_path / "drafts" / "private" / "x.md"))
    assert not config.excludes(str(tmp_path / "drafts" / "public" / "x.md"))
    assert not config.excludes(str(tmp_path / "archived.md"))
    assert not config.excludes(str(tmp_path / "old.bak.md"))


def test_trailing_slash_pattern_matches_at_any_depth(tmp_path):
    config = _config(tmp_path, exclude=["archive/"])
    assert config.excludes(str(tmp_path / "sub" / "archive" / "a.md"))


def test_star_does_not_cross_directories(tmp_path):
    config = _config(tmp_path, exclude=["docs/*.md"])
    assert config.excludes(str(tmp_path / "docs" / "a.md"))
    assert not config.excludes(str(tmp_path / "docs" / "sub" / "a.md"))


def test_with_overrides_keeps_other_values(tmp_path):
    config = _config(tmp_path, select=["SG2"])
    changed = config.with_overrides(fail_on="never", select=None)
    assert changed.fail_on == "never"
    assert changed.select == ("SG2",)
    assert changed.root == tmp_path
