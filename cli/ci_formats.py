"""CI output formats: SARIF 2.1.0, GitHub workflow commands, reviewdog rdjsonl and a standalone HTML report.

Every format is built from the Report (offsets, findings, references); none re-reads or
re-searches files. When `redact_excerpts` is on (the default for CI formats), no text of
the document reaches the output: excerpts, snippets and the quoted text inside messages are
masked with `storyguard.report.redact`, so a CI log never republishes a child's name.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from storyguard.positions import LineIndex
from storyguard.registry import Registry
from storyguard.report import FileReport, Finding, Report, redact
from storyguard.rules import Rule

INFORMATION_URI = "https://github.com/storyguard/storyguard"
RULES_DOC_URI = f"{INFORMATION_URI}/blob/main/docs/rules.md"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "storyguardFinding/v1"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
RDJSON_SEVERITIES = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}
_QUOTED_LEAD = re.compile(r"^'([^']*)'")


def render(output_format: str, report: Report, registry: Registry, *, redact_excerpts: bool, root: Path | None = None) -> str:
    """Render `report` as `sarif`, `github`, `rdjsonl` or `html`.

    `root` is the folder paths are made relative to (default: the working directory).
    """
    root = (root or Path.cwd()).resolve()
    if output_format == "sarif":
        return json.dumps(to_sarif(report, registry, redact_excerpts=redact_excerpts, root=root), ensure_ascii=False, indent=2)
    if output_format == "github":
        return render_github(report, redact_excerpts=redact_excerpts, root=root)
    if output_format == "rdjsonl":
        return render_rdjsonl(report, redact_excerpts=redact_excerpts, root=root)
    if output_format == "html":
        return render_html(report, redact_excerpts=redact_excerpts)
    raise ValueError(f"unknown CI format {output_format!r}")


# -- shared helpers --------------------------------------------------------------------------


def relative_path(path: str, root: Path) -> str:
    """Forward-slash path relative to `root` when the file lies below it; otherwise as given."""
    if path.startswith("<") or path == "-":
        return path
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def safe_message(file: FileReport, finding: Finding, redact_excerpts: bool) -> str:
    """The message, with the document's own words masked when redacting.

    Messages quote the matched text ("'Lily Chen' looks like a child's full name"), so
    masking only the excerpt field would still leak it.
    """
    message = finding.message
    if not redact_excerpts:
        return message
    excerpt = file.excerpt(finding)
    if excerpt.strip():
        message = message.replace(excerpt, redact(excerpt))
    # The quoted term may differ from the raw source slice (markup, entities): mask it too.
    return _QUOTED_LEAD.sub(lambda match: f"'{redact(match.group(1))}'", message)


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def fingerprints(file: FileReport, root: Path) -> list[str]:
    """One stable hash per finding: rule + path + normalised excerpt + occurrence index.

    Line numbers never enter the hash, so inserting lines above a finding keeps it; the
    occurrence index tells apart repeated identical findings in one file.
    """
    seen: Counter[tuple[str, str]] = Counter()
    path = relative_path(file.path, root)
    out = []
    for finding in file.findings:
        key = (finding.rule, _normalise(file.excerpt(finding)))
        occurrence = seen[key]
        seen[key] += 1
        material = "\x1f".join((finding.rule, path, key[1], str(occurrence)))
        out.append(hashlib.sha256(material.encode("utf-8")).hexdigest()[:32])
    return out


def rule_help_uri(rule: type[Rule] | None, code: str) -> str:
    explicit = getattr(rule, "help_uri", None) if rule is not None else None
    return explicit or f"{RULES_DOC_URI}#{code.lower()}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- SARIF 2.1.0 -----------------------------------------------------------------------------


def to_sarif(report: Report, registry: Registry, *, redact_excerpts: bool, root: Path) -> dict[str, Any]:
    used = sorted({finding.rule for _file, finding in report.findings()})
    # Every registered rule is described (so code scanning can show rules with no results),
    # plus any code a finding carries that the registry does not know (defensive).
    codes = sorted({rule.code for rule in registry.rules} | set(used))
    rule_index = {code: index for index, code in enumerate(codes)}
    descriptors = [_sarif_rule(registry, code) for code in codes]

    artifacts: list[dict[str, Any]] = []
    artifact_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file in report.files:
        uri = _uri(relative_path(file.path, root))
        artifact_index[file.path] = len(artifacts)
        artifact: dict[str, Any] = {"location": _artifact_location(uri, len(artifacts))}
        if file.error is None and file.format:
            artifact["sourceLanguage"] = file.format
        artifacts.append(artifact)
        if file.error:
            notifications.append({
                "level": "error",
                "message": {"text": f"{file.error['message']} ({file.error['kind']})"},
                "descriptor": {"id": file.error["kind"]},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(uri, artifact_index[file.path])}}],
            })
            continue
        for notice in file.notices:
            notifications.append({
                "level": "error" if notice.get("kind") == "rule-error" else "note",
                "message": {"text": notice["message"]},
                "descriptor": {"id": notice.get("kind", "notice")},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(uri, artifact_index[file.path])}}],
            })
        index = LineIndex(file.text)
        for finding, fingerprint in zip(file.findings, fingerprints(file, root), strict=True):
            results.append(_sarif_result(
                file, finding, index, uri, artifact_index[file.path], rule_index[finding.rule], fingerprint, redact_excerpts,
            ))

    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "storyguard",
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }},
            "invocations": [{
                "executionSuccessful": not report.has_errors(),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
            "artifacts": artifacts,
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _uri(path: str) -> str:
    if Path(path).is_absolute():
        return Path(path).as_uri()  # outside the root: an absolute file:// URI
    return quote(path, safe="/@!$&'()*+,;=-._~")


def _artifact_location(uri: str, index: int) -> dict[str, Any]:
    location: dict[str, Any] = {"uri": uri, "index": index}
    if "://" not in uri:
        location["uriBaseId"] = "%SRCROOT%"
    return location


def _sarif_rule(registry: Registry, code: str) -> dict[str, Any]:
    rule = registry.get(code)
    if rule is None:
        return {"id": code, "helpUri": rule_help_uri(None, code)}
    sections = rule.doc_sections()
    summary = _one_line(sections.get("summary", "")) or rule.name
    what, why, how = (_one_line(sections.get(title, "")) for title in ("What it flags", "Why it matters", "How to fix"))
    references = [registry.catalogue.get(ref) for ref in rule.references]
    examples = "\n".join(f"- {example.kind.title()} ({example.language}): {example.text}" for example in rule.examples)
    ref_lines = "\n".join(f"- [{ref.id}]({ref.url}): {ref.title}" for ref in references)
    markdown = (
        f"**{rule.code} {rule.name}**: {summary}\n\n**What it flags.** {what}\n\n**Why it matters.** {why}\n\n"
        f"**How to fix.** {how}\n\n**Examples**\n\n{examples}\n\n**References**\n\n{ref_lines}\n"
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": f"{what} {why}".strip()},
        "help": {"text": f"{how}\n\nReferences: " + "; ".join(f"{ref.id} {ref.url}" for ref in references), "markdown": markdown},
        "helpUri": rule_help_uri(rule, rule.code),
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
        "properties": {
            "category": rule.category,
            "tags": ["storyguard", rule.category, *rule.languages, *(("classifier",) if rule.source == "classifier" else ())],
            "languages": list(rule.languages),
            "fixable": rule.fixable,
            "references": [{"id": ref.id, "title": ref.title, "url": ref.url} for ref in references],
        },
    }


def _region(index: LineIndex, start: int, end: int) -> dict[str, Any]:
    first, last = index.locate(start), index.locate(end)
    return {
        "startLine": first.line, "startColumn": first.column, "endLine": last.line, "endColumn": last.column,
        "charOffset": first.offset, "charLength": max(0, last.offset - first.offset),
    }


def _sarif_result(
    file: FileReport, finding: Finding, index: LineIndex, uri: str, artifact: int, rule_index: int,
    fingerprint: str, redact_excerpts: bool,
) -> dict[str, Any]:
    excerpt = file.excerpt(finding)
    region = _region(index, finding.start, finding.end)
    region["snippet"] = {"text": redact(excerpt) if redact_excerpts else excerpt}
    text = safe_message(file, finding, redact_excerpts)
    if finding.suggestion:
        text = f"{text.rstrip('.')}. Suggestion: {finding.suggestion}"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": SARIF_LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(uri, artifact), "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "category": finding.category, "name": finding.name, "source": finding.source,
            "confidence": finding.confidence, "scope": finding.scope,
            **({"pointer": finding.pointer} if finding.pointer else {}),
            **({"suggestion": finding.suggestion} if finding.suggestion else {}),
            "references": [reference.as_json() for reference in finding.references],
        },
    }
    if finding.fix is not None and finding.fix.edits:
        result["fixes"] = [{
            "description": {"text": f"{finding.fix.description} ({finding.fix.applicability})"},
            "artifactChanges": [{
                "artifactLocation": _artifact_location(uri, artifact),
                "replacements": [
                    {"deletedRegion": _region(index, edit.start, edit.end), "insertedContent": {"text": edit.replacement}}
                    for edit in finding.fix.edits
                ],
            }],
        }]
    return result


# -- GitHub workflow commands ----------------------------------------------------------------


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, *, redact_excerpts: bool, root: Path) -> str:
    """`::error file=...,line=...,col=...,endLine=...,endColumn=...,title=...::message` per finding."""
    lines: list[str] = []
    for file in report.files:
        path = relative_path(file.path, root)
        if file.error:
            lines.append(f"::error file={_escape_property(path)},title={_escape_property('storyguard: ' + file.error['kind'])}::"
                         f"{_escape_data(file.error['message'])}")
            continue
        index = LineIndex(file.text)
        for finding in file.findings:
            start, end = index.locate(finding.start), index.locate(finding.end)
            properties = {
                "file": path, "line": start.line, "col": start.column, "endLine": end.line, "endColumn": end.column,
                "title": f"{finding.rule} {finding.name}",
            }
            message = safe_message(file, finding, redact_excerpts)
            if finding.suggestion:
                message += f"\nSuggestion: {finding.suggestion}"
            if finding.references:
                message += "\nReferences: " + ", ".join(reference.id for reference in finding.references)
            joined = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
            lines.append(f"::{GITHUB_LEVELS[finding.severity]} {joined}::{_escape_data(message)}")
    return "\n".join(lines)


# -- reviewdog rdjsonl -----------------------------------------------------------------------


def _utf8_position(text: str, index: LineIndex, offset: int) -> dict[str, int]:
    """reviewdog columns count UTF-8 bytes, not code points (1-based)."""
    located = index.locate(offset)
    line_start = located.offset - (located.column - 1)
    return {"line": located.line, "column": len(text[line_start:located.offset].encode("utf-8")) + 1}


def _rd_range(text: str, index: LineIndex, start: int, end: int) -> dict[str, Any]:
    return {"start": _utf8_position(text, index, start), "end": _utf8_position(text, index, end)}


def rdjsonl_diagnostics(report: Report, *, redact_excerpts: bool, root: Path) -> Iterator[dict[str, Any]]:
    for file in report.files:
        path = relative_path(file.path, root)
        if file.error:
            yield {
                "message": f"{file.error['message']} ({file.error['kind']})", "location": {"path": path},
                "severity": "ERROR", "source": {"name": "storyguard", "url": INFORMATION_URI},
            }
            continue
        index = LineIndex(file.text)
        for finding in file.findings:
            message = safe_message(file, finding, redact_excerpts)
            if finding.suggestion:
                message = f"{message.rstrip('.')}. Suggestion: {finding.suggestion}"
            diagnostic: dict[str, Any] = {
                "message": message,
                "location": {"path": path, "range": _rd_range(file.text, index, finding.start, finding.end)},
                "severity": RDJSON_SEVERITIES[finding.severity],
                "source": {"name": "storyguard", "url": INFORMATION_URI},
                "code": {"value": finding.rule, "url": rule_help_uri(None, finding.rule)},
            }
            if finding.fix is not None and finding.fix.edits:
                diagnostic["suggestions"] = [
                    {"range": _rd_range(file.text, index, edit.start, edit.end), "text": edit.replacement}
                    for edit in finding.fix.edits
                ]
            yield diagnostic


def render_rdjsonl(report: Report, *, redact_excerpts: bool, root: Path) -> str:
    return "\n".join(json.dumps(d, ensure_ascii=False) for d in rdjsonl_diagnostics(report, redact_excerpts=redact_excerpts, root=root))


# -- standalone HTML report ------------------------------------------------------------------

_HTML_STYLE = """
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--bg:#fafafa;--fg:#1b1b1b}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;
  color:var(--fg);background:var(--bg);margin:0 auto;max-width:70rem;padding:1rem 1.5rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;word-break:break-all}
