"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK for legacy Chinese."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ..errors import InputError

# Control characters other than tab, newline, carriage return and form feed mark binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bytes


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    return False


def decode_bytes(data: bytes) -> Decoded:
    """Decode input bytes or raise InputError saying why they are not text."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {encoding} after its byte-order mark at byte {exc.start + len(bom)}", kind="encoding") from exc
            return Decoded(_check_text(text), encoding, bom)
    if looks_binary(data):
        raise InputError("binary file (contains NUL bytes); storyguard reads text, Markdown, HTML, JSON and .docx", kind="binary")
    try:
        return Decoded(_check_text(data.decode("utf-8")), "utf-8", b"")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(
                f"not valid UTF-8 (byte {utf8_error.start}) nor GB18030; re-save the file as UTF-8", kind="encoding"
            ) from utf8_error
        # GB18030 maps almost any byte sequence, so accept it only when the result reads as text.
        if _han_or_ascii_share(text) < 0.9:
            raise InputError(
                f"not valid UTF-8 (byte {utf8_error.start}) and does not look like GB18030 text; re-save the file as UTF-8",
                kind="encoding",
            ) from utf8_error
        return Decoded(_check_text(text), "gb18030", b"")


def _han_or_ascii_share(text: str) -> float:
    if not text:
        return 1.0
    good = sum(
        1 for ch in text
        if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f" or ch == "\u00b7"
    )
    return good / len(text)


def _check_text(text: str) -> str:
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > 0.05:
        raise InputError("binary content (many control characters)", kind="binary")
    return text


def encode_text(text: str, encoding: str, bom: bytes) -> bytes:
    """Inverse of decode_bytes, for writers that must keep the original encoding and BOM."""
    return bom + text.encode(encoding)
