"""Output formats. Every one is built from the Report; none re-reads or re-searches files."""

from __future__ import annotations

import json
from collections import Counter

import click

from storyguard.positions import LineIndex, display_width
from storyguard.report import Report, redact

SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
_FIX_LABELS = {"safe": "safe, `storyguard fix`", "unsafe": "unsafe, `storyguard fix --unsafe`", "display": "by hand"}


def render_text(report: Report, *, colour: bool, redact_excerpts: bool, notices: list[str]) -> str:
    """`path:line:col  CODE  severity  message`, the excerpt line and a caret aligned by display width."""
    lines: list[str] = []
    for file in report.files:
        if file.error:
            lines.append(_style(f"{file.path}: error: {file.error['message']} ({file.error['kind']})", "red", colour))
            continue
        index = LineIndex(file.text)
        for finding in file.findings:
            start, end = index.locate(finding.start), index.locate(finding.end)
            code = _style(finding.rule, SEVERITY_COLOURS[finding.severity], colour, bold=True)
            lines.append(f"{file.path}:{start.line}:{start.column}  {code}  {finding.severity}  {finding.message}")
            line_start, line_end = index.line_bounds(start.line)
            source_line = file.text[line_start:line_end]
            if redact_excerpts:
                source_line = source_line[: start.column - 1] + redact(source_line[start.column - 1:]) if source_line else source_line
            source_line = source_line.replace("\t", " ")
            if len(source_line) <= 300:
                caret_end = end.offset if end.line == start.line else line_end
                pad = display_width(source_line[: start.column - 1])
                width = max(1, display_width(file.text[finding.start:caret_end].replace("\t", " ")))
                lines.append(f"    {source_line}")
                lines.append("    " + " " * pad + _style("^" * width, SEVERITY_COLOURS[finding.severity], colour))
            if finding.suggestion:
                lines.append(f"    suggestion: {finding.suggestion}")
            if finding.fix is not None:
                lines.append(f"    fix ({_FIX_LABELS[finding.fix.applicability]}): {finding.fix.description}")
            refs = ", ".join(reference.id for reference in finding.references)
            lines.append(f"    references: {refs}")
        for notice in file.notices:
            lines.append(_style(f"{file.path}: note: {notice['message']}", "blue", colour))
    summary = report.to_dict()["summary"]
    for notice in notices:
        lines.append(_style(f"note: {notice}", "blue", colour))
    tally = ", ".join(f"{count} {name}" for name, count in summary["by_category"].items()) or "no findings"
    lines.append(f"{summary['files']} file(s) checked, {summary['findings']} finding(s) ({tally}), {summary['errors']} error(s).")
    fixable = Counter(f.fix.applicability for file in report.files for f in file.findings if f.fix is not None)
    if fixable["safe"] or fixable["unsafe"]:
        lines.append(f"{fixable['safe']} fixable with `storyguard fix`, {fixable['unsafe']} more with `storyguard fix --unsafe`.")
    return "\n".join(lines)


def _style(text: str, colour: str, enabled: bool, bold: bool = False) -> str:
    return click.style(text, fg=colour, bold=bold) if enabled else text


def render_json(report: Report, *, redact_excerpts: bool) -> str:
    return report.to_json(redact_excerpts=redact_excerpts)


def render_rules_markdown(rules, catalogue) -> str:
    """docs/rules.md, generated from rule metadata."""
    out = [
        "# storyguard rules",
        "",
        "Generated from the rule classes by `storyguard rules --format markdown`; do not edit by hand.",
        "",
        "| Code | Name | Category | Severity | Languages |",
        "|---|---|---|---|---|",
    ]
    out += [f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.category} | {r.severity} | {', '.join(r.languages)} |" for r in rules]
    for rule in rules:
        sections = rule.doc_sections()
        out += ["", f"## {rule.code}", "", f"**{rule.name}** ({rule.category}, {rule.severity}). {sections.get('summary', '')}", ""]
        for title in ("What it flags", "Why it matters", "How to fix"):
            out += [f"### {title}", "", _unindent(sections.get(title, "")), ""]
        out += ["### Examples", ""]
        out += [f"- {example.kind.title()} ({example.language}): {example.text}" for example in rule.examples]
        out += ["", "### References", ""]
        out += [f"- `{ref}`: [{catalogue.get(ref).title}]({catalogue.get(ref).url})" for ref in rule.references]
    return "\n".join(out).rstrip() + "\n"


def _unindent(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines())


def rules_json(rules) -> str:
    return json.dumps([
        {"code": r.code, "name": r.name, "category": r.category, "severity": r.severity, "languages": list(r.languages),
         "scopes": list(r.scopes), "references": list(r.references), "source": r.source, "fixable": r.fixable}
        for r in rules
    ], ensure_ascii=False, indent=2)
