"""Design drafts: PNG and JPEG images and PDF documents, checked by what is inside
the file, not by its name (a text file renamed .png is refused)."""

from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from gongzhi.core.validators import validate_upload_size

from .models import FileKind

# Extension → (kind, what the content must be: a Pillow format or "PDF", content type)
ALLOWED = {
    "png": (FileKind.IMAGE, "PNG", "image/png"),
    "jpg": (FileKind.IMAGE, "JPEG", "image/jpeg"),
    "jpeg": (FileKind.IMAGE, "JPEG", "image/jpeg"),
    "pdf": (FileKind.PDF, "PDF", "application/pdf"),
}
MAX_FILES = 10  # per entry and stage
# Decompression bombs: a tiny PNG can claim a huge canvas.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedFile:
    file: object
    name: str
    kind: str
    content_type: str


def _content_format(file) -> str | None:
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head == b"%PDF-":
        return "PDF"
    try:
        with Image.open(file) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("%(name)s: the image is too large (at most 40 megapixels).")
                    % {"name": file.name},
                    code="too_many_pixels",
                )
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)
    return found


def check_draft_file(file) -> CheckedFile:
    """Return what ``file`` is, or raise a ValidationError saying what is wrong."""
    validate_upload_size(file)
    name = PurePath(file.name or "").name[:120]
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED:
        raise ValidationError(
            _("%(name)s: only PNG or JPEG images and PDF documents can be uploaded.")
            % {"name": name},
            code="file_type",
        )
    kind, expected, content_type = ALLOWED[extension]
    if _content_format(file) != expected:
        raise ValidationError(
            _("%(name)s is not really a %(type)s file: its content does not match its name.")
            % {"name": name, "type": extension.upper()},
            code="file_content",
        )
    return CheckedFile(file=file, name=name, kind=kind, content_type=content_type)
