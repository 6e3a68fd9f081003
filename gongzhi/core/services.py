"""Writes owned by core: recording audit events."""

import json
import logging
import uuid
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import AlreadySubmitted, DomainError
from .models import AuditChainHead, AuditEvent, Notification, Submission

logger = logging.getLogger(__name__)

# The name of the hidden input that carries a form's one-time token.
SUBMISSION_FIELD = "submission_token"


def submission_key(token: str | None) -> uuid.UUID | None:
    """The form token as a UUID; None when there is none (the API, commands and
    tests pass none); a DomainError when it is not one of ours."""
    if not token:
        return None
    try:
        return uuid.UUID(str(token))
    except ValueError:
        raise DomainError(
            _("This form was altered or is incomplete. Please reload the page and send it again.")
        ) from None


def claim_submission(token: str | None, *, user) -> None:
    """Use up a form's one-time token, or raise AlreadySubmitted when an earlier
    request used it.

    Call it first thing inside the transaction of the service that writes: the
    claim then lands with the write or not at all, so a form refused with an error
    can be sent again. Of two requests with the same token at once, the second
    waits on the unique index until the first commits, then fails here and writes
    nothing. Without a token (API, commands) nothing is claimed.

    Permission: checked by the calling service, before it claims the token.
    """
    key = submission_key(token)
    if key is None:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_submission must run inside the service's transaction")
    try:
        with transaction.atomic():
            Submission.objects.create(token=key, user=user if getattr(user, "pk", None) else None)
    except IntegrityError:
        raise AlreadySubmitted(key) from None


# A form is sent again within seconds (a double click) or, at most, from a page kept
# open for days; after this long its token is no longer worth keeping.
KEEP_SUBMISSIONS = timedelta(days=30)


def forget_submissions(*, now=None) -> int:
    """Delete the used form tokens older than KEEP_SUBMISSIONS (they say who sent
    which form); returns how many. Run daily by ``apply_retention``."""
    now = now or timezone.now()
    deleted, _by_model = Submission.objects.filter(created_at__lte=now - KEEP_SUBMISSIONS).delete()
    return deleted


