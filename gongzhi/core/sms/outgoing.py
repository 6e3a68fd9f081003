"""Sending text messages: verification codes at once, notifications through a task.

Every message is a ``core.SmsMessage`` row, created before anything is sent, so the
ledger shows what was held, retried, stopped or failed as well as what went out.

- One SMS per event per person: the row's (user, event_key) is unique, so an event
  raised twice (a task run twice, two workers at once) inserts one row; and a row is
  *claimed* (a conditional UPDATE to "sending") before the provider is called, so
  two runners of the sending task never send the same row.
- Quiet hours: no notification is sent between 21:00 and 08:00 (Asia/Shanghai): it
  is held until 08:00. Codes are sent at any hour (a person is waiting for it).
- Budget: each town has a monthly budget in cost units (``core.SmsBudget``, else
  ``GONGZHI_SMS["MONTHLY_UNITS"]``). Its secretariat is told once a month at 80 %;
  at 100 % notifications stop (status "over_budget"). Codes are counted but never
  stopped: without them nobody could sign in.
- Retries: a provider that is down or throttling (a retryable ``SmsError``) is tried
  again after 1, 5 and 30 minutes, then the message fails. With a task backend that
  can defer (the database backend), the retry is enqueued with ``run_after``; the
  immediate backend cannot, so ``manage.py send_due_sms`` (cron, every minute) sends
  what is due: retries whose time came, messages held overnight.

Codes and provider secrets are never logged here nor stored: a code row's
``params`` and ``text`` are empty; while a code waits for a retry it is kept only
in the shared cache, for as long as the code is valid.
"""

import logging
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from ..masking import mask_phone
from ..metrics import SMS_FAILED, SMS_SENT
from ..models import (
    SMS_TRANSITIONS,
    SMS_WAITING,
    SmsBudget,
    SmsBudgetAlert,
    SmsMessage,
    SmsPreference,
    SmsStatus,
)
from ..notifications import get_kind
from .base import SmsError, get_backend, segments

logger = logging.getLogger("gongzhi.sms")

CODE = "code"
# Notices about the account itself, answering the person's own action: sent like a
# code (at any hour, without a consent, never stopped by the budget).
ACCOUNT_EXISTS = "account_exists"
NUMBER_CHANGED = "number_changed"
ACCOUNT_NOTICES = (ACCOUNT_EXISTS, NUMBER_CHANGED)
# The consent a person gives to receive notifications by SMS (accounts.ConsentKind);
# core names it by its value since it cannot import accounts.
SMS_CONSENT = "sms_notifications"

QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)
# Waits before the 2nd, 3rd and 4th attempt; after the 4th the message has failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claim older than this belongs to a worker that died mid-send (the provider's
# timeout is seconds): send_due_sms hands the message back for a retry.
STALE_CLAIM = timedelta(minutes=10)
DEFAULT_MONTHLY_UNITS = 1000
BUDGET_WARNING = 80  # per cent
CODE_VALID_FOR = 5 * 60  # seconds, unless the caller says otherwise
DUE_BATCH = 500


class SmsTransitionError(RuntimeError):
    """A status change the table (SMS_TRANSITIONS) does not allow: a bug."""


# --- Time and money ------------------------------------------------------------------


def quiet_until(now: datetime) -> datetime | None:
    """08:00 local time when ``now`` falls in the quiet hours (21:00–08:00), else None."""
    local = timezone.localtime(now)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() + timedelta(days=1) if local.time() >= QUIET_FROM else local.date()
    return timezone.make_aware(datetime.combine(day, QUIET_UNTIL))


