"""Experiment (not used at runtime): does a small bottleneck adapter in the top two encoder
layers beat the frozen-encoder head on dev?  ``python -m classifiers.adapter_experiment``

Layers 0-9 run frozen (int8, as at runtime) once; their outputs are cached in memory. Layers
10-11 run in float32, frozen, each followed by a trainable residual adapter (384->64->384,
zero-initialised so training starts from the frozen model), then mean pooling, L2 norm and
the same MLP head as ``train.py``. Only train/dev are used; test is never touched here.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .base_model import default_cache_root, load_base_model
from .encoder import MAX_LENGTH, PREFIX, quantize_int8
from .head import MultiLabelHead
from .train import (REPO_ROOT, HeadConfig, evaluate, label_matrix, load_corpus, pick_thresholds,
                    set_seeds, train_head)

TOP = 2
RESULT_FILE = Path(__file__).resolve().parent / "adapter_experiment.json"


class Adapter(torch.nn.Module):
    def __init__(self, dim: int = 384, bottleneck: int = 64) -> None:
        super().__init__()
        self.down, self.up = torch.nn.Linear(dim, bottleneck), torch.nn.Linear(bottleneck, dim)
        torch.nn.init.zeros_(self.up.weight)
        torch.nn.init.zeros_(self.up.bias)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.up(torch.nn.functional.gelu(self.down(h)))


class TopModel(torch.nn.Module):
    def __init__(self, layers: list[torch.nn.Module], cfg: HeadConfig) -> None:
        super().__init__()
        self.layers = torch.nn.ModuleList(layers)
        for p in self.layers.parameters():
            p.requires_grad_(False)
        self.adapters = torch.nn.ModuleList(Adapter() for _ in layers)
        self.head = MultiLabelHead(hidden=cfg.hidden, dropout=cfg.dropout)

    def embed(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        add = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer, adapter in zip(self.layers, self.adapters):
            h = adapter(layer(h, attention_mask=add))
        m = mask.unsqueeze(-1).float()
        return torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=1)

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(h, mask))


def pad(states: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(s.shape[0] for s in states)
    h = torch.zeros(len(states), width, states[0].shape[1])
    mask = torch.zeros(len(states), width, dtype=torch.long)
    for i, s in enumerate(states):
        h[i, :len(s)], mask[i, :len(s)] = s, 1
    return h, mask


@torch.inference_mode()
def lower_states(texts: list[str], cache_dir: Path | None, layers_below: int) -> list[torch.Tensor]:
    model, tok = load_base_model(cache_dir)
    q = quantize_int8(copy.deepcopy(model))
    ids = tok([PREFIX + t for t in texts], truncation=True, max_length=MAX_LENGTH)["input_ids"]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out: list[torch.Tensor] = [torch.empty(0)] * len(ids)
    for s in range(0, len(order), 64):
        idx = order[s:s + 64]
        width = max(len(ids[i]) for i in idx)
        x = torch.full((len(idx), width), tok.pad_token_id)
        m = torch.zeros((len(idx), width), dtype=torch.long)
        for r, i in enumerate(idx):
            x[r, :len(ids[i])], m[r, :len(ids[i])] = torch.tensor(ids[i]), 1
        hs = q(input_ids=x, attention_mask=m, output_hidden_states=True).hidden_states[layers_below]
        for r, i in enumerate(idx):
            out[i] = hs[r, :len(ids[i])].clone()
    return out, model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m classifiers.adapter_experiment")
    ap.add_argument("--corpus-dir", type=Path, default=REPO_ROOT / "corpora" / "train")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    examples, _ = load_corpus(args.corpus_dir)
    examples = [e for e in examples if e.split in ("train", "dev")]
    y = label_matrix(examples)
    split = np.array([e.split for e in examples])
    tr, dv = np.flatnonzero(split == "train"), np.flatnonzero(split == "dev")
    states, model = lower_states([e.text for e in examples], args.cache_dir or default_cache_root(),
                                 model_layers_below := 12 - TOP)
    print(f"cached layer-{model_layers_below} states for {len(examples)} sentences in "
          f"{time.perf_counter() - t0:.0f}s", file=sys.stderr)
    cfg = HeadConfig(hidden=256, dropout=0.1, weight_decay=1e-4)
    set_seeds(args.seed)
    top = TopModel([copy.deepcopy(model.encoder.layer[i]) for i in range(12 - TOP, 12)], cfg)
    del model
    yt = torch.from_numpy(y)
    pos = yt[tr].sum(0).clamp(min=1.0)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=((len(tr) - pos) / pos).clamp(max=4.0))
    opt = torch.optim.AdamW([p for p in top.parameters() if p.requires_grad], lr=1e-3, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(args.seed)

    @torch.inference_mode()
    def dev_f1() -> float:
        top.eval()
        probs = []
        for s in range(0, len(dv), 128):
            h, m = pad([states[i] for i in dv[s:s + 128]])
            probs.append(torch.sigmoid(top(h, m)))
        p = torch.cat(probs).numpy()
        top.train()
        return evaluate(y[dv], p, pick_thresholds(y[dv], p))["macro_f1"]

    # Baseline on the same snapshot: frozen pooled features (int8 layer 11 output) + same head.
    with torch.inference_mode():
        top.eval()
        feats = torch.cat([top.embed(*pad([states[i] for i in range(s, min(s + 128, len(states)))]))
                           for s in range(0, len(states), 128)]).numpy()
    base_head = train_head(feats[tr], y[tr], HeadConfig(hidden=256, dropout=0.1, epochs=40), args.seed)
    with torch.inference_mode():
        pb = torch.sigmoid(base_head(torch.from_numpy(feats[dv]))).numpy()
    base_f1 = evaluate(y[dv], pb, pick_thresholds(y[dv], pb))["macro_f1"]
    print(f"baseline (frozen, same snapshot) dev macro-F1 {base_f1:.4f}", file=sys.stderr)

    record = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "command": "python -m classifiers.adapter_experiment" + f" --epochs {args.epochs}",
              "train_dev_sentences": len(examples), "adapter": "residual 384-64-384 after layers 10-11",
              "baseline_dev_macro_f1": round(base_f1, 4), "epochs_planned": args.epochs,
              "dev_macro_f1_per_epoch": []}
    top.train()
    best = 0.0
    for epoch in range(args.epochs):
        t1 = time.perf_counter()
        perm = tr[torch.randperm(len(tr), generator=gen).numpy()]
        for s in range(0, len(perm), 32):
            b = perm[s:s + 32]
            h, m = pad([states[i] for i in b])
            opt.zero_grad()
            loss_fn(top(h, m), yt[b]).backward()
            opt.step()
        f1 = dev_f1()
        best = max(best, f1)
        print(f"epoch {epoch + 1}: dev macro-F1 {f1:.4f} ({time.perf_counter() - t1:.0f}s)", file=sys.stderr)
        record["dev_macro_f1_per_epoch"].append(round(f1, 4))
        RESULT_FILE.write_text(json.dumps(record, indent=2) + "\n")  # kept even if stopped early
    print(f"RESULT baseline {base_f1:.4f} adapter-best {best:.4f} total {time.perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
