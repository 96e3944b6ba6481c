"""The pre-commit hook, run by pre-commit itself (`try-repo`) against a throwaway repository.

pre-commit builds a fresh virtualenv and pip-installs storyguard from a snapshot of this
working tree, so the test needs PyPI (for the dependencies) and takes a while: marked slow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "user.email=ci@example.org", "-c", "user.name=CI", "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True, text=True,
    )


def pre_commit_command() -> list[str]:
    found = shutil.which("pre-commit", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit, in the dev extra)")
    return [found]


def snapshot(repo: Path, target: Path) -> Path:
    """Commit the working tree (tracked and new files, .gitignore respected) into a scratch repo.

    try-repo only sees committed or staged changes of tracked files, and this test must not
    commit in the real repository.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=repo, capture_output=True, check=False,
    )
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            source = repo / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:  # not a git checkout (an unpacked archive): copy the tree minus build and cache folders
        shutil.copytree(repo, target, ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis", "test-artifacts", "build", "dist",
        ))
    git(target, "init", "-q")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "snapshot")
    return target


def test_hook_manifest(repo):
    hooks = yaml.safe_load((repo / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "storyguard")
    assert hook["entry"] == "storyguard check --no-model"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["markdown", "html", "text", "json"]


def test_pre_commit_try_repo_flags_a_draft(repo, tmp_path, samples):
    command = pre_commit_command()
    source = snapshot(repo, (tmp_path / "storyguard").resolve())
    site = tmp_path / "site"
    site.mkdir()
    (site / "appeal.md").write_text(samples["en"], "utf-8")
    (site / "ok.md").write_text("# Update\n\nYour gifts funded school meals for 300 children.\n", "utf-8")
    (site / "tool.py").write_text("print('Share to save little Emma Johnson, 7!')\n", "utf-8")
    git(site, "init", "-q")
    git(site, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    env.pop("PYTHONPATH", None)  # the hook must run from the venv pre-commit builds, not from this checkout
    result = subprocess.run(
        [*command, "try-repo", str(source), "storyguard", "--all-files", "--verbose"],
        cwd=site, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    output = result.stdout + result.stderr
    if "Could not find a version" in output or "Failed to establish a new connection" in output:
        pytest.skip("pre-commit could not reach PyPI to build the hook's environment")
    assert result.returncode == 1, output
    assert "storyguard" in output and "Failed" in output
    assert "appeal.md:3:" in output and "SG201" in output
    assert "tool.py" not in output  # code is not a draft
