"""Uploaded pictures: opened, checked and written again with Pillow.

Writing the picture again keeps only its pixels: metadata such as where a phone took it
(EXIF GPS) never reaches readers, and a file that only claims to be a picture is refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not a picture
MAX_SIDE = 2560  # pictures wider or taller than this are scaled down for the web
SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


@dataclass
class CleanImage:
    data: bytes
    format: str
    width: int
    height: int

    @property
    def suffix(self) -> str:
        return SUFFIX[self.format]

    def as_file(self) -> ContentFile[bytes]:
        return ContentFile(self.data)


def clean_image(file: Any, name: str) -> CleanImage:
    not_a_picture = ValidationError(
        {"file": _("%(name)s is not a JPEG, PNG, GIF or WebP picture.") % {"name": name}}
    )
    try:
        file.seek(0)
        with Image.open(file) as probe:
            fmt = probe.format or ""
            if fmt not in SUFFIX:
                raise not_a_picture
            if probe.width * probe.height > MAX_PIXELS:
                message = _("%(name)s has too many pixels (%(width)d×%(height)d).")
                raise ValidationError(
                    {"file": message % {"name": name, "width": probe.width, "height": probe.height}}
                )
            probe.verify()
        file.seek(0)
        with Image.open(file) as opened:
            if fmt == "GIF" and getattr(opened, "is_animated", False):
                # Every frame written again: what the file carried besides them (comments,
                # XMP in application blocks) is left behind.
                if getattr(opened, "n_frames", 1) * opened.width * opened.height > MAX_PIXELS:
                    message = _("%(name)s has too many frames for its size.")
                    raise ValidationError({"file": message % {"name": name}})
                frames, durations = [], []
                for frame in ImageSequence.Iterator(opened):
                    durations.append(int(frame.info.get("duration", 100)))
                    copy = frame.convert("RGBA")
                    copy.info = {}
                    frames.append(copy)
                out = io.BytesIO()
                frames[0].save(
                    out,
                    format="GIF",
                    save_all=True,
                    append_images=frames[1:],
                    duration=durations,
                    loop=int(opened.info.get("loop", 0)),
                    disposal=2,
                )
                return CleanImage(out.getvalue(), fmt, opened.width, opened.height)
            picture: Image.Image = ImageOps.exif_transpose(opened)
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            if fmt == "JPEG" and picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            out = io.BytesIO()
            options: dict[str, Any] = {"optimize": True}
            if fmt in ("JPEG", "WEBP"):
                options["quality"] = 85
            picture.save(out, format=fmt, **options)
            return CleanImage(out.getvalue(), fmt, picture.width, picture.height)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise not_a_picture from None
