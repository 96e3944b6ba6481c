"""Per-file limits: time budget and segment cap give a clear per-file error, never a hang."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from storyguard.config import Config, config_from_mapping
from storyguard.engine import Linter, lint
from storyguard.errors import ConfigError
from storyguard.registry import Registry
from storyguard.rules import Match, Rule

RULE_DOC = '''Flags nothing quickly.

    What it flags:
        x
    Why it matters:
        y
    How to fix:
        z
    Examples:
        Bad (en): aaaa
        Good (en): fine text
'''

# Nested quantifiers: exponential backtracking on a run of "a" with no final "!".
_CATASTROPHIC = re.compile(r"(a+)+!")


class SlowSearch(Rule):
    __doc__ = RULE_DOC
    code, name, category, references = "ZZ901", "slow-search", "labelling", ("RD4C-PROTECTIVE",)
    languages = ("en",)

    def check(self, context):
        for segment in context.segments_for(self):
            if "aaaa" in segment.text:
                _CATASTROPHIC.search(segment.text)  # one C-level call that never ends on its own
            yield from ()


class SlowPerSegment(Rule):
    __doc__ = RULE_DOC
    code, name, category, references = "ZZ902", "slow-per-segment", "labelling", ("RD4C-PROTECTIVE",)
    languages = ("en",)

    def check(self, context):
        for segment in context.segments_for(self):
            time.sleep(0.05)
            yield Match(segment=segment, start=0, end=1, message="seen")


def _linter(rule: type[Rule], **config) -> Linter:
    return Linter(Config(**config), Registry.from_rules([rule]), use_model=False)


def test_single_runaway_search_is_interrupted_in_the_main_thread():
    linter = _linter(SlowSearch, time_budget=0.5)
    report = linter.lint_bytes("runaway.txt", b"a" * 40 + b"\n")
    assert report.error == {"kind": "timeout", "message": "took longer than the 0.5-second time budget (time-budget)"}
    assert report.findings == []


def test_budget_stops_a_worker_thread_between_segments():
    # Signals reach only the main thread: the hook server's worker relies on the checks.
    linter = _linter(SlowPerSegment, time_budget=0.3)
    text = "\n\n".join(f"Paragraph {n} about a child." for n in range(100)).encode()
    out = {}
    worker = threading.Thread(target=lambda: out.update(report=linter.lint_bytes("long.md", text)))
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert out["report"].error["kind"] == "timeout"


def test_the_timer_and_previous_handler_are_restored():
    before = signal.getsignal(signal.SIGALRM)
    _linter(SlowPerSegment, time_budget=30).lint_bytes("short.txt", b"One paragraph.")
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_file_within_budget_is_linted_and_next_files_are_unaffected():
    linter = _linter(SlowSearch, time_budget=0.5)
    assert linter.lint_bytes("runaway.txt", b"a" * 40).error["kind"] == "timeout"
    report = linter.lint_bytes("fine.txt", b"Nothing slow here.")
    assert report.error is None


def test_zero_budget_means_no_limit():
    linter = _linter(SlowPerSegment, time_budget=0)
    report = linter.lint_bytes("few.md", b"One.\n\nTwo.\n\nThree.")
    assert report.error is None and len(report.findings) == 3


def test_too_many_segments_is_a_per_file_error():
    linter = _linter(SlowPerSegment, max_segments=3)
    report = linter.lint_bytes("many.md", b"One.\n\nTwo.\n\nThree.\n\nFour.")
    assert report.error == {"kind": "too-many-segments", "message": "4 text segments, over the 3-segment limit (max-segments)"}
    assert linter.lint_bytes("few.md", b"One.\n\nTwo.").error is None


def test_limits_apply_to_content_posted_to_the_core_call():
    linter = _linter(SlowPerSegment, max_segments=1)
    report = lint(content="One.\n\nTwo.", format="markdown", linter=linter)
    assert report.files[0].error["kind"] == "too-many-segments"


@pytest.mark.parametrize(("key", "value"), [("max-segments", 0), ("time-budget", -1), ("time-budget", "fast")])
def test_bad_limit_values_are_rejected(key, value):
    with pytest.raises(ConfigError, match=key):
        config_from_mapping({key: value})


def test_cli_reports_limit_errors_per_file_and_checks_the_rest(tmp_path: Path, monkeypatch):
    (tmp_path / "storyguard.toml").write_text("max-segments = 2\ntime-budget = 30\n", "utf-8")
    (tmp_path / "long.md").write_text("One.\n\nTwo.\n\nThree.\n", "utf-8")
    (tmp_path / "short.md").write_text("Our volunteers packed school bags.\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-model", "--format", "json", "long.md", "short.md"])
    assert result.exit_code == 2
    files = {entry["path"]: entry for entry in json.loads(result.stdout)["files"]}
    assert files["long.md"]["error"]["kind"] == "too-many-segments"
    assert files["short.md"]["error"] is None