def month_of(now: datetime) -> tuple[datetime, datetime]:
    """Start and end of ``now``'s month in local time."""
    local = timezone.localtime(now)
    start = datetime(local.year, local.month, 1)
    following = datetime(local.year + local.month // 12, local.month % 12 + 1, 1)
    return timezone.make_aware(start), timezone.make_aware(following)


def monthly_budget(town_id: int | None) -> int | None:
    """The town's monthly budget in cost units; None for a message of no town."""
    if town_id is None:
        return None
    row = SmsBudget.objects.filter(town_id=town_id).values_list("monthly_units", flat=True)
    found = row.first()
    if found is not None:
        return found
    return int(settings.GONGZHI_SMS.get("MONTHLY_UNITS", DEFAULT_MONTHLY_UNITS))


def units_used(town_id: int | None, now: datetime) -> int:
    """The cost units the town's messages cost this month (codes included)."""
    start, end = month_of(now)
    used = SmsMessage.objects.filter(
        town_id=town_id, sent_at__gte=start, sent_at__lt=end
    ).aggregate(units=Sum("cost_units"))["units"]
    return used or 0


def _estimate(text: str) -> int:
    sign = settings.GONGZHI_SMS.get("SIGN_NAME", "")
    return segments(f"【{sign}】{text}" if sign else text)


def _over_budget(town_id, units: int, now) -> bool:
    budget = monthly_budget(town_id)
    # A message of no town (its person said nowhere they live) is in no town's budget.
    return budget is not None and units_used(town_id, now) + units > budget


def _alert(town_id, now, level: int) -> None:
    """Tell the town's secretariat, once a month per level, that its SMS budget
    reached ``level`` per cent (80: a warning; 100: notifications stopped)."""
    start, _end = month_of(now)
    try:
        with transaction.atomic():
            SmsBudgetAlert.objects.create(
                town_id=town_id, month=timezone.localtime(start).date(), level=level
            )
    except IntegrityError:
        return  # already told this month
    from django.urls import reverse

    from ..scope import Role
    from ..services import notify_all

    # The secretariat's members are places.RoleGrant rows, read through the user's
    # reverse relation (core cannot import places).
    secretariat = get_user_model().objects.filter(
        role_grants__town_id=town_id, role_grants__role=Role.SECRETARIAT, is_active=True
    )
    notify_all(
        users=list(secretariat.distinct()),
        kind="core.sms_budget_stopped" if level >= 100 else "core.sms_budget_warning",
        params={"percent": level},
        url=reverse("sms_ledger"),
    )


def _check_alerts(town_id, now) -> None:
    budget = monthly_budget(town_id)
    if not budget:
        return
    used = units_used(town_id, now)
    if used * 100 >= budget * BUDGET_WARNING:
        _alert(town_id, now, BUDGET_WARNING)
    if used >= budget:
        _alert(town_id, now, 100)


# --- Who takes which SMS ---------------------------------------------------------------


def takers(kind: str):
    """The people who receive ``kind`` by SMS: a verified number, the SMS consent
    standing, and the kind not turned off on 我的. One query however many."""
    User = get_user_model()
    consents = User._meta.get_field("consents").related_model
    return User.objects.filter(
        Exists(
            consents.objects.filter(
                user=OuterRef("pk"), kind=SMS_CONSENT, withdrawn_at__isnull=True
            )
        ),
        ~Exists(SmsPreference.objects.filter(user=OuterRef("pk"), kind=kind, sms=False)),
        phone_verified=True,
        is_active=True,
        deleted_at__isnull=True,
        phone__isnull=False,
    ).exclude(phone="")


def _move(message: SmsMessage, to: str, **fields) -> None:
    """Save a claimed message's new status (and fields), checked against the table."""
    if to not in SMS_TRANSITIONS[message.status]:
        raise SmsTransitionError(f"SMS #{message.pk}: {message.status} → {to}")
    message.status = to
    for name, value in fields.items():
        setattr(message, name, value)
    SmsMessage.objects.filter(pk=message.pk).update(status=to, **fields)


# --- Queueing notifications ----------------------------------------------------------


def queue_notification_sms(
    *, users, kind: str, params: dict, event_key, town_id=None, now=None
) -> list[SmsMessage]:
    """Queue the SMS of one notification for those of ``users`` who take ``kind`` by
    SMS, at most once per person and ``event_key`` (a string, or a function of the
    user's pk for notify_all's per-person notifications). See ``queue_sms_each``."""
    items = [
        (user, params, event_key(user.pk) if callable(event_key) else event_key, town_id)
        for user in users
    ]
    return queue_sms_each(kind=kind, items=items, now=now)


def queue_sms_each(*, kind: str, items, now=None) -> list[SmsMessage]:
    """Queue the SMS of many notifications of one ``kind``: ``items`` are (user,
    params, event key, town id). Only people who take ``kind`` by SMS (see
    ``takers``) get one, at most once per person and event key. Each new row is held
    until 08:00 in the quiet hours, stopped when the town's monthly budget is used
    up, else handed to the sending task once the transaction commits. The town id is
    the town that pays (None: where the person lives).

    A fixed handful of queries whatever the number of items (the day-before
    reminders of a whole day come in batches of hundreds), plus one task row each
    with the database task backend: who takes the kind, the rows already there, the
    towns' budgets, one insert."""
    found = get_kind(kind)
    if found is None or not found.by_sms:
        return []
    wanted = {}
    for user, params, key, town_id in items:
        if getattr(user, "phone_verified", False):
            wanted.setdefault((user.pk, str(key)[:120]), (params, town_id))
    if not wanted:
        return []
    now = now or timezone.now()
    held = quiet_until(now)
    pks = {pk for pk, _key in wanted}
    takes = {
        pk: (phone, home_town)
        for pk, phone, home_town in takers(kind)
        .filter(pk__in=pks)
        .values_list("pk", "phone", "residential_area__town_id")
    }
    # An event texted before (a task run twice) is not texted again.
    there = set(
        SmsMessage.objects.filter(
            user_id__in=takes, event_key__in={key for _pk, key in wanted}
        ).values_list("user_id", "event_key")
    )
    budgets: dict = {}  # town -> (budget, units used this month), read once per town
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for (pk, key), (params, town_id) in wanted.items():
            if pk not in takes or (pk, key) in there:
                continue
            phone, home_town = takes[pk]
            town = town_id if town_id is not None else home_town
            text = found.render(params)
            if town not in budgets:
                budgets[town] = (monthly_budget(town), units_used(town, now))
            budget, used = budgets[town]
            if budget is not None and used + _estimate(text) > budget:
                status, due = SmsStatus.OVER_BUDGET, None
            elif held is not None:
                status, due = SmsStatus.HELD, held
            else:
                status, due = SmsStatus.QUEUED, now
            rows.append(
                SmsMessage(
                    user_id=pk,
                    phone=phone,
                    town_id=town,
                    kind=kind,
                    event_key=key,
                    template=kind,
                    params=found.sms_values(params),
                    text=text,
                    status=status,
                    next_attempt_at=due,
                )
            )
    queued = _insert(rows)
    stopped = {m.town_id for m in queued if m.status == SmsStatus.OVER_BUDGET}
    for town in stopped:
        logger.warning("SMS of %s stopped: town %s budget used up", kind, town)
        _alert(town, now, 100)
    for message in queued:
        if message.status != SmsStatus.OVER_BUDGET:
            _enqueue(message.pk, run_after=held if message.status == SmsStatus.HELD else None)
    return queued


def _insert(rows: list[SmsMessage]) -> list[SmsMessage]:
    """Insert the rows in one statement; when another runner inserted one of them
    meanwhile (the unique person and event), insert them one by one, skipping it."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            return SmsMessage.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        pass
    inserted = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue  # this event's SMS to this person exists already
        inserted.append(row)
    return inserted


def _enqueue(message_id: int, *, run_after=None) -> None:
    """Hand the message to the sending task once the transaction commits. A message
    due later goes to a backend that can defer it; the immediate backend cannot, and
    ``send_due_sms`` sends it when due."""
    deliver = deliver_sms
    if run_after is not None:
        if not deliver.get_backend().supports_defer:
            return
        deliver = deliver.using(run_after=run_after)
    transaction.on_commit(lambda: deliver.enqueue(message_id), robust=True)


# --- Codes -----------------------------------------------------------------------------


def _code_key(message_id: int) -> str:
    return f"sms-code:{message_id}"


def _code_params(code: str, valid_for: int) -> dict[str, str]:
    """A code template's variables: the code and its minutes of validity."""
    return {"code": str(code), "minutes": str(max(1, valid_for // 60))}


def _code_text(params: dict[str, str]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return (
            _(
                "Your verification code is %(code)s, valid for %(minutes)s minutes. "
                "Do not tell it to anyone."
            )
            % params
        )


def send_code(*, phone: str, code: str, user=None, valid_for: int = CODE_VALID_FOR, now=None):
    """Send a verification ``code`` to ``phone`` now, in the request; returns its
    ``SmsMessage`` row.

    The contract for callers (the log-in and sign-up adapter):

    - codes go out at any hour and are never stopped by the town's budget (they
      are counted in it), nor need a consent or a verified number;
    - the code is never stored nor logged: the row keeps no parameters or text;
    - ``message.status == "sent"``: the provider took it;
    - ``message.delayed`` (status "retrying"): the provider is down or throttling;
      the code is kept in the shared cache for ``valid_for`` seconds only and sent
      again after a minute (by the task, or ``send_due_sms``). Tell the person
      "the text message may be delayed" and let them ask for a new code;
    - status "failed": the provider refused it for good (an invalid number, a
      template not configured): tell the person the code could not be sent.

    It never raises for a provider's error.
    """
    now = now or timezone.now()
    town_id = None
    if user is not None and getattr(user, "residential_area_id", None):
        town_id = user.residential_area.town_id
    message = SmsMessage.objects.create(
        user=user if getattr(user, "pk", None) else None,
        phone=phone,
        town_id=town_id,
        kind=CODE,
        event_key=f"code:{uuid.uuid4().hex}",
        template=CODE,
        status=SmsStatus.QUEUED,
        next_attempt_at=now,
    )
    send_message(message_id=message.pk, now=now, code=code, valid_for=valid_for)
    message.refresh_from_db()
    return message


def _account_exists_text() -> str:
    return _(
        "Someone tried to sign up with this number, which already has an account. "
        "If it was you, log in with a verification code instead. If not, ignore this message."
    )


def send_account_exists(*, phone: str, user, now=None) -> SmsMessage:
    """Tell the owner of ``phone`` that someone signed up with their number (allauth's
    answer to a sign-up with a registered number, which shows the same page as for a
    new one so that nobody learns whose number is registered)."""
    return _send_account_notice(
        kind=ACCOUNT_EXISTS, phone=phone, user=user, params={}, text=_account_exists_text, now=now
    )


def send_number_changed(*, old_phone: str, user, now=None) -> SmsMessage:
    """Tell the number an account used to log in with that it no longer does: if the
    change was not the owner's doing, they learn it and can ask for help."""
    new = mask_phone(user.phone)
    return _send_account_notice(
        kind=NUMBER_CHANGED,
        phone=old_phone,
        user=user,
        params={"phone": new},
        text=lambda: (
            _(
                "The mobile number you log in with was changed to %(phone)s. If you did not "
                "change it, contact your residents' committee at once."
            )
            % {"phone": new}
        ),
        now=now,
    )


def _send_account_notice(*, kind, phone, user, params, text, now=None) -> SmsMessage:
    """A notice about the account, sent now like a code (its text holds nothing secret,
    so it is kept)."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        body = str(text())
    message = SmsMessage.objects.create(
        user=user,
        phone=phone,
        town_id=user.residential_area.town_id if user.residential_area_id else None,
        kind=kind,
        event_key=f"{kind}:{uuid.uuid4().hex}",
        template=kind,
        params=params,
        text=body,
        status=SmsStatus.QUEUED,
        next_attempt_at=now,
    )
    send_message(message_id=message.pk, now=now)
    message.refresh_from_db()
    return message


# --- Sending ---------------------------------------------------------------------------


def _claim(message_id: int, now) -> SmsMessage | None:
    """Take the message for sending: one conditional UPDATE, so of two runners (a
    task run twice, two workers, cron and a worker) only one gets it. None when it
    is not due or someone else has it."""
    claimable = [s for s, targets in SMS_TRANSITIONS.items() if SmsStatus.SENDING in targets]
    claimed = (
        SmsMessage.objects.filter(pk=message_id, status__in=claimable)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=SmsStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )
    if not claimed:
        return None
    return SmsMessage.objects.get(pk=message_id)


def send_message(*, message_id: int, now=None, code=None, valid_for=CODE_VALID_FOR) -> str | None:
    """Send one queued, held or retrying message if it is due and nobody else is
    sending it; returns its new status (None when not claimed). ``code`` is given
    only by send_code, for the first attempt of a code."""
    now = now or timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return None
    is_code = message.kind == CODE
    if not message.phone:  # the account was deleted while the message waited
        _move(message, SmsStatus.CANCELLED)
        return message.status
    if is_code:
        params = _code_params(code, valid_for) if code is not None else None
        if params is None:
            params = cache.get(_code_key(message.pk))
        if params is None:
            # The code expired while the provider was down: a late code is useless.
            _move(message, SmsStatus.FAILED, error_code="code_expired")
            return message.status
        text = _code_text(params)
    elif message.kind in ACCOUNT_NOTICES:
        # About the account itself, answering the person's own request: like a
        # code, at any hour and without a consent; it holds nothing secret.
        text, params = message.text, message.params
    else:
        if not takers(message.kind).filter(pk=message.user_id, phone=message.phone).exists():
            # Consent withdrawn, the kind turned off or the number changed since.
            _move(message, SmsStatus.CANCELLED)
            return message.status
        held = quiet_until(now)
        if held is not None:
            # Not an attempt: the claim's count is given back.
            _move(message, SmsStatus.HELD, next_attempt_at=held, attempts=message.attempts - 1)
            _enqueue(message.pk, run_after=held)
            return message.status
        if _over_budget(message.town_id, _estimate(message.text), now):
            _move(message, SmsStatus.OVER_BUDGET)
            _alert(message.town_id, now, 100)
            return message.status
        text, params = message.text, message.params
    backend = get_backend()
    try:
        sent = backend.send(
            phone=message.phone, template=message.template, params=params, text=text
        )
    except SmsError as error:
        _failed_attempt(message, error, now, code=params if is_code else None, valid_for=valid_for)
    except Exception as error:  # noqa: BLE001 - a provider's SDK raising its own errors
        # Its text may quote the request (the code): log the type only.
        unexpected = SmsError(type(error).__name__, retryable=True)
        _failed_attempt(
            message, unexpected, now, code=params if is_code else None, valid_for=valid_for
        )
    else:
        _move(
            message,
            SmsStatus.SENT,
            provider=backend.name,
            provider_id=sent.provider_id[:80],
            cost_units=sent.cost_units,
            sent_at=now,
            error_code="",
        )
        if is_code:
            cache.delete(_code_key(message.pk))
        SMS_SENT.labels(provider=backend.name, kind=message.kind).inc()
        logger.info("SMS #%s (%s) sent by %s", message.pk, message.kind, backend.name)
        if message.town_id is not None:
            _check_alerts(message.town_id, now)
    return message.status


def _failed_attempt(message: SmsMessage, error: SmsError, now, *, code, valid_for) -> None:
    """After a provider's error: retry later (``code``: a code's template variables,
    kept in the cache for the retry) or give up."""
    SMS_FAILED.labels(kind=message.kind).inc()
    code_name = str(error.code)[:80]
    if not error.retryable or message.attempts >= MAX_ATTEMPTS:
        _move(message, SmsStatus.FAILED, error_code=code_name, next_attempt_at=None)
        if message.kind == CODE:
            cache.delete(_code_key(message.pk))
        logger.warning(
            "SMS #%s (%s) failed after %s attempt(s): %s",
            message.pk,
            message.kind,
            message.attempts,
            code_name,
        )
        return
    due = now + BACKOFF[message.attempts - 1]
    if message.kind != CODE:
        due = quiet_until(due) or due
    elif code is not None:
        # Only for the retries' lifetime, in the shared cache: never in the database.
        cache.set(_code_key(message.pk), code, valid_for)
    _move(message, SmsStatus.RETRYING, error_code=code_name, next_attempt_at=due)
    logger.warning(
        "SMS #%s (%s) attempt %s failed (%s); retrying at %s",
        message.pk,
        message.kind,
        message.attempts,
        code_name,
        due.isoformat(),
    )
    _enqueue(message.pk, run_after=due)


@task()
def deliver_sms(message_id: int) -> str | None:
    """The sending task: send the message if it is due and still unclaimed."""
    return send_message(message_id=message_id)


def send_due(*, now=None) -> int:
    """Send every message whose time came (held overnight, retries, and any whose
    task was lost); hand back messages a dead worker claimed. Returns how many were
    tried. ``manage.py send_due_sms`` runs it from cron every minute."""
    now = now or timezone.now()
    SmsMessage.objects.filter(status=SmsStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=SmsStatus.RETRYING, next_attempt_at=now
    )
    due = list(
        SmsMessage.objects.filter(status__in=SMS_WAITING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    for message_id in due:
        send_message(message_id=message_id, now=now)
    return len(due)


# --- Delivery receipts -----------------------------------------------------------------


def _mainland(phone: str) -> str:
    """A number as we store it: the last 11 digits (receipts may add +86 or 86)."""
    digits = "".join(ch for ch in str(phone) if ch.isdigit())
    return digits[-11:]


def record_receipts(*, provider: str, receipts, now=None) -> int:
    """Mark sent messages delivered or not from a provider's delivery reports,
    matched by the provider's id and the number; a report on a message we do not
    know (or already reported) is ignored. Returns how many rows changed."""
    now = now or timezone.now()
    changed = 0
    for receipt in receipts:
        status = SmsStatus.DELIVERED if receipt.delivered else SmsStatus.UNDELIVERED
        changed += SmsMessage.objects.filter(
            provider=provider,
            provider_id=receipt.provider_id,
            phone=_mainland(receipt.phone),
            status=SmsStatus.SENT,
        ).update(
            status=status,
            reported_at=receipt.reported_at or now,
            error_code="" if receipt.delivered else str(receipt.error_code)[:80],
        )
    return changed
