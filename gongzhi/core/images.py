"""Uploaded photos: checked by content and re-encoded, so that what is stored carries
no EXIF data (a phone photo's GPS position would reveal where a resident lives)."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .validators import validate_upload_size

PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PHOTO_PIXELS = 40_000_000


def clean_photo(upload, *, name: str = "photo") -> ContentFile:
    """Check an uploaded photo by its content (not its name) and re-encode it, which
    drops EXIF data such as where it was taken. Raises ValidationError."""
    validate_upload_size(upload)
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise ValidationError(_("The photo is too large."), code="too_many_pixels")
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=85)
            elif kind in PHOTO_FORMATS:
                image.save(out, kind)
            else:
                raise ValidationError(
                    _("Upload a photo (JPEG, PNG or WebP)."), code="invalid_image"
                )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Upload a photo (JPEG, PNG or WebP)."), code="invalid_image"
        ) from None
    return ContentFile(out.getvalue(), name=f"{name}.{PHOTO_FORMATS[kind]}")
