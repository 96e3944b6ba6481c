"""The small multi-label head over e5 sentence embeddings, and its on-disk format.

``weights/head.safetensors`` holds the tensors, ``weights/head.json`` everything else
(labels, per-class thresholds, architecture, training config, seed, data fingerprint, date).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from . import LABELS
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
HEAD_TENSORS = "head.safetensors"
HEAD_META = "head.json"


class MultiLabelHead(torch.nn.Module):
    """Linear (hidden=0) or one-hidden-layer MLP; returns logits, one per label."""

    def __init__(self, dim: int = 384, n_labels: int = len(LABELS), hidden: int = 256,
                 dropout: float = 0.1) -> None:
        super().__init__()
        if hidden > 0:
            self.net = torch.nn.Sequential(
                torch.nn.Dropout(dropout), torch.nn.Linear(dim, hidden), torch.nn.GELU(),
                torch.nn.Dropout(dropout), torch.nn.Linear(hidden, n_labels))
        else:
            self.net = torch.nn.Sequential(torch.nn.Dropout(dropout), torch.nn.Linear(dim, n_labels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


@dataclass
class HeadBundle:
    head: MultiLabelHead
    labels: list[str]
    thresholds: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)


def save_head(head: MultiLabelHead, labels: list[str], thresholds: dict[str, float],
              meta: dict[str, Any], out_dir: Path = WEIGHTS_DIR) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().to(torch.float32).contiguous() for k, v in head.state_dict().items()}
    save_file(tensors, str(out_dir / HEAD_TENSORS), metadata={"format": "storyguard-head-1"})
    os.chmod(out_dir / HEAD_TENSORS, 0o644)  # safetensors writes 0600; this file is committed
    doc = {"format": "storyguard-head-1", "labels": labels,
           "thresholds": {k: round(float(v), 4) for k, v in thresholds.items()}, **meta}
    (out_dir / HEAD_META).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")


def load_head_meta(weights_dir: Path = WEIGHTS_DIR) -> dict[str, Any]:
    path = weights_dir / HEAD_META
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"classifier head metadata not found: {path} "
                                "(train it with `python -m classifiers.train`)") from None


def load_head(weights_dir: Path = WEIGHTS_DIR) -> HeadBundle:
    meta = load_head_meta(weights_dir)
    arch = meta["architecture"]
    head = MultiLabelHead(dim=arch["dim"], n_labels=len(meta["labels"]), hidden=arch["hidden"],
                          dropout=arch.get("dropout", 0.0))
    head.load_state_dict(load_file(str(weights_dir / HEAD_TENSORS)))
    head.eval()
    return HeadBundle(head, list(meta["labels"]), dict(meta["thresholds"]), meta)
