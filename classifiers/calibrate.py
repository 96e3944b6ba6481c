"""Choose the classifier's document rule per class: ``python -m classifiers.calibrate``.

The linter reports a classifier class for a document when ``support`` of its sentences reach the
class's document threshold (classifiers.rule). Training derives a first threshold from dev
sentences alone; this picks the pair that works with the rules, on whole documents.

Candidates per class are a grid of thresholds and supports. Each is scored by the document-level
F1 of rules + classifier for that class, per language, on two labelled sets:
- the calibration set (corpora/eval/calibration), whose cases the rules were never tuned on, so
  the rules miss there what they would miss on new copy: this is the gain being chosen for;
- the dev set (corpora/eval), as a check.
A candidate is allowed only if, on both sets, it flags no compliant case the rules leave clean
and lowers no language's F1. The allowed candidate with the largest summed calibration gain wins;
ties go to the dev gain, then to the stricter rule (higher threshold, then more support).
The held-out set (corpora/eval/holdout) is never read here.

Writes head.json's ``document`` section and classifiers/CALIBRATION.md; ``--dry-run`` prints only.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from storyguard.config import Config
from storyguard.engine import Linter

from . import LABELS
from .head import HEAD_META, WEIGHTS_DIR, load_head_meta

REPO_ROOT = Path(__file__).resolve().parents[1]
CALIBRATION_SET = REPO_ROOT / "corpora" / "eval" / "calibration"
DEV_SET = REPO_ROOT / "corpora" / "eval"
REPORT = Path(__file__).resolve().parent / "CALIBRATION.md"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998)
SUPPORTS = (1, 2, 3)
LANGS = ("en", "zh")


@dataclass
class Case:
    """One labelled document: what it should get, what the rules give, what the classifier scores."""
    lang: str
    expected: set[str]
    rules: set[str]  # core categories the rules find
    scores: dict[str, list[float]] = field(default_factory=dict)  # per class, its sentences' probabilities

    def classifier_flags(self, label: str, threshold: float, support: int) -> bool:
        return sum(p >= threshold for p in self.scores.get(label, ())) >= support


def load_cases(root: Path) -> list[Case]:
    """Lint every case of a labelled set once, with every classifier sentence reported
    (threshold and support at their minimum) to read its probability; the rule findings are
    the same as in a rules-only run."""
    linter = Linter(Config(model_threshold=1e-9, model_support=1))
    cases = []
    for lang in LANGS:
        for line in (root / f"labels-{lang}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            label = json.loads(line)
            findings = linter.lint_paths([str(root / label["file"])]).files[0].findings
            rules = {f.category for f in findings if f.source != "classifier"} & set(LABELS)
            case = Case(lang, set(label["categories"]) & set(LABELS), rules)
            # The engine drops a classifier sentence overlapping a rule finding of its category;
            # that only happens where the rules already report the category, so the document
            # decision read from what is left is the linter's.
            for finding in findings:
                if finding.source == "classifier":
                    case.scores.setdefault(finding.category, []).append(finding.confidence)
            cases.append(case)
    return cases


def f1(cases: Iterable[Case], label: str, flagged) -> float:
    tp = fp = fn = 0
    for case in cases:
        got, want = flagged(case), label in case.expected
        tp, fp, fn = tp + (got and want), fp + (got and not want), fn + (want and not got)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@dataclass
class Candidate:
    threshold: float
    support: int
    gain: dict[str, dict[str, float]]  # set name -> language -> F1 gain over rules only
    newly_flagged: int  # compliant cases the rules leave clean that this rule flags

    def allowed(self) -> bool:
        return self.newly_flagged == 0 and all(g >= 0 for by_lang in self.gain.values() for g in by_lang.values())

    def rank(self) -> tuple[float, float, float, int]:
        return (round(sum(self.gain["calibration"].values()), 6), round(sum(self.gain["dev"].values()), 6),
                self.threshold, self.support)


def candidates(sets: dict[str, list[Case]], label: str) -> list[Candidate]:
    out = []
    for threshold in THRESHOLDS:
        for support in SUPPORTS:
            gain, newly = {}, 0
            for name, cases in sets.items():
                gain[name] = {}
                for lang in LANGS:
                    mine = [c for c in cases if c.lang == lang]
                    rules = f1(mine, label, lambda c: label in c.rules)
                    both = f1(mine, label, lambda c: label in c.rules or c.classifier_flags(label, threshold, support))
                    gain[name][lang] = both - rules
                newly += sum(1 for c in cases if not c.expected and not c.rules
                             and c.classifier_flags(label, threshold, support))
            out.append(Candidate(threshold, support, gain, newly))
    return out


def choose(sets: dict[str, list[Case]]) -> dict[str, Candidate]:
    chosen = {}
    for label in LABELS:
        allowed = [c for c in candidates(sets, label) if c.allowed()]
        # The strictest grid point flags almost nothing, so some candidate is nearly always
        # allowed; if none is, the class is effectively off (threshold 1.0).
        chosen[label] = max(allowed, key=Candidate.rank) if allowed else Candidate(1.0, max(SUPPORTS), {}, 0)
    return chosen


def report(chosen: dict[str, Candidate], counts: dict[str, int], now: str) -> str:
    lines = ["# Classifier document rule: calibration", "",
             f"Generated {now} by `python -m classifiers.calibrate` (see its docstring for the rule). "
             f"Cases: calibration {counts['calibration']}, dev {counts['dev']}.", "",
             "F1 gain of rules + classifier over rules only, per class, document level:", "",
             "| class | threshold | support | calibration EN / ZH | dev EN / ZH |", "|---|---|---|---|---|"]
    for label, c in chosen.items():
        cal, dev = c.gain.get("calibration", {}), c.gain.get("dev", {})
        lines.append(f"| {label} | {c.threshold} | {c.support} | "
                     f"{cal.get('en', 0):+.3f} / {cal.get('zh', 0):+.3f} | {dev.get('en', 0):+.3f} / {dev.get('zh', 0):+.3f} |")
    lines += ["", "Macro-F1 gain is the mean of the three rows per language. The held-out set's "
              "figures are in classifiers/README.md; it is never read here.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifiers.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--dry-run", action="store_true", help="print the choice, write nothing")
    args = parser.parse_args(argv)
    sets = {"calibration": load_cases(CALIBRATION_SET), "dev": load_cases(DEV_SET)}
    chosen = choose(sets)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = report(chosen, {name: len(cases) for name, cases in sets.items()}, now)
    print(text)
    if args.dry_run:
        return 0
    meta = load_head_meta(args.weights_dir)
    meta["document"] = {
        "thresholds": {label: c.threshold for label, c in chosen.items()},
        "support": {label: c.support for label, c in chosen.items()},
        "selection": "per class, by classifiers.calibrate: the largest rules + classifier F1 gain on the "
                     "calibration set that flags no compliant case the rules leave clean and lowers no "
                     "language's F1 on the calibration or dev set",
        "date": now,
    }
    (args.weights_dir / HEAD_META).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    REPORT.write_text(text, encoding="utf-8")
    print(f"wrote {args.weights_dir / HEAD_META} and {REPORT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
