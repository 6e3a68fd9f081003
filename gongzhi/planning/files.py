"""Design draft files: a photo or drawing (re-encoded, so no location data is kept)
or a PDF document, checked by what is inside the file rather than by its name. The
digest lets the same file uploaded twice be recognised as one draft."""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from gongzhi.core.images import clean_photo
from gongzhi.core.validators import validate_upload_size

PDF_MAGIC = b"%PDF-"
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
ACCEPT = ".png,.jpg,.jpeg,.webp,.pdf,image/png,image/jpeg,image/webp,application/pdf"


@dataclass(frozen=True)
class CheckedDraft:
    content: ContentFile
    content_type: str
    digest: str


def _stem(upload) -> str:
    stem = PurePath(getattr(upload, "name", "") or "draft").stem
    cleaned = "".join(ch for ch in stem if ch.isalnum() or ch in "-_")[:60]
    return cleaned or "draft"


def check_draft_upload(upload) -> CheckedDraft:
    """The file to store for a draft, or a ValidationError saying what is wrong:
    a PDF (by its first bytes) is kept as it is; an image is re-encoded; anything
    else is refused, whatever its name says."""
    if upload is None:
        raise ValidationError(_("Choose the draft's file."), code="required")
    validate_upload_size(upload)
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    stem = _stem(upload)
    if head == PDF_MAGIC:
        data = upload.read()
        upload.seek(0)
        content = ContentFile(data, name=f"{stem}.pdf")
        content_type = "application/pdf"
    else:
        try:
            content = clean_photo(upload, name=stem)
        except ValidationError:
            raise ValidationError(
                _(
                    "%(name)s is neither an image (JPEG, PNG or WebP) nor a PDF document: "
                    "upload the draft as one of these."
                )
                % {"name": PurePath(getattr(upload, "name", "") or "").name},
                code="file_type",
            ) from None
        content_type = IMAGE_TYPES[content.name.rsplit(".", 1)[-1]]
        data = content.read()
        content.seek(0)
    return CheckedDraft(
        content=content, content_type=content_type, digest=hashlib.sha256(data).hexdigest()
    )
