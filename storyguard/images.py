"""Location metadata in local image files: finding it and writing a copy without it (Pillow).

A phone photo of a child usually carries the GPS position where it was taken, often the
child's home. Only files on disk next to the document are read: never a URL, never a path
outside the project, never anything when the linter serves requests over HTTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .atomic import write_atomic

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
MAX_IMAGE_BYTES = 50 * 1024 * 1024
STRIPPED_MARK = ".stripped"

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_GPS_POSITION_TAGS = (1, 2, 3, 4)  # latitude ref, latitude, longitude ref, longitude
# Free-text and ownership tags that can name a person or a place.
_IDENTIFYING_TAGS = (0x010E, 0x013B, 0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F)  # description, artist, XP*
_IDENTIFYING_EXIF_TAGS = (0x9286, 0xA430, 0xA431)  # user comment, camera owner, body serial
_XMP_LOCATION = re.compile(rb"GPSLatitude|GPSLongitude|photoshop:City|Iptc4xmpCore:Location|LocationShown|LocationCreated")


@dataclass(frozen=True)
class LocationMetadata:
    path: Path
    what: tuple[str, ...]  # human-readable: "GPS position", "XMP location"


class ImageError(Exception):
    """An image that cannot be read or rewritten; the message names the problem."""


def resolve_local_image(reference: str, document_path: str, root: Path) -> Path | None:
    """The file an image reference points at, if it is a local image inside the project."""
    parts = urlsplit(reference.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None  # remote, data: or protocol-relative
    relative = unquote(parts.path)
    base = root if relative.startswith("/") else Path(document_path).parent
    candidate = (base / relative.lstrip("/")).resolve()
    if candidate.suffix.lower() not in IMAGE_SUFFIXES or not candidate.is_file():
        return None
    allowed = (root.resolve(), Path(document_path).resolve().parent)
    if not any(candidate.is_relative_to(folder) for folder in allowed):
        return None  # "../../elsewhere.jpg" must not make storyguard read (or later write) outside
    return candidate


def location_metadata(path: Path) -> LocationMetadata | None:
    """What in the file's metadata can locate where the photo was taken, or None."""
    image_module = _pillow()
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise ImageError(f"{path.name}: image over {MAX_IMAGE_BYTES // (1024 * 1024)} MB, not inspected")
    try:
        with image_module.open(path) as image:
            exif = image.getexif()
            gps = exif.get_ifd(_GPS_IFD)
            xmp = _xmp_bytes(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"{path.name}: cannot read image metadata ({exc})") from exc
    found = []
    if any(tag in gps for tag in _GPS_POSITION_TAGS):
        found.append("GPS position")
    if xmp and _XMP_LOCATION.search(xmp):
        found.append("XMP location")
    return LocationMetadata(path, tuple(found)) if found else None


def stripped_name(path: Path) -> Path:
    return path.with_name(f"{path.stem}{STRIPPED_MARK}{path.suffix}")


def write_stripped(source: Path, output: Path) -> None:
    """Write `source` to `output` (atomically; `output` may be `source`) without locating metadata.

    GPS, XMP, IPTC and free-text owner tags go; orientation, colour profile and, for JPEG,
    the original quantisation tables stay, so the picture looks the same.
    """
    image_module = _pillow()
    try:
        with image_module.open(source) as image:
            image.load()
            exif = image.getexif()
            exif.get_ifd(_EXIF_IFD)  # loaded so the cleaned sub-IFD is written back
            for tag in (_GPS_IFD, *_IDENTIFYING_TAGS):
                exif.pop(tag, None)
            exif_ifd = exif.get_ifd(_EXIF_IFD)
            for tag in _IDENTIFYING_EXIF_TAGS:
                exif_ifd.pop(tag, None)
            fmt = "JPEG" if image.format in ("JPEG", "MPO") else image.format
            if fmt not in ("JPEG", "PNG", "WEBP"):
                raise ImageError(f"{source.name}: cannot rewrite {image.format} images")
            options: dict[str, object] = {"exif": exif.tobytes()}
            if image.info.get("icc_profile"):
                options["icc_profile"] = image.info["icc_profile"]
            if fmt == "JPEG":
                options.update(quality="keep", subsampling="keep", qtables="keep")
            elif fmt == "WEBP":
                options.update(lossless=bool(image.info.get("lossless")), quality=100)

            def save(handle) -> None:
                image.save(handle, format=fmt, **options)

            write_atomic(output, save, mode_from=source)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"{source.name}: cannot write a copy without metadata ({exc})") from exc


def _xmp_bytes(image) -> bytes:
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    return xmp.encode("utf-8", "replace") if isinstance(xmp, str) else bytes(xmp)


def _pillow():
    try:
        from PIL import Image
    except ImportError as exc:  # pragma: no cover - Pillow is a core dependency
        raise ImageError("Pillow is not installed; image metadata cannot be checked") from exc
    return Image
