"""Social-post JSON: one post object, a list of them, or JSON Lines of them.

A post is `{"platform", "text", "media": [{"alt", "url"}], "hashtags"}`; `text` is required.
Segments carry a JSON pointer (`/2/media/0/alt`) as well as exact source offsets.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from .jsonpos import SourcedString, loads_with_positions
from .model import Document, SegmentBuilder

def parse_social(path: str, text: str, *, lines: bool | None = None) -> Document:
    document = Document(path=path, format="social-json", text=text)
    posts: list[tuple[str, Any]] = []
    if lines is None:
        lines = path.lower().endswith(".jsonl")
    if lines:
        position = 0
        # Only "\n" ends a JSON Lines record: U+2028 and friends are legal inside strings.
        for number, line in enumerate(re.findall(r"[^\n]*\n|[^\n]+$", text)):
            if line.strip():
                try:
                    posts.append((f"/{len(posts)}", loads_with_positions(text, position, position + len(line))))
                except InputError as exc:
                    raise InputError(f"line {number + 1}: {exc.problem}", kind="parse") from exc
            position += len(line)
    else:
        value = loads_with_positions(text)
        if isinstance(value, list):
            posts = [(f"/{index}", post) for index, post in enumerate(value)]
        else:
            posts = [("", value)]
    if not posts:
        raise InputError("no social posts found (expected an object, a list or JSON Lines)", kind="parse")
    for pointer, post in posts:
        _add_post(document, pointer, post)
    return document


def _add_post(document: Document, pointer: str, post: Any) -> None:
    if not isinstance(post, dict):
        raise InputError(f"{pointer or '/'}: a social post must be a JSON object", kind="parse")
    if not isinstance(post.get("text"), str):
        raise InputError(f"{pointer or '/'}: a social post needs a string \"text\"", kind="parse")
    _add_string(document, post["text"], "post-text", f"{pointer}/text")
    media = post.get("media") or []
    if not isinstance(media, list):
        raise InputError(f"{pointer}/media: must be a list", kind="parse")
    for index, item in enumerate(media):
        if not isinstance(item, dict):
            raise InputError(f"{pointer}/media/{index}: must be an object", kind="parse")
        _add_string(document, item.get("alt"), "image-alt", f"{pointer}/media/{index}/alt")
        url = item.get("url")
        if _add_string(document, url, "image-src", f"{pointer}/media/{index}/url"):
            document.images.append(((url.raw_start, url.raw_end), str(url)))
    hashtags = post.get("hashtags") or []
    if not isinstance(hashtags, list):
        raise InputError(f"{pointer}/hashtags: must be a list", kind="parse")
    for index, tag in enumerate(hashtags):
        _add_string(document, tag, "hashtag", f"{pointer}/hashtags/{index}")


def _add_string(document: Document, value: Any, scope: str, pointer: str) -> bool:
    if not isinstance(value, SourcedString) or not value.strip():
        return False
    builder = SegmentBuilder(scope, pointer)
    value.add_to(builder)
    segment = builder.build()
    if segment is None:
        return False
    document.segments.append(segment)
    return True
