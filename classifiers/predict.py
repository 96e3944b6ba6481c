"""Public entry point: ``SentenceClassifier.load().predict(texts)``.

``load`` only reads the small head files; the encoder (converted e5-small, cached on disk) is
built on the first ``predict`` call and then kept by this object.

Prediction is a two-stage cascade when head.json has a ``gate``: every sentence is scored
first from its token embeddings alone (no transformer layer, about a hundredth of the cost),
and only sentences the gate passes for some label run through the encoder's layers. The gate's
thresholds are chosen in training so that it passes nearly every sentence the full model would
flag (head.json ``gate.selection``); a sentence it stops keeps the gate's own probabilities,
which lie below every threshold the linter uses.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import torch

from .encoder import SentenceEncoder
from .head import WEIGHTS_DIR, HeadBundle, load_head


class SentenceClassifier:
    def __init__(self, bundle: HeadBundle, *, cache_dir: Path | None = None,
                 threads: int | None = None, quantize: bool | None = None, cascade: bool = True) -> None:
        self._bundle = bundle
        self._cascade = cascade and bundle.gate is not None
        if self._cascade:
            gate = bundle.meta["gate"]["thresholds"]
            self._gate_thresholds = np.array([gate[lab] for lab in bundle.labels], dtype=np.float32)
        self._cache_dir = cache_dir
        self._threads = threads
        enc_meta = bundle.meta.get("encoder", {})
        # Use the encoder variant the head was trained on unless told otherwise.
        self._quantize = enc_meta.get("int8", True) if quantize is None else quantize
        self._max_length = int(enc_meta.get("max_length", 128))
        # The depth the head was trained on (heads from before depth selection used all layers).
        self._layers = enc_meta.get("layers")
        self._encoder: SentenceEncoder | None = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, cache_dir: Path | None = None, threads: int | None = None, *,
             weights_dir: Path = WEIGHTS_DIR, quantize: bool | None = None,
             cascade: bool = True) -> SentenceClassifier:
        return cls(load_head(weights_dir), cache_dir=cache_dir, threads=threads, quantize=quantize,
                   cascade=cascade)

    @property
    def labels(self) -> list[str]:
        return list(self._bundle.labels)

    @property
    def thresholds(self) -> dict[str, float]:
        return dict(self._bundle.thresholds)

    @property
    def document_thresholds(self) -> dict[str, float]:
        """Per label, the stricter threshold a sentence must reach to count towards flagging a
        whole document (see ``classifiers.rule``)."""
        return dict(self._bundle.meta["document"]["thresholds"])

    @property
    def document_support(self) -> dict[str, int]:
        """Per label, how many sentences of a document must reach the document threshold."""
        return {lab: int(n) for lab, n in self._bundle.meta["document"]["support"].items()}

    @property
    def encoder(self) -> SentenceEncoder:
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = SentenceEncoder.load(self._cache_dir, quantize=self._quantize,
                                                         threads=self._threads,
                                                         max_length=self._max_length,
                                                         layers=self._layers)
        return self._encoder

    @torch.inference_mode()
    def predict(self, texts: list[str], batch_size: int = 64) -> list[dict[str, float]]:
        """Per text, the probability of each label (independent sigmoids)."""
        if not texts:
            return []
        encoder = self.encoder
        ids = encoder.tokenize(texts)
        deep = list(range(len(texts)))
        probs = np.zeros((len(texts), len(self._bundle.labels)), dtype=np.float32)
        if self._cascade:
            shallow = torch.from_numpy(encoder.pool_ids(ids, [0], batch_size=batch_size)[0])
            probs[:] = torch.sigmoid(self._bundle.gate(shallow)).numpy()
            deep = np.flatnonzero((probs >= self._gate_thresholds).any(axis=1)).tolist()
        if deep:
            emb = encoder.pool_ids([ids[i] for i in deep], [encoder.layers], batch_size=batch_size)[encoder.layers]
            probs[deep] = torch.sigmoid(self._bundle.head(torch.from_numpy(emb))).numpy()
        labels = self._bundle.labels
        return [{lab: float(p[j]) for j, lab in enumerate(labels)} for p in probs]

    def flags(self, texts: list[str], batch_size: int = 64) -> list[list[str]]:
        """Labels whose probability reaches the per-class threshold chosen on the dev split."""
        th = self._bundle.thresholds
        return [[lab for lab, p in row.items() if p >= th[lab]]
                for row in self.predict(texts, batch_size=batch_size)]
