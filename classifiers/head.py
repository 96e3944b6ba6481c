"""The small multi-label head over e5 sentence embeddings, and its on-disk format.

``weights/head.safetensors`` holds the tensors, ``weights/head.json`` everything else
(labels, per-class thresholds, architecture, training config, seed, data fingerprint, date).
``weights/gate.safetensors`` is the cascade's first stage, a head of the same kind over the
token embeddings alone (depth 0); its settings are head.json's ``gate``.
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
GATE_TENSORS = "gate.safetensors"


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
    gate: MultiLabelHead | None = None  # the cascade's first stage, if trained


def _save_tensors(module: torch.nn.Module, path: Path) -> None:
    tensors = {k: v.detach().to(torch.float32).contiguous() for k, v in module.state_dict().items()}
    save_file(tensors, str(path), metadata={"format": "storyguard-head-1"})
    os.chmod(path, 0o644)  # safetensors writes 0600; this file is committed


def _build(arch: dict[str, Any], n_labels: int, path: Path) -> MultiLabelHead:
    head = MultiLabelHead(dim=arch["dim"], n_labels=n_labels, hidden=arch["hidden"],
                          dropout=arch.get("dropout", 0.0))
    head.load_state_dict(load_file(str(path)))
    head.eval()
    return head


def save_head(head: MultiLabelHead, labels: list[str], thresholds: dict[str, float],
              meta: dict[str, Any], out_dir: Path = WEIGHTS_DIR, gate: MultiLabelHead | None = None) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    _save_tensors(head, out_dir / HEAD_TENSORS)
    if gate is not None:
        _save_tensors(gate, out_dir / GATE_TENSORS)
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
    labels = list(meta["labels"])
    head = _build(meta["architecture"], len(labels), weights_dir / HEAD_TENSORS)
    gate = _build(meta["gate"]["architecture"], len(labels), weights_dir / GATE_TENSORS) if "gate" in meta else None
    return HeadBundle(head, labels, dict(meta["thresholds"]), meta, gate)
