"""Shipped YAML data read back from a JSON copy in the user cache.

Importing the YAML parser and parsing the data cost tens of milliseconds at every start-up;
the copy is named by the content's digest, so an edited file is parsed afresh.
"""

from __future__ import annotations

import hashlib
import json
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