def _plain(data: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip through JSON now so the hash is computed over exactly what is stored.
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def record_event(
    *,
    actor,
    verb: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    town_id: int | None = None,
) -> AuditEvent:
    """Append one event to the audit trail, chained to the one before it.

    Call it inside the same transaction as the change it records, so that either
    both land or neither does. ``actor`` may be None for system actions.

    Permission: checked by the calling service; this only writes its audit event.
    """
    if town_id is None:
        scope = getattr(target, "scope", None)
        town_id = scope.town_id if scope else None
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            verb=verb,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            # The trail is kept for good, so it must not hold personal data: targets
            # such as users name themselves through audit_label instead of __str__.
            target_label=str(getattr(target, "audit_label", None) or target)[:200],
            town_id=town_id,
            before=_plain(before),
            after=_plain(after),
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def verify_audit_chain(*, using: str = "default") -> AuditEvent | str | None:
    """Walk the chain in order; return None when intact, else the first broken event
    (or a description when events are missing at the end). ``using``: the database
    alias (a restore checks the database it restored into)."""
    previous_hash = ""
    expected_seq = 1
    for event in AuditEvent.objects.using(using).order_by("seq").iterator(chunk_size=2000):
        if (
            event.seq != expected_seq
            or event.prev_hash != previous_hash
            or event.compute_hash() != event.hash
        ):
            return event
        previous_hash = event.hash
        expected_seq += 1
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    last_seq = expected_seq - 1
    if head and (head.last_seq != last_seq or head.last_hash != previous_hash):
        return (
            f"events #{last_seq + 1}..#{head.last_seq} are missing "
            f"(chain head says {head.last_seq})"
        )
    return None


def _notification(kind: str, params: dict | None) -> tuple[str, dict, str]:
    """The stored parts of a notification of ``kind``: its key, its parameters as
    JSON, and its text in the current language (the fallback for old readers)."""
    from .notifications import get_kind

    found = get_kind(kind)
    if found is None:
        raise ValueError(f"unknown notification kind {kind!r}: register it first")
    params = _plain(params)
    return kind, params, found.render(params)


def notify(
    *,
    user,
    kind: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    key: str = "",
    sms: bool = True,
    town_id: int | None = None,
) -> None:
    """Tell ``user`` something in-app once the current transaction commits (so that
    nobody is told about a change that was rolled back). ``kind`` is a registered
    notification kind (core/notifications.py) and ``params`` its parameters: the
    message is written in the reader's language when it is read.

    A kind with the SMS channel is also queued as a text message (core/sms/outgoing.py)
    for a person who takes it. ``key`` names the event for an event that may be raised
    twice (the day-before reminder of one registration), so that it is texted once;
    by default the notification itself is the event. ``sms=False`` keeps this one
    in-app (e.g. a supporter told of a proposal that is not theirs). ``town_id`` is
    the town whose SMS budget pays (default: where the person lives).

    Permission: none needed: ``user`` is the recipient, told by a service that checked.
    """
    if user is None or getattr(user, "is_deleted", False):
        return
    kind, params, message = _notification(kind, params)
    texted = sms and _by_sms(kind) and getattr(user, "phone_verified", False)

    def deliver():
        note = Notification.objects.create(
            user=user, kind=kind, params=params, message=message, url=url
        )
        if texted:
            _queue_sms([user], kind, params, key or f"notification:{note.pk}", town_id)

    transaction.on_commit(deliver)


def notify_each(*, kind: str, notes) -> int:
    """Many notifications of one ``kind``, each with its own parameters: ``notes``
    are (user, params, url, key, town_id), as ``notify`` takes them. Once the
    transaction commits, the in-app rows are written in one insert and their SMS
    queued in one pass (core/sms/outgoing.queue_sms_each): the day-before reminders
    of a whole day go out in batches, not one query after another. Returns how many."""
    rows, sms = [], []
    by_sms = _by_sms(kind)
    for user, params, url, key, town_id in notes:
        if user is None or getattr(user, "is_deleted", False):
            continue
        kind, params, message = _notification(kind, params)
        rows.append(Notification(user=user, kind=kind, params=params, message=message, url=url))
        texted = by_sms and getattr(user, "phone_verified", False)
        sms.append((user, params, key, town_id) if texted else None)
    if not rows:
        return 0

    def deliver():
        Notification.objects.bulk_create(rows, batch_size=500)
        items = []
        for row, entry in zip(rows, sms, strict=True):
            if entry is not None:
                user, params, key, town_id = entry
                # By default the notification is the event (see notify_all).
                key = key or f"notification:{row.pk or uuid.uuid4().hex}"
                items.append((user, params, key, town_id))
        if items:
            from .sms.outgoing import queue_sms_each

            try:
                queue_sms_each(kind=kind, items=items)
            except Exception:  # the in-app messages stand (see _queue_sms)
                logger.exception("could not queue the SMS of %s notifications", kind)

    transaction.on_commit(deliver)
    return len(rows)


def _by_sms(kind: str) -> bool:
    from .notifications import get_kind

    found = get_kind(kind)
    return found is not None and found.by_sms


def _queue_sms(users, kind, params, event_key, town_id) -> None:
    """Queue a notification's SMS after its in-app rows are written. A failure here
    must not undo or hide the in-app message: it is logged, not raised."""
    from .sms.outgoing import queue_notification_sms

    try:
        queue_notification_sms(
            users=users, kind=kind, params=params, event_key=event_key, town_id=town_id
        )
    except Exception:
        logger.exception("could not queue the SMS of a %s notification", kind)


def mark_notifications_read(*, user) -> int:
    """Permission: self: ``user`` marks their own notifications."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notify_all(
    *,
    users,
    kind: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    key: str = "",
    sms: bool = True,
    town_id: int | None = None,
) -> int:
    """Tell many users the same thing once the transaction commits, in one insert.
    Deleted accounts are skipped; each user is told once. Returns how many. A kind
    with the SMS channel is queued as a text message for those who take it (one
    query finds them; see ``notify`` for ``key``, ``sms`` and ``town_id``)."""
    recipients = {user.pk: user for user in users if not getattr(user, "is_deleted", False)}
    if recipients:
        kind, params, message = _notification(kind, params)
        rows = [
            Notification(user=user, kind=kind, params=params, message=message, url=url)
            for user in recipients.values()
        ]
        texted = [
            user for user in recipients.values() if sms and getattr(user, "phone_verified", False)
        ]
        texted = texted if texted and _by_sms(kind) else []

        def deliver():
            Notification.objects.bulk_create(rows, batch_size=500)
            if texted:
                # The notification is the event (its pk comes back from the insert on
                # PostgreSQL and SQLite); a database that does not return it gets a
                # fresh key, which still texts each person once per call.
                keys = {row.user_id: f"notification:{row.pk}" for row in rows if row.pk}
                _queue_sms(
                    texted,
                    kind,
                    params,
                    key or (lambda pk: keys.get(pk) or f"notification:{uuid.uuid4().hex}"),
                    town_id,
                )

        transaction.on_commit(deliver)
    return len(recipients)
