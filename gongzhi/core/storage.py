"""Where uploaded files are stored, and what a person is told when one cannot be.

A full disk, a media root that is missing or read-only, a mount gone away: the file
system answers with an OSError. Left alone it would reach the top of the request as
a 500. Raised here as ``UploadNotStored`` (a DomainError), it rolls back the
service's transaction like any refusal, so no row points at a file that is not
there, and the view shows its message on the form page: every service that stores a
file (photos of proposals, activities, projects, venues, articles, paper forms;
design drafts) is covered without a line of its own.
"""

import logging

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from .errors import DomainError

logger = logging.getLogger(__name__)


class UploadNotStored(DomainError):
    """The storage refused the file (disk full, folder missing or not writable)."""

    def __init__(self):
        super().__init__(
            _(
                "The file could not be saved: the server's storage is full or unavailable. "
                "Nothing was recorded; please try again later, and if it keeps happening "
                "tell your residents' committee."
            )
        )


class MediaStorage(FileSystemStorage):
    """Django's file-system storage (``STORAGES["default"]``), with a storage
    failure turned into ``UploadNotStored``. The operator learns of it from the log
    (an ERROR line naming the file and the cause); the person from the form."""

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as error:
            logger.error("upload %s not stored under %s: %s", name, self.location, error)
            raise UploadNotStored from error
