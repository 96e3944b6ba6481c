"""Image files that give away where a child is (SG210): GPS and location tags in local photos."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyguard.images import ImageError, location_metadata, resolve_local_image, stripped_name
from storyguard.rules import Edit, FileChange, Fix, Match, Rule, RuleContext


class ImageLocationMetadata(Rule):
    """Flags a local image whose metadata records where the photo was taken.

    What it flags:
        An image the document references (Markdown, HTML, social JSON media) that exists on
        disk beside it and carries a GPS position or an XMP location in its EXIF/XMP metadata.
        Remote URLs are never fetched; files outside the project are never read.

    Why it matters:
        Phones write the exact position of every photo into the file. A child's photo taken
        at home publishes the child's address to anyone who downloads it, whatever the copy
        around it says. Collect and publish only what the purpose needs (RD4C); the Measures
        and the Minors Protection Law forbid disclosing a child's whereabouts.

    How to fix:
        `storyguard fix` writes a copy without the metadata (`photo.stripped.jpg`) and points
        the document at it, or strips the original with `--in-place`.

    Examples:
        Bad (en): ![Lily at the well](img/geotagged.jpg)
        Good (en): ![Lily at the well](img/no-location.jpg)
        Bad (zh): ![小雨在家门口](img/geotagged.jpg)
        Good (zh): ![小雨在家门口](img/no-location.jpg)
    """

    code = "SG210"
    name = "image-location-metadata"
    category = "identifying"
    severity = "error"
    references = ("RD4C-PROPORTIONAL", "RD4C-PREVENTION", "UNICEF-ERC-P6", "CN-KJ-3", "CN-MPL-103")
    fixable = "safe"
    scopes = ("image-src",)

    def check(self, context: RuleContext) -> Iterator[Match]:
        if not context.options.get("local_files"):
            return  # the hook server lints posted text: it must never read its own disk
        root = Path(context.options.get("root") or Path.cwd())
        for segment in context.segments_for(self):
            image = resolve_local_image(segment.text, context.document.path, root)
            if image is None:
                continue
            context.dependencies.append(str(image))
            try:
                found = location_metadata(image)
            except ImageError as exc:
                yield Match(segment=segment, start=0, end=len(segment.text), message=str(exc),
                            severity="info", confidence=0.5)
                continue
            if found is None:
                continue
            yield Match(
                segment=segment, start=0, end=len(segment.text),
                message=f"the image file records where it was taken ({', '.join(found.what)})",
                suggestion="Remove the location metadata before publishing (storyguard fix does it).",
                confidence=0.99, fix=_strip_fix(segment.text, image),
            )


def _strip_fix(reference: str, image: Path) -> Fix:
    """Point the reference at a stripped copy: insert the mark before the file's suffix."""
    path_part = reference.split("?", 1)[0].split("#", 1)[0]
    dot = path_part.rfind(".")
    copy = stripped_name(image)
    return Fix(
        (Edit(dot, dot, ".stripped"),), "safe",
        f"write {copy.name} without location metadata and use it",
        files=(FileChange("strip-metadata", str(image), str(copy)),),
    )


RULES = [ImageLocationMetadata]
