"""`--jobs N`: the report is byte-for-byte the same, in the same order, for any N."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def check(*args, cache_dir):
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "check", "--no-model", "--no-cache", "--format", "json", "--fail-on", "never", *args],
        capture_output=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), "STORYGUARD_CACHE_DIR": str(cache_dir)},
    )
    assert result.returncode == 2, result.stderr  # 2: the broken file is an error entry
    return result.stdout


def test_output_is_identical_for_any_number_of_jobs(tmp_path):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")  # errors keep their place too
    paths = ["corpora/examples", str(tmp_path / "broken.json"), "corpora/eval/cases"]
    serial = check(*paths, cache_dir=tmp_path)
    assert serial == check("--jobs", "2", *paths, cache_dir=tmp_path)
    assert serial == check("-j", "0", *paths, cache_dir=tmp_path)


def test_automatic_jobs_use_every_core_only_when_the_files_pay_for_the_workers(monkeypatch):
    from storyguard import engine

    monkeypatch.setattr(engine.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    assert engine.worker_count(0, 1, use_model=False) == 1  # one file: no pool at all
    assert engine.worker_count(0, 20, use_model=False) == 2
    assert engine.worker_count(0, 1000, use_model=False) == 4
    assert engine.worker_count(0, 60, use_model=True) == 1  # each worker would load its own model
    assert engine.worker_count(0, 1000, use_model=True) == 4
    assert engine.worker_count(3, 1000, use_model=True) == 3  # asked for: as many as asked, up to the cores
    assert engine.worker_count(16, 1000, use_model=False) == 4
    assert engine.worker_count(2, 1, use_model=False) == 1
