"""Atomic file replacement: a temporary file in the same directory, then one rename.

A reader sees the old file or the new one, never half of either; if anything fails before
the rename, the original is untouched and the temporary file is removed.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, content: bytes | Callable[[BinaryIO], None], *, mode_from: Path | None = None) -> None:
    """Write `content` (bytes, or a function writing to a binary handle) to `path` atomically.

    Permissions come from `mode_from` (default: `path` itself, when it exists), so a fix
    never turns a 0644 page into a 0600 one.
    """
    path = Path(path)
    template = mode_from if mode_from is not None else path
    try:
        mode = stat.S_IMODE(os.stat(template).st_mode)
    except FileNotFoundError:
        mode = 0o644
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".storyguard-tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if callable(content):
                content(handle)
            else:
                handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise

