"""CI formats: SARIF validity and fingerprints, GitHub annotations, rdjsonl, the HTML report, redaction."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from cli import ci_formats
from storyguard.report import FileReport, Finding, Report
from storyguard.rules import Edit, Fix


def lint_dir(linter, folder: Path) -> Report:
    return linter.lint_paths([str(folder)])


def sarif_of(report: Report, registry, root: Path, *, redact_excerpts: bool = True) -> dict:
    return json.loads(ci_formats.render("sarif", report, registry, redact_excerpts=redact_excerpts, root=root))


def synthetic(registry, text: str, spans: list[tuple[int, int, str]], path: str = "draft.md", fix: Fix | None = None) -> Report:
    """A report built by hand, so format shapes are tested independently of rule tuning."""
    reference = registry.catalogue.get("RD4C-PROTECTIVE")
    findings = [
        Finding(rule="SG201", name="child-full-name", category="identifying", severity=severity,
                message=f"'{text[start:end]}' looks like a child's full name", suggestion="Use a first name only.",
                start=start, end=end, scope="paragraph", pointer=None, source="rule", confidence=0.9,
                references=(reference,), fix=fix)
        for start, end, severity in spans
    ]
    return Report([FileReport(path=path, format="markdown", text=text, languages=["en"], findings=findings)], "0.1.0")


@pytest.fixture(scope="module")
def sarif_validator(sarif_schema_path):
    schema = json.loads(sarif_schema_path.read_text("utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def test_sarif_is_valid_and_describes_rules(rules_linter, registry, drafts, sarif_validator):
    report = lint_dir(rules_linter, drafts)
    assert any(file.findings for file in report.files), "the sample drafts should produce findings"
    sarif = sarif_of(report, registry, drafts)
    errors = sorted(sarif_validator.iter_errors(sarif), key=str)
    assert not errors, errors[0]
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "storyguard" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = {rule["id"]: rule for rule in driver["rules"]}
    sg201 = rules["SG201"]
    assert sg201["name"] == "child-full-name"
    assert sg201["shortDescription"]["text"] and sg201["fullDescription"]["text"] and sg201["help"]["markdown"]
    assert sg201["helpUri"].endswith("#sg201")
    assert sg201["properties"]["category"] == "identifying"
    assert all(ref["url"].startswith("http") for ref in sg201["properties"]["references"])
    assert run["invocations"][0]["executionSuccessful"] is True
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith("/")  # relative to the root
        region = location["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength"} <= set(region)


def test_sarif_regions_count_code_points(registry, tmp_path):
    text = "第一行\n𝓐 孩子 Lily Chen 在这里"
    start = text.index("Lily")
    report = synthetic(registry, text, [(start, start + len("Lily Chen"), "error")])
    region = sarif_of(report, registry, tmp_path)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    # "𝓐" is one code point (two UTF-16 units): column counts it once.
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (2, 6, 15)
    assert (region["charOffset"], region["charLength"]) == (start, 9)
    assert region["snippet"]["text"] == "L••• C••••"[:0] + "L••• C•••"


def test_fingerprints_stable_across_runs_and_line_shifts(rules_linter, registry, drafts):
    first = sarif_of(lint_dir(rules_linter, drafts), registry, drafts)["runs"][0]["results"]
    second = sarif_of(lint_dir(rules_linter, drafts), registry, drafts)["runs"][0]["results"]
    prints = [r["partialFingerprints"] for r in first]
    assert prints == [r["partialFingerprints"] for r in second]
    assert len({json.dumps(p) for p in prints}) == len(prints), "fingerprints must tell findings apart"

    appeal = drafts / "appeal.md"
    appeal.write_text("<!-- a new intro -->\n\nSome words first.\n\n" + appeal.read_text("utf-8"), "utf-8")
    shifted = sarif_of(lint_dir(rules_linter, drafts), registry, drafts)["runs"][0]["results"]
    by_print = {json.dumps(r["partialFingerprints"]): r for r in shifted}
    moved = 0
    for result in first:
        key = json.dumps(result["partialFingerprints"])
        assert key in by_print, result["ruleId"]
        old = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        new = by_print[key]["locations"][0]["physicalLocation"]["region"]["startLine"]
        moved += new != old
    assert moved, "the inserted lines should have moved some findings"


def test_repeated_identical_findings_get_distinct_fingerprints(registry, tmp_path):
    text = "Lily Chen here. Lily Chen there."
    report = synthetic(registry, text, [(0, 9, "error"), (15, 24, "error")])
    results = sarif_of(report, registry, tmp_path)["runs"][0]["results"]
    assert results[0]["partialFingerprints"] != results[1]["partialFingerprints"]


def test_sarif_fixes_and_file_errors(registry, tmp_path, sarif_validator):
    text = "Call 13812345678 now"
    fix = Fix((Edit(5, 16, "[contact removed]"),), "safe", "replace with [contact removed]")
    report = synthetic(registry, text, [(5, 16, "warning")], fix=fix)
    report.files.append(FileReport(path="broken.json", format="social-json", error={"kind": "parse", "message": "bad JSON"}))
    sarif = sarif_of(report, registry, tmp_path)
    assert not list(sarif_validator.iter_errors(sarif))
    run = sarif["runs"][0]
    replacement = run["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["deletedRegion"]["charOffset"] == 5 and replacement["deletedRegion"]["charLength"] == 11
    assert replacement["insertedContent"]["text"] == "[contact removed]"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notification = invocation["toolExecutionNotifications"][0]
    assert notification["level"] == "error" and "bad JSON" in notification["message"]["text"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.json"


def test_cli_sarif_redacts_by_default(run_cli, rules_linter, drafts, samples):
    plain = lint_dir(rules_linter, drafts).to_json()
    assert samples["child_name"] in plain, "precondition: the unredacted report shows the name"
    result = run_cli("check", "--format", "sarif", "--no-model", str(drafts), cwd=drafts)
    assert result.returncode == 1, result.stderr.decode()
    out = result.stdout.decode()
    assert json.loads(out)["runs"][0]["results"]
    assert samples["child_name"] not in out
    assert "Johnson" not in out and "王小明" not in out


@pytest.mark.parametrize("output_format", ["github", "rdjsonl"])
def test_cli_redacts_annotations_by_default(drafts, samples, output_format, monkeypatch):
    from click.testing import CliRunner

    from cli.main import main

    monkeypatch.chdir(drafts)  # in-process: a second subprocess would only re-test start-up
    result = CliRunner().invoke(main, ["check", "--format", output_format, "--no-model", str(drafts)])
    assert result.exit_code == 1, result.output
    assert result.stdout.strip()
    assert samples["child_name"] not in result.stdout
    assert "Johnson" not in result.stdout and "王小明" not in result.stdout


def test_github_annotations_shape_and_escaping(registry, tmp_path):
    text = "x Lily Chen y"
    report = synthetic(registry, text, [(2, 11, "error"), (2, 6, "info")], path="drafts/a,b:c.md")
    report.files[0].findings[1] = Finding(**{**report.files[0].findings[1].__dict__, "message": "100% sure,\r\nreally: yes"})
    lines = ci_formats.render("github", report, registry, redact_excerpts=True, root=tmp_path).splitlines()
    assert lines[0].startswith(
        "::error file=drafts/a%2Cb%3Ac.md,line=1,col=3,endLine=1,endColumn=12,title=SG201 child-full-name::'L••• C•••' looks like"
    )
    assert lines[1].startswith("::notice ")
    assert "100%25 sure,%0D%0Areally: yes" in lines[1]
    assert all("\n" not in line and "Lily" not in line for line in lines)


def test_rdjsonl_shape_with_utf8_columns_and_suggestions(registry, tmp_path):
    text = "孩子 Lily Chen"
    fix = Fix((Edit(3, 12, "Lily"),), "unsafe", "keep the first name")
    report = synthetic(registry, text, [(3, 12, "warning")], fix=fix)
    lines = ci_formats.render("rdjsonl", report, registry, redact_excerpts=False, root=tmp_path).splitlines()
    assert len(lines) == 1
    diagnostic = json.loads(lines[0])
    assert diagnostic["severity"] == "WARNING"
    assert diagnostic["code"]["value"] == "SG201" and diagnostic["code"]["url"].endswith("#sg201")
    assert diagnostic["location"]["path"] == "draft.md"
    # reviewdog columns are UTF-8 bytes: "孩子 " is 7 bytes, so "Lily" starts at column 8.
    assert diagnostic["location"]["range"] == {"start": {"line": 1, "column": 8}, "end": {"line": 1, "column": 17}}
    assert diagnostic["suggestions"] == [{"range": diagnostic["location"]["range"], "text": "Lily"}]
    assert "Use a first name only" in diagnostic["message"]


def test_html_report_is_offline_and_escapes_the_document(registry, tmp_path):
    text = "<script>alert('x')</script> Lily Chen & <b>friends</b>"
    start = text.index("Lily")
    report = synthetic(registry, text, [(start, start + 9, "error"), (0, 8, "warning")])
    page = ci_formats.render("html", report, registry, redact_excerpts=False, root=tmp_path)
    assert "<script>alert" not in page and "&lt;script&gt;</mark>alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<b>friends" not in page and "&amp;" in page
    assert 'class="error"' in page and ">Lily Chen</mark>" in page
    assert 'href="https://' in page  # references are links
    assert "http://" not in page.replace('href="http', "") and "cdn" not in page.lower()
    redacted = ci_formats.render("html", report, registry, redact_excerpts=True, root=tmp_path)
    assert "Lily Chen" not in redacted


def test_html_report_from_real_run(rules_linter, registry, drafts):
    report = lint_dir(rules_linter, drafts)
    page = ci_formats.render("html", report, registry, redact_excerpts=False, root=drafts)
    assert page.startswith("<!DOCTYPE html>") and page.count("<mark ") >= 2
    total = sum(len(file.findings) for file in report.files)
    marked = {int(i) for ids in re.findall(r'<mark [^>]*data-finding="([0-9 ]+)"', page) for i in ids.split()}
    assert marked == set(range(total)), "every finding, overlapping ones too, is highlighted"
    assert all(f'<li id="item-{i}"' in page for i in range(total))
