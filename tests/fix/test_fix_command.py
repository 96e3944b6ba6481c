"""`storyguard fix`: safe and unsafe fixes, --diff, encodings, atomic writes, idempotence."""

from __future__ import annotations

import codecs
import json
import os
import stat

import pytest

from storyguard import atomic
from storyguard.config import Config
from storyguard.engine import Linter
from storyguard.fixer import FixOptions, apply_edits, choose_fixes, fix_file
from storyguard.report import FileReport, Finding
from storyguard.rules import Edit, Fix

from stories import STORY_EN, STORY_ZH


@pytest.fixture(scope="module")
def linter(registry):
    return Linter(Config(model_enabled=False), registry)


def finding(start, end, *edits, rule="SG204", applicability="safe"):
    return Finding(rule, "x", "identifying", "error", "m", None, start, end, "paragraph", None, "rule", 0.9, (),
                   Fix(tuple(edits), applicability, "d"))


def test_choose_fixes_defers_overlaps_and_counts_identical_edits_once():
    report = FileReport("a.txt", "text", text="0123456789")
    report.findings = [
        finding(0, 4, Edit(0, 4, "A")),
        finding(0, 4, Edit(0, 4, "A"), rule="SG205"),  # the same redaction from a second rule
        finding(2, 6, Edit(2, 6, "B"), applicability="unsafe"),
        finding(6, 6, Edit(6, 6, "+")),
        finding(6, 8, Edit(6, 8, "C")),  # touches the insertion point: deferred
    ]
    chosen, deferred = choose_fixes(report, ("safe", "unsafe"))
    assert [f.fix.edits[0].replacement for f in chosen] == ["A", "+"]
    assert deferred == 2
    only_safe, _ = choose_fixes(report, ("safe",))
    assert all(f.fix.applicability == "safe" for f in only_safe)


def test_apply_edits_back_to_front():
    assert apply_edits("abcdef", [Edit(0, 1, "XX"), Edit(3, 5, ""), Edit(6, 6, "!")]) == "XXbcf!"


def test_safe_fix_redacts_and_leaves_meaning_alone(tmp_path, linter):
    page = tmp_path / "story.txt"
    page.write_text(STORY_EN, encoding="utf-8")
    result = fix_file(linter, str(page), FixOptions())
    text = page.read_text("utf-8")
    assert result.error is None and result.applied
    assert "07700 900123" not in text and "[contact removed]" in text and "[address removed]" in text
    assert "Lily Chen" in text and "AIDS orphan" in text and "share to save" in text  # unsafe: untouched


def test_unsafe_fix_rewrites_and_a_second_run_has_nothing_left(tmp_path, linter):
    page = tmp_path / "story.txt"
    page.write_text(STORY_EN + "\n" + STORY_ZH, encoding="utf-8")
    first = fix_file(linter, str(page), FixOptions(unsafe=True))
    text = page.read_text("utf-8")
    assert first.error is None
    for gone in ("Lily Chen", "AIDS orphan", "share to save", "王小雨", "留守儿童", "转发救命", "13812345678", "440306201506121537"):
        assert gone not in text, gone
    assert "L., 7" in text and "a child whose parents died of AIDS" in text and "王某" in text
    second = fix_file(linter, str(page), FixOptions(unsafe=True))
    assert second.applied == [] and second.error is None and page.read_text("utf-8") == text


def test_diff_writes_nothing(tmp_path, cli):
    page = tmp_path / "story.md"
    page.write_text(STORY_EN, encoding="utf-8")
    before = page.stat().st_mtime_ns
    result = cli("fix", "--no-model", "--diff", "story.md")
    assert result.returncode == 1, result.stderr
    assert "-Lily Chen, 7, lives at 14 Birch Lane" in result.stdout
    assert r"+Lily Chen, 7, lives at \[address removed\]" in result.stdout
    assert page.read_text("utf-8") == STORY_EN and page.stat().st_mtime_ns == before
    assert list(tmp_path.iterdir()) == [page]


