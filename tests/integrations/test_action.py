"""scripts/github-action.sh run the way the composite action runs it: env in, files and exit code out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CLEAN = "# Spring update\n\nYour gifts funded school meals for 300 children this term.\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.org", "-c", "user.name=CI", "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True,
    )


@pytest.fixture()
def workspace(tmp_path: Path, samples) -> Path:
    repo = tmp_path / "site"
    (repo / "drafts").mkdir(parents=True)
    (repo / "drafts" / "spring.md").write_text(CLEAN, "utf-8")
    (repo / "drafts" / "appeal.md").write_text(samples["en"], "utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first drafts")
    return repo


def run_action(repo: Path, repo_root: Path, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict[str, str], str]:
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    output.write_text("", "utf-8")
    summary.write_text("", "utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))},
        # The venv's storyguard first on PATH, importing the repository under test.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(repo_root),
        "GITHUB_WORKSPACE": str(repo), "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
        "INPUT_MODEL": "false",
        **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
    }
    result = subprocess.run(
        ["bash", str(repo_root / "scripts" / "github-action.sh")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines() if "=" in line)
    return result, outputs, summary.read_text("utf-8")


def test_action_checks_paths_writes_sarif_summary_outputs_and_fails(workspace, repo, tmp_path, samples):
    result, outputs, summary = run_action(workspace, repo, tmp_path, paths="drafts", fail_on="warning", sarif_file="out/sg.sarif")
    assert result.returncode == 1, result.stderr
    findings = int(outputs["findings"])
    assert findings > 0 and outputs["sarif-file"] == "out/sg.sarif"

    sarif = json.loads((workspace / "out" / "sg.sarif").read_text("utf-8"))
    results = sarif["runs"][0]["results"]
    assert len(results) == findings
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"drafts/appeal.md"}  # relative to the workspace

    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == findings
    assert any(line.startswith("::error file=drafts/appeal.md,line=3,") for line in annotations)

    assert "| Severity | Rule | File | Line | Message |" in summary
    assert summary.count("| drafts/appeal.md |") == findings
    assert "SG201" in summary and f"**{findings} finding(s)**" in summary
    for text in (result.stdout, summary, json.dumps(sarif, ensure_ascii=False)):
        assert samples["child_name"] not in text  # CI output is redacted


def test_action_fail_on_never_passes(workspace, repo, tmp_path):
    result, outputs, _summary = run_action(workspace, repo, tmp_path, paths="drafts", fail_on="never", format="text")
    assert result.returncode == 0, result.stderr
    assert int(outputs["findings"]) > 0
    assert "SG201" in result.stdout and "::error" not in result.stdout


def test_action_changed_only(workspace, repo, tmp_path, samples):
    (workspace / "drafts" / "new.md").write_text(samples["zh"], "utf-8")
    (workspace / "notes.py").write_text("print('not a draft')\n", "utf-8")
    git(workspace, "add", ".")
    git(workspace, "commit", "-q", "-m", "a new draft")
    result, outputs, _summary = run_action(workspace, repo, tmp_path, paths=".", changed_only="true")
    assert result.returncode == 1, result.stderr
    sarif = json.loads((workspace / "storyguard.sarif").read_text("utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"drafts/new.md"}, "only the draft changed since HEAD~1 is checked"
    assert int(outputs["findings"]) == len(sarif["runs"][0]["results"])

    # Nothing lintable changed: success, zero findings, still a SARIF file to upload.
    (workspace / "notes.py").write_text("print('still not a draft')\n", "utf-8")
    git(workspace, "commit", "-q", "-am", "code only")
    result, outputs, summary = run_action(workspace, repo, tmp_path, changed_only="true")
    assert result.returncode == 0, result.stderr
    assert outputs == {"findings": "0", "sarif-file": "storyguard.sarif"}
    assert "No changed drafts" in summary
    assert json.loads((workspace / "storyguard.sarif").read_text("utf-8"))["runs"][0]["results"] == []


def test_action_yml_declares_inputs_and_passes_them_to_the_script(repo):
    action = yaml.safe_load((repo / "action.yml").read_text("utf-8"))
    assert set(action["inputs"]) == {"paths", "changed-only", "fail-on", "format", "model", "sarif-file"}
    assert action["inputs"]["paths"]["default"] == "." and action["inputs"]["sarif-file"]["default"] == "storyguard.sarif"
    assert action["runs"]["using"] == "composite"
    steps = {step.get("id"): step for step in action["runs"]["steps"]}
    env = steps["lint"]["env"]
    for name in action["inputs"]:
        assert env[f"INPUT_{name.upper().replace('-', '_')}"] == f"${{{{ inputs.{name} }}}}"
    assert "pull_request.base.sha" in env["STORYGUARD_BASE_SHA"]
    install = next(step["run"] for step in action["runs"]["steps"] if "pip" in step.get("run", ""))
    assert "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in install
    assert install.index("torch==2.13.0") < install.index("[ml]")
    assert set(action["outputs"]) == {"findings", "sarif-file"}