.summary{color:#444}.doc{white-space:pre-wrap;word-wrap:break-word;background:#fff;border:1px solid #ddd;
  border-radius:6px;padding:1rem;font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:13px}
mark{background:#fff3cd;border-bottom:2px solid var(--warn);padding:0 1px;cursor:pointer}
mark.error{background:#fde2e1;border-color:var(--err)}mark.info{background:#e3f0fd;border-color:var(--info)}
mark.active{outline:2px solid #333}
ol.findings{padding-left:1.2rem}ol.findings li{margin:.6rem 0;padding:.4rem .6rem;border-left:4px solid var(--warn);background:#fff}
li.error{border-color:var(--err)!important}li.info{border-color:var(--info)!important}li.active{background:#fffbe6!important}
.code{font-weight:600;font-family:ui-monospace,Menlo,Consolas,monospace}.sev{font-size:.8rem;text-transform:uppercase;color:#555}
.suggestion{color:#1b5e20}.refs{font-size:.85rem}.refs a{margin-right:.6rem}.fileerror{color:var(--err)}
"""

# Clicking a highlight selects its list entry and the other way round; no network, no libraries.
_HTML_SCRIPT = """
document.addEventListener('click', function (event) {
  var target = event.target.closest('[data-finding]');
  if (!target) return;
  var ids = target.getAttribute('data-finding').split(' ');
  document.querySelectorAll('.active').forEach(function (el) { el.classList.remove('active'); });
  ids.forEach(function (id) {
    document.querySelectorAll('[data-finding~="' + id + '"]').forEach(function (el) { el.classList.add('active'); });
  });
  var other = target.tagName === 'MARK' ? document.getElementById('item-' + ids[0])
    : document.querySelector('mark[data-finding~="' + ids[0] + '"]');
  if (other) other.scrollIntoView({block: 'center', behavior: 'smooth'});
});
"""


def render_html(report: Report, *, redact_excerpts: bool) -> str:
    """A self-contained page: each document with its findings highlighted, then the list."""
    e = html.escape
    summary = report.to_dict()["summary"]
    tally = ", ".join(f"{count} {name}" for name, count in summary["by_category"].items()) or "no findings"
    body: list[str] = [
        "<h1>storyguard report</h1>",
        (
            f'<p class="summary">{summary["files"]} file(s), {summary["findings"]} finding(s) ({e(tally)}), '
            f'{summary["errors"]} error(s). storyguard {e(report.version)}.</p>'
        ),
    ]
    counter = 0
    for file in report.files:
        body.append(f"<section><h2>{e(file.path)}</h2>")
        if file.error:
            body.append(f'<p class="fileerror">error: {e(file.error["message"])} ({e(file.error["kind"])})</p></section>')
            continue
        ids = list(range(counter, counter + len(file.findings)))
        counter += len(file.findings)
        body.append(f'<div class="doc">{_highlighted(file, ids, redact_excerpts)}</div>')
        if file.findings:
            body.append('<ol class="findings">')
            index = LineIndex(file.text)
            for finding, ident in zip(file.findings, ids, strict=True):
                start = index.locate(finding.start)
                refs = " ".join(
                    f'<a href="{e(ref.url)}" title="{e(ref.title)}" rel="noopener noreferrer">{e(ref.id)}</a>' for ref in finding.references
                )
                suggestion = f'<div class="suggestion">Suggestion: {e(finding.suggestion)}</div>' if finding.suggestion else ""
                body.append(
                    f'<li id="item-{ident}" class="{e(finding.severity)}" data-finding="{ident}">'
                    f'<span class="code">{e(finding.rule)}</span> <span class="sev">{e(finding.severity)} · {e(finding.category)}</span> '
                    f'line {start.line}, column {start.column}: {e(safe_message(file, finding, redact_excerpts))}'
                    f'{suggestion}<div class="refs">References: {refs}</div></li>'
                )
            body.append("</ol>")
        for notice in file.notices:
            body.append(f'<p class="summary">note: {e(notice["message"])}</p>')
        body.append("</section>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>storyguard report</title><style>{_HTML_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + f"\n<script>{_HTML_SCRIPT}</script></body></html>"
    )


def _highlighted(file: FileReport, ids: list[int], redact_excerpts: bool) -> str:
    """The document text, escaped, with the flagged spans wrapped in <mark>.

    The text is cut at every finding's start and end; each piece lists every finding that
    covers it, so overlapping findings all stay reachable and the markup never nests.
    """
    text = file.text
    # Redacting masks the whole draft, not only the flagged spans: a name can recur unflagged.
    # redact() keeps the length, so offsets still index the masked text.
    shown = redact(text) if redact_excerpts else text
    pairs = list(zip(file.findings, ids, strict=True))
    cuts = sorted({0, len(text), *(min(f.start, len(text)) for f, _i in pairs), *(min(f.end, len(text)) for f, _i in pairs)})
    order = {"info": 0, "warning": 1, "error": 2}
    anchored: set[int] = set()
    out: list[str] = []
    for start, end in zip(cuts, cuts[1:]):
        piece = html.escape(shown[start:end])
        covering = [(f, i) for f, i in pairs if f.start <= start and end <= f.end and f.start < f.end]
        if not covering:
            out.append(piece)
            continue
        worst = max((f.severity for f, _i in covering), key=order.__getitem__)
        title = "\n".join(f"{f.rule} {f.name}: {safe_message(file, f, redact_excerpts)}" for f, _i in covering)
        first = next((i for f, i in covering if f.start == start and i not in anchored), None)
        anchor = f'id="mark-{first}" ' if first is not None else ""
        if first is not None:
            anchored.add(first)
        out.append(
            f'<mark {anchor}class="{worst}" data-finding="{" ".join(str(i) for _f, i in covering)}" '
            f'title="{html.escape(title)}">{piece}</mark>'
        )
    return "".join(out)


__all__ = ["fingerprints", "relative_path", "render", "render_github", "render_html", "render_rdjsonl", "to_sarif"]
