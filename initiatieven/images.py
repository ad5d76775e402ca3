"""Uploaded photos: check that a file really is an image, then re-encode it.

Re-encoding drops everything but the pixels: EXIF (with GPS location), comments and any
payload hidden after the image data. Large photos are scaled down to a sane size.
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Refuse images that would take a lot of memory to decode (a "decompression bomb").
MAX_PIXELS = 40_000_000


def photo_process(upload: Any) -> ContentFile[bytes]:
    """Validate an uploaded file as a photo and return it re-encoded as JPEG."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Deze foto is te groot. Kies een foto van hoogstens 5 MB."),
            code="too_large",
        )
    not_an_image = ValidationError(
        _(
            "Dit bestand is geen foto die wij kunnen lezen. "
            "Kies een foto in JPG-, PNG- of WebP-formaat."
        ),
        code="invalid_image",
    )
    too_many_pixels = ValidationError(
        _("Deze foto heeft te veel beeldpunten. Kies een kleinere foto."),
        code="too_many_pixels",
    )
    try:
        upload.seek(0)
        # Pillow warns (DecompressionBombWarning) or refuses (DecompressionBombError)
        # a header that promises far more pixels than we take: either way, say so.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise too_many_pixels
                probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            image: Image.Image = ImageOps.exif_transpose(opened)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, (255, 255, 255))
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            # No exif= argument: the new file carries no metadata at all.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_many_pixels from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise not_an_image from exc
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
