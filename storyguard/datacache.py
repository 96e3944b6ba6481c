"""Work done once per content and kept in the user cache: parsed YAML data as a JSON copy,
and text derived from data (a word list's regex).

Importing the YAML parser and parsing the data, or building the regexes of the word lists,
cost tens of milliseconds at every start-up; each copy is named by the digest of what it was
made from (and the storyguard version), so edited data is processed afresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .atomic import write_atomic


def parsed_yaml(raw: bytes) -> Any:
    from .cache import default_cache_root

    copy = default_cache_root() / "data" / f"{hashlib.sha256(__version__.encode() + raw).hexdigest()}.json"
    try:
        return json.loads(copy.read_bytes())
    except (OSError, ValueError):
        pass  # not cached yet, or a damaged copy: parse the YAML
    import yaml

    data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    save_json_copy(copy, data)
    return data


def save_json_copy(copy: Path, data: Any) -> None:
    """Keep parsed data as JSON for the next run; with no writable cache, parse again then."""
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(copy, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


def derived_text(kind: str, source: str, derive: Callable[[], str]) -> str:
    """`derive()`, read back from the cache when this `source` was seen before."""
    from .cache import default_cache_root

    digest = hashlib.sha256(f"{__version__}\0{kind}\0{source}".encode("utf-8", "surrogatepass")).hexdigest()
    copy = default_cache_root() / kind / f"{digest}.txt"
    try:
        return copy.read_bytes().decode("utf-8", "surrogatepass")
    except (OSError, ValueError):
        pass
    text = derive()
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(copy, text.encode("utf-8", "surrogatepass"))
    except OSError:
        pass
    return text
