"""The results cache: hits only for the same bytes, path, setup and code; misses are safe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyguard.cache import LintCache
from storyguard.config import Config
from storyguard.engine import Linter

REPO = Path(__file__).resolve().parents[2]
STORY = "Lily Chen, 7, needs surgery. Please share to save her! Call 07700 900123.\n"


@pytest.fixture()
def counting_linter(registry, monkeypatch):
    linter = Linter(Config(model_enabled=False), registry)
    calls = []
    original = linter.lint_bytes
    monkeypatch.setattr(linter, "lint_bytes", lambda path, data, *a, **k: calls.append(path) or original(path, data, *a, **k))
    return linter, calls


def run_twice(linter, calls, cache, paths):
    first = linter.lint_paths(paths, cache=cache).to_dict()
    before = len(calls)
    second = linter.lint_paths(paths, cache=cache).to_dict()
    return first, second, len(calls) - before


def test_unchanged_files_are_not_linted_again(tmp_path, counting_linter):
    linter, calls = counting_linter
    page = tmp_path / "story.txt"
    page.write_text(STORY, encoding="utf-8")
    cache = linter.cache(tmp_path / "cache")
    first, second, relinted = run_twice(linter, calls, cache, [str(page)])
    assert relinted == 0 and first == second and first["files"][0]["findings"]


def test_changed_bytes_miss(tmp_path, counting_linter):
    linter, calls = counting_linter
    page = tmp_path / "story.txt"
    page.write_text(STORY, encoding="utf-8")
    cache = linter.cache(tmp_path / "cache")
    linter.lint_paths([str(page)], cache=cache)
    page.write_text(STORY.replace("07700 900123", "07700 900124"), encoding="utf-8")
    report = linter.lint_paths([str(page)], cache=cache)
    assert len(calls) == 2 and "900124" in report.files[0].text


def test_setup_and_code_are_part_of_the_key(tmp_path, registry):
    page_key = ("story.txt", STORY.encode())
    base = Linter(Config(model_enabled=False), registry).cache(tmp_path)
    other_config = Linter(Config(model_enabled=False, select=("SG2",)), registry).cache(tmp_path)
    other_language = Linter(Config(model_enabled=False), registry, language="en").cache(tmp_path)
    assert len({base._entry(*page_key), other_config._entry(*page_key), other_language._entry(*page_key)}) == 3
    code = tmp_path / "plugin"
    code.mkdir()
    (code / "rule.py").write_text("X = 1\n")
    before = LintCache.for_run(Config(), use_model=False, language="auto", code_roots=[code], root=tmp_path)
    time.sleep(0.01)
    (code / "rule.py").write_text("X = 22\n")  # an edited rule in a checkout
    after = LintCache.for_run(Config(), use_model=False, language="auto", code_roots=[code], root=tmp_path)
    assert before.setup != after.setup


def test_a_changed_dependency_invalidates(tmp_path, registry):
    image = tmp_path / "photo.jpg"
    image.write_bytes(b"one")
    linter = Linter(Config(model_enabled=False), registry)
    cache = linter.cache(tmp_path / "cache")
    report = linter.lint_bytes("page.md", b"Hello")
    report.dependencies = [str(image)]
    cache.put("page.md", b"Hello", report)
    assert cache.get("page.md", b"Hello") is not None
    image.write_bytes(b"three")
    assert cache.get("page.md", b"Hello") is None


def test_corrupt_entries_and_unwritable_folders_cost_only_speed(tmp_path, counting_linter):
    linter, calls = counting_linter
    page = tmp_path / "story.txt"
    page.write_text(STORY, encoding="utf-8")
    cache = linter.cache(tmp_path / "cache")
    expected = linter.lint_paths([str(page)], cache=cache).to_dict()
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        entry.write_bytes(b"\x80\x05 not a pickle")
    assert linter.lint_paths([str(page)], cache=cache).to_dict() == expected
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    assert linter.lint_paths([str(page)], cache=linter.cache(blocked)).to_dict() == expected


def run_cli(*args, cache_dir):
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "STORYGUARD_CACHE_DIR": str(cache_dir)},
    )


def test_concurrent_runs_share_a_cache_safely(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for index in range(12):
        (pages / f"page{index}.txt").write_text(STORY.replace("Lily", f"Kid{index}"), encoding="utf-8")
    args = ("check", "--no-model", "--format", "json", "--fail-on", "never", str(pages))
    runs = [run_cli(*args, cache_dir=tmp_path / "shared") for _ in range(3)]
    outputs = [run.communicate()[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert outputs[0] == outputs[1] == outputs[2]
    again = run_cli(*args, cache_dir=tmp_path / "shared").communicate()[0]
    assert again == outputs[0]
    assert not list((tmp_path / "shared").rglob("*.storyguard-tmp"))


def test_no_cache_writes_nothing(tmp_path):
    page = tmp_path / "story.txt"
    page.write_text(STORY, encoding="utf-8")
    run = run_cli("check", "--no-model", "--no-cache", "--format", "json", str(page), cache_dir=tmp_path / "c")
    report = json.loads(run.communicate()[0])
    assert report["files"][0]["findings"] and not (tmp_path / "c" / "results").exists()


def test_shipped_yaml_is_read_back_from_its_json_copy(tmp_path, monkeypatch):
    from storyguard.datacache import parsed_yaml

    monkeypatch.setenv("STORYGUARD_CACHE_DIR", str(tmp_path))
    raw = "- id: X-1\n  title: 'A: title'\n  tags: [a, b]\n".encode()
    expected = [{"id": "X-1", "title": "A: title", "tags": ["a", "b"]}]
    assert parsed_yaml(raw) == expected
    (copy,) = (tmp_path / "data").iterdir()
    assert json.loads(copy.read_text("utf-8")) == expected
    copy.write_text("{damaged", "utf-8")  # a damaged copy is parsed afresh, not trusted
    assert parsed_yaml(raw) == expected
    assert parsed_yaml(raw.replace(b"X-1", b"X-2"))[0]["id"] == "X-2"  # new content, new copy
