"""Public entry point: ``SentenceClassifier.load().predict(texts)``.

``load`` only reads the small head files; the encoder (converted e5-small, cached on disk) is
built on the first ``predict`` call and then kept by this object.
"""
from __future__ import annotations

import threading
from pathlib import Path

import torch

from .encoder import SentenceEncoder
from .head import WEIGHTS_DIR, HeadBundle, load_head


class SentenceClassifier:
    def __init__(self, bundle: HeadBundle, *, cache_dir: Path | None = None,
                 threads: int | None = None, quantize: bool | None = None) -> None:
        self._bundle = bundle
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
             weights_dir: Path = WEIGHTS_DIR, quantize: bool | None = None) -> SentenceClassifier:
        return cls(load_head(weights_dir), cache_dir=cache_dir, threads=threads, quantize=quantize)

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
    def document_support(self) -> int:
        """How many sentences of a document must reach the document threshold."""
        return int(self._bundle.meta["document"]["support"])

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
        emb = torch.from_numpy(self.encoder.encode(texts, batch_size=batch_size))
        probs = torch.sigmoid(self._bundle.head(emb)).numpy()
        labels = self._bundle.labels
        return [{lab: float(p[j]) for j, lab in enumerate(labels)} for p in probs]

    def flags(self, texts: list[str], batch_size: int = 64) -> list[list[str]]:
        """Labels whose probability reaches the per-class threshold chosen on the dev split."""
        th = self._bundle.thresholds
        return [[lab for lab, p in row.items() if p >= th[lab]]
                for row in self.predict(texts, batch_size=batch_size)]
