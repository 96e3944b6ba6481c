"""The one finding record and the versioned JSON report every output format is built from."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .positions import LineIndex
from .references import Reference
from .rules import Fix

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    category: str
    severity: str
    message: str
    suggestion: str | None
    start: int  # code-point offsets into the decoded file, half-open
    end: int
    scope: str
    pointer: str | None
    source: str  # "rule" or "classifier"
    confidence: float
    references: tuple[Reference, ...]
    fix: Fix | None = None  # edits in source offsets


@dataclass
class FileReport:
    path: str
    format: str | None
    text: str = ""
    languages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: dict[str, str] | None = None
    notices: list[dict[str, Any]] = field(default_factory=list)
    # Files besides this one that its findings depend on (images a rule read): the cache
    # checks them before reusing the report. Not part of the JSON report.
    dependencies: list[str] = field(default_factory=list)

    def excerpt(self, finding: Finding) -> str:
        return self.text[finding.start:finding.end]


def redact(text: str) -> str:
    """Keep each word's first character and mask the rest, so a CI log never republishes a name."""
    out, previous_kept = [], False
    for char in text:
        if char.isalnum():
            out.append("•" if previous_kept else char)
            previous_kept = True
        else:
            out.append(char)
            previous_kept = False if not ("\u4e00" <= char <= "\u9fff") else previous_kept
    return "".join(out)


@dataclass
class Report:
    files: list[FileReport]
    version: str

    def findings(self):
        for file in self.files:
            for finding in file.findings:
                yield file, finding

    def has_errors(self) -> bool:
        return any(file.error for file in self.files)

    def worst_severity(self) -> str | None:
        order = {"info": 0, "warning": 1, "error": 2}
        severities = [finding.severity for _file, finding in self.findings()]
        return max(severities, key=order.__getitem__) if severities else None

    def to_dict(self, *, redact_excerpts: bool = False) -> dict[str, Any]:
        files_out = []
        by_category: Counter[str] = Counter()
        by_severity: Counter[str] = Counter()
        for file in self.files:
            index = LineIndex(file.text)
            findings_out = []
            for finding in file.findings:
                by_category[finding.category] += 1
                by_severity[finding.severity] += 1
                findings_out.append(finding_to_dict(file, finding, index, redact_excerpts))
            notices = [
                {**notice, **({"start": _position(index, notice["offset"])} if "offset" in notice else {})}
                for notice in file.notices
            ]
            files_out.append({
                "path": file.path,
                "format": file.format,
                "languages": file.languages,
                "error": file.error,
                "findings": findings_out,
                "notices": [{k: v for k, v in notice.items() if k != "offset"} for notice in notices],
            })
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "storyguard", "version": self.version},
            "files": files_out,
            "summary": {
                "files": len(self.files),
                "errors": sum(1 for file in self.files if file.error),
                "findings": sum(by_category.values()),
                "by_category": dict(sorted(by_category.items())),
                "by_severity": dict(sorted(by_severity.items())),
            },
        }

    def to_json(self, *, redact_excerpts: bool = False) -> str:
        return _layout(self.to_dict(redact_excerpts=redact_excerpts))


# Nesting depth of a finding (report > files > file > findings > finding): from there down each
# value is one compact line, encoded by json's C encoder; indent=2 all the way down goes through
# the pure-Python encoder and was a sixth of a large run's time.
_COMPACT_DEPTH = 4


def _layout(value: Any, depth: int = 0) -> str:
    """JSON indented by two spaces down to each finding or notice, which sits on one line."""
    if depth >= _COMPACT_DEPTH or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    outer, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key, ensure_ascii=False)}: {_layout(item, depth + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{outer}}}"
    return "[\n" + ",\n".join(f"{inner}{_layout(item, depth + 1)}" for item in value) + f"\n{outer}]"


def _position(index: LineIndex, offset: int) -> dict[str, int]:
    located = index.locate(offset)
    return {"offset": located.offset, "line": located.line, "column": located.column}


def finding_to_dict(file: FileReport, finding: Finding, index: LineIndex, redact_excerpts: bool) -> dict[str, Any]:
    excerpt = file.excerpt(finding)
    out: dict[str, Any] = {
        "rule": finding.rule,
        "name": finding.name,
        "category": finding.category,
        "severity": finding.severity,
        # A message may quote the match; redaction must reach it too.
        "message": finding.message.replace(excerpt, redact(excerpt)) if redact_excerpts and excerpt else finding.message,
        "suggestion": finding.suggestion,
        "start": _position(index, finding.start),
        "end": _position(index, finding.end),
        "excerpt": redact(excerpt) if redact_excerpts else excerpt,
        "scope": finding.scope,
        "pointer": finding.pointer,
        "source": finding.source,
        "confidence": finding.confidence,
        "references": [reference.as_json() for reference in finding.references],
    }
    if finding.fix is not None:
        out["fix"] = {
            "applicability": finding.fix.applicability,
            "description": finding.fix.description,
            "edits": [
                {"start": _position(index, edit.start), "end": _position(index, edit.end), "replacement": edit.replacement}
                for edit in finding.fix.edits
            ],
        }
        if finding.fix.files:
            out["fix"]["files"] = [
                {"action": change.action, "path": change.path, "output": change.output} for change in finding.fix.files
            ]
    return out


def report_schema() -> dict[str, Any]:
    return json.loads(resources.files("storyguard").joinpath("schemas/report.schema.json").read_text("utf-8"))
