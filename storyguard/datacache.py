"""Work done once per content and kept in the user cache: parsed YAML data as a JSON copy,
checked lexicon files, and text derived from data (a word list's regex).

Importing the YAML parser and parsing the data, or building the regexes of the word lists,
cost tens of milliseconds at every start-up; each copy is named by the digest of what it was
made from (and the storyguard version), so edited data is processed afresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from . import __version__
from .atomic import write_atomic

T = TypeVar("T")


def cached(kind: str, source: bytes, make: Callable[[], T], *, encode: Callable[[T], bytes],
           decode: Callable[[bytes], T], suffix: str = "") -> T:
    """`make()`, kept under `<cache>/<kind>/` by the digest of `source` and read back on later
    runs. A damaged copy is made again, not trusted; with no writable cache, so is every copy."""
    from .cache import default_cache_root

    digest = hashlib.sha256(__version__.encode() + b"\0" + source).hexdigest()
    copy = default_cache_root() / kind / f"{digest}{suffix}"
    try:
        return decode(copy.read_bytes())
    except (OSError, ValueError):
        pass  # not cached yet, or a damaged copy
    value = make()
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(copy, encode(value))
    except OSError:
        pass
    return value


def cached_json(kind: str, source: bytes, make: Callable[[], Any]) -> Any:
    return cached(kind, source, make, encode=lambda data: json.dumps(data, ensure_ascii=False).encode("utf-8"),
                  decode=json.loads, suffix=".json")


def load_yaml(raw: bytes) -> Any:
    """YAML with libyaml's loader when PyYAML has it (the pure-Python one took a second)."""
    import yaml  # deferred: cached data is normally read back as JSON

    return yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def parsed_yaml(raw: bytes) -> Any:
    return cached_json("data", raw, lambda: load_yaml(raw))
