"""Run storyguard over the shared real corpus (third-party text, never copied into the project)
and count findings on the non-child control documents, where every finding is a likely false
positive, and on the child appeals, for a look at what is and is not found.

    python scripts/real_corpus_check.py ../shared/real-corpus [--no-model] [--show RULE]

Prints counts only; `--show` prints excerpts of one rule's findings to the terminal for
reading (do not paste them anywhere: the corpus holds real children's data).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import storyguard
from storyguard.config import Config

CONTROL_GOFUNDME = {"animals", "business", "environment", "sports", "travel", "creative"}


def is_control(record: dict) -> bool:
    meta = record.get("meta", {})
    if meta.get("hint_child_terms"):
        return False
    source = record["id"]
    if record["kind"] == "crowdfunding" and "gofundme" in json.dumps(meta).lower():
        return str(meta.get("category", "")).split("-")[0] in CONTROL_GOFUNDME
    return record["kind"] in ("charity-proposal", "charity-post", "news", "social-post", "health-article") and bool(source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--show", help="print excerpts of this rule's control findings")
    args = parser.parse_args()
    linter = storyguard.Linter(Config(model_enabled=not args.no_model))
    tallies: dict[str, Counter] = {"control": Counter(), "child": Counter()}
    documents: Counter = Counter()
    with_findings: Counter = Counter()
    by_source: dict[str, Counter] = {}
    started = time.perf_counter()
    for path in sorted(args.corpus.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            group = "control" if is_control(record) else ("child" if record.get("meta", {}).get("hint_child_terms") else None)
            if group is None:
                continue
            report = storyguard.lint(content=record["text"], format="text", filename=record["id"], linter=linter)
            findings = [f for f in report.files[0].findings if f.category != "consent" or group == "child"]
            documents[group] += 1
            with_findings[group] += bool(findings)
            tallies[group].update(f.rule for f in findings)
            by_source.setdefault(f"{group}:{path.stem}", Counter()).update(documents=1, findings=len(findings), flagged=bool(findings))
            if args.show and group == "control":
                for finding in findings:
                    if finding.rule == args.show:
                        print(f"  {record['id']}: {report.files[0].excerpt(finding)!r}")
    elapsed = time.perf_counter() - started
    print(f"== {sum(documents.values())} documents in {elapsed:.1f} s ({sum(documents.values()) / elapsed:.1f} per second, "
          f"one process, {'rules only' if args.no_model else 'with the classifier'}, model load included)")
    for group in ("control", "child"):
        total = sum(tallies[group].values())
        print(f"== {group}: {documents[group]} documents, {total} findings "
              f"({100 * total / max(documents[group], 1):.1f} per 100 documents), "
              f"{with_findings[group]} documents with any finding")
        print("   by rule:", dict(sorted(tallies[group].items())))
    print("== per source (documents / findings / documents flagged)")
    for name, counts in sorted(by_source.items()):
        print(f"   {name:<45} {counts['documents']:>5} {counts['findings']:>6} {counts['flagged']:>5}")


if __name__ == "__main__":
    main()
