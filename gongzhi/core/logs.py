"""Logging of refused requests.

Django's ``django.request`` logger writes every 4xx answer at WARNING, and a
PermissionDenied with its whole traceback. A refusal is the platform working as it
should (a resident trying a staff page, an old link, an action in the wrong state),
and on a busy day those lines buried the errors that need someone. They are kept, as
one INFO line each; real errors (5xx) keep their level and traceback.
"""

import logging

from django_guid import get_guid

# Forbidden, not found, conflict (a DomainError shown to the user): refusals, not faults.
REFUSED_STATUSES = frozenset({403, 404, 409})


class RefusedRequestsAtInfo(logging.Filter):
    """On ``django.request``: a record about a refused request (its ``status_code``
    is 403, 404 or 409) becomes one INFO line without a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) not in REFUSED_STATUSES:
            return True
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        record.exc_info = record.exc_text = record.stack_info = None
        # The logger let the record through at WARNING; at INFO it may be below its level.
        return logging.getLogger(record.name).isEnabledFor(logging.INFO)


class RequestId(logging.Filter):
    """On the handler: every record gets ``request_id``, the id of the request that
    caused it (django-guid's, from X-Request-ID or made for it), or ``-`` outside a
    request (a task run by a worker, a management command)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = get_guid() or "-"
        return True