def test_cli_fix_then_check_is_clean_of_fixable_findings(tmp_path, cli):
    (tmp_path / "story.md").write_text(STORY_EN, encoding="utf-8")
    result = cli("fix", "--no-model", "--unsafe", ".")
    assert result.returncode == 0, result.stderr
    assert "Fixed" in result.stderr
    report = json.loads(cli("check", "--no-model", "--format", "json", "--fail-on", "never", ".").stdout)
    fixable = [f for file in report["files"] for f in file["findings"] if f.get("fix") and f["fix"]["applicability"] != "display"]
    assert fixable == []


@pytest.mark.parametrize(("encoding", "bom", "newline"), [
    ("utf-8", b"", "\n"), ("utf-8", codecs.BOM_UTF8, "\r\n"), ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
    ("gb18030", b"", "\n"),
])
def test_encoding_bom_line_endings_and_permissions_are_kept(tmp_path, linter, encoding, bom, newline):
    page = tmp_path / "story.txt"
    text = (STORY_ZH + "\n" + STORY_ZH).replace("\n", newline)
    page.write_bytes(bom + text.encode(encoding))
    os.chmod(page, 0o640)
    result = fix_file(linter, str(page), FixOptions())
    assert result.error is None and result.applied
    data = page.read_bytes()
    assert data.startswith(bom)
    fixed = data[len(bom):].decode(encoding)
    assert "13812345678" not in fixed and "[联系方式已删除]" in fixed
    assert fixed.count(newline) == text.count(newline) and ("\r\n" in fixed) == (newline == "\r\n")
    assert stat.S_IMODE(page.stat().st_mode) == 0o640


def test_json_stays_valid_and_only_string_values_change(tmp_path, linter):
    post = {"id": 7, "text": STORY_ZH.strip(), "tags": ["救助", "\u738b"], "author": {"name": "志愿者李明"}}
    raw = json.dumps(post, ensure_ascii=True, indent=2)  # every Han character as a \u escape
    page = tmp_path / "post.json"
    page.write_text(raw, encoding="utf-8")
    assert fix_file(linter, str(page), FixOptions(unsafe=True)).error is None
    fixed = json.loads(page.read_text("utf-8"))
    assert fixed["id"] == 7 and fixed["tags"] == post["tags"] and fixed["author"] == post["author"]
    assert "13812345678" not in fixed["text"] and "转发救命" not in fixed["text"]
    assert "\\u" in page.read_text("utf-8")  # untouched escapes stay as written


def test_html_markup_is_kept(tmp_path, linter):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><h1>Help Lily</h1><p>Lily Chen, 7, needs surgery. Call 07700 900123 &amp; ask.</p>"
        "<p>Please share to save her!</p></body></html>", encoding="utf-8",
    )
    assert fix_file(linter, str(page), FixOptions(unsafe=True)).error is None
    text = page.read_text("utf-8")
    assert text.startswith("<html><body><h1>Help Lily</h1><p>") and text.endswith("</p></body></html>")
    assert "[contact removed] &amp; ask." in text and "07700" not in text


def test_docx_is_reported_not_rewritten(tmp_path, linter):
    page = tmp_path / "draft.docx"
    page.write_bytes(b"PK\x03\x04 not really a docx")
    result = fix_file(linter, str(page), FixOptions())
    assert result.error and "docx" in result.error
    assert page.read_bytes() == b"PK\x03\x04 not really a docx"


def test_a_write_that_fails_midway_leaves_the_original(tmp_path, linter, monkeypatch):
    page = tmp_path / "story.txt"
    page.write_text(STORY_EN, encoding="utf-8")

    def broken_fsync(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    result = fix_file(linter, str(page), FixOptions(unsafe=True))
    assert "No space left" in result.error and result.applied == []
    assert page.read_text("utf-8") == STORY_EN
    assert [p.name for p in tmp_path.iterdir()] == ["story.txt"]  # no temporary file left behind


def test_unreadable_and_missing_files_are_errors_not_crashes(tmp_path, cli):
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = cli("fix", "--no-model", "binary.txt", "missing.md")
    assert result.returncode == 2
    assert "binary.txt: error: binary" in result.stderr and "missing.md: error" in result.stderr
    assert (tmp_path / "binary.txt").read_bytes() == b"\x00\x01\x02" * 100


def test_stdin_is_refused(tmp_path, cli):
    result = cli("fix", "-")
    assert result.returncode == 2 and "standard input" in result.stderr
