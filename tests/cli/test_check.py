"""End-to-end: the `storyguard` command on real files, every JSON output schema-validated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "corpora" / "examples"


def run(*args, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], input=stdin, capture_output=True, cwd=cwd or REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def report_of(result, validator) -> dict:
    report = json.loads(result.stdout)
    errors = list(validator.iter_errors(report))
    assert not errors, errors[0]
    return report


def test_examples_find_planted_problems_in_both_languages(report_validator):
    result = run("check", "--format", "json", "--no-model", str(EXAMPLES))
    assert result.returncode == 1, result.stderr
    report = report_of(result, report_validator)
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    for name, file in by_name.items():
        categories = {finding["category"] for finding in file["findings"]}
        if "problematic" in name:
            assert {"labelling", "identifying", "traffic"} <= categories, (name, categories)
    languages = {lang for file in report["files"] if file["findings"] for lang in file["languages"]}
    assert languages == {"en", "zh"}


def test_compliant_file_exits_zero(tmp_path, report_validator):
    draft = tmp_path / "ok.md"
    draft.write_text("# Winter appeal\n\nYour gift funds school meals for 300 children this term.\n", "utf-8")
    result = run("check", "--format", "json", "--no-model", str(draft))
    assert result.returncode == 0, result.stdout
    assert report_of(result, report_validator)["summary"]["findings"] == 0


def test_bad_inputs_are_per_file_errors_and_the_run_completes(tmp_path, report_validator):
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "broken.json").write_text('{"text": "unterminated', "utf-8")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 \xff\xfe\xfd".encode("latin-1"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "huge.txt").write_bytes(b"a" * (50 * 1024 * 1024))
    (tmp_path / "fine.txt").write_text("Share to save her! Lily Chen, 7, needs help.", "utf-8")
    paths = [str(tmp_path / name) for name in ("binary.txt", "broken.json", "latin1.txt", "empty.txt", "huge.txt", "fine.txt")]
    result = run("check", "--format", "json", "--no-model", *paths, str(tmp_path / "missing.md"))
    assert result.returncode == 2
    report = report_of(result, report_validator)
    errors = {Path(f["path"]).name: f["error"] for f in report["files"]}
    assert errors["binary.txt"]["kind"] == "binary"
    assert "line 1" in errors["broken.json"]["message"]
    assert errors["latin1.txt"]["kind"] == "encoding"
    assert errors["huge.txt"]["kind"] == "too-large"
    assert errors["missing.md"]["kind"] == "missing"
    assert errors["empty.txt"] is None and errors["fine.txt"] is None
    assert any(f["findings"] for f in report["files"] if f["path"].endswith("fine.txt"))


def test_text_output_has_position_code_and_caret(tmp_path):
    draft = tmp_path / "post.txt"
    draft.write_text("第一行\n这个留守娃真可怜，转发救命！\n", "utf-8")
    result = run("check", "--no-model", str(draft))
    out = result.stdout.decode()
    assert result.returncode == 1
    line = next(l for l in out.splitlines() if "SG301" in l)
    assert line.startswith(f"{draft}:2:10  SG301  error  ")
    caret_line = out.splitlines()[out.splitlines().index(line) + 2]
    # 9 CJK characters before the match: 18 cells, plus the 4-space indent.
    assert caret_line == " " * (4 + 18) + "^" * 8
    assert "\x1b[" not in out  # no colour in a pipe


def test_stdin_with_filename(report_validator):
    result = run("check", "--format", "json", "--no-model", "--stdin-filename", "draft.md", "-",
                 stdin="# Appeal\n\nPlease share to save this little girl!\n".encode())
    report = report_of(result, report_validator)
    assert report["files"][0]["path"] == "draft.md" and report["files"][0]["format"] == "markdown"
    assert result.returncode == 1


def test_select_ignore_and_fail_on(tmp_path):
    draft = tmp_path / "a.txt"
    draft.write_text("Please share to save this little girl!", "utf-8")
    assert run("check", "--no-model", "--ignore", "traffic", str(draft)).returncode == 0
    assert run("check", "--no-model", "--select", "SG3", str(draft)).returncode == 1
    assert run("check", "--no-model", "--fail-on", "never", str(draft)).returncode == 0


def test_unknown_config_key_is_a_usage_error(tmp_path):
    (tmp_path / "storyguard.toml").write_text('selct = ["ALL"]\n', "utf-8")
    (tmp_path / "a.txt").write_text("hello", "utf-8")
    result = run("check", "--no-model", str(tmp_path / "a.txt"))
    assert result.returncode == 2
    assert "did you mean 'select'" in result.stderr.decode()


def test_config_ignore_and_inline_suppression(tmp_path, report_validator):
    (tmp_path / "pyproject.toml").write_text('[tool.storyguard]\nignore = ["SG304"]\n', "utf-8")
    draft = tmp_path / "a.md"
    draft.write_text(
        "<!-- storyguard-disable-next-line SG301 -->\nPlease share to save this little girl!\n\n"
        "<!-- storyguard-disable-next-line SG101 -->\nA calm paragraph.\n", "utf-8")
    report = report_of(run("check", "--format", "json", "--no-model", str(draft)), report_validator)
    file = report["files"][0]
    assert not file["findings"]
    assert [notice["kind"] for notice in file["notices"]] == ["unused-suppression"]
    assert file["notices"][0]["start"]["line"] == 4


def test_directory_walk_skips_excluded(tmp_path):
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.md").write_text("share to save her", "utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "y.md").write_text("fine text", "utf-8")
    result = run("check", "--format", "json", "--no-model", str(tmp_path))
    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert paths == [str(tmp_path / "docs" / "y.md")]


def test_explain_rules_and_init(tmp_path):
    explained = run("explain", "SG201").stdout.decode()
    assert "child-full-name" in explained and "CN-MPL-103" in explained and "What it flags" in explained
    assert run("explain", "SG999").returncode == 2
    rules = json.loads(run("rules", "--format", "json").stdout)
    assert {rule["code"] for rule in rules} >= {"SG101", "SG201", "SG301", "SG401"}
    assert run("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "storyguard.toml").is_file()
    assert run("init", cwd=tmp_path).returncode == 2  # refuses to overwrite
    checked = run("check", "--no-model", str(tmp_path / "storyguard.toml"), cwd=tmp_path)
    assert checked.returncode in (0, 1)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".md", ".html", ".json", ".txt")) if EXAMPLES.exists() else [])
def test_example_outputs_validate(name, report_validator):
    report_of(run("check", "--format", "json", "--no-model", str(EXAMPLES / name)), report_validator)
