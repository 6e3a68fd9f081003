"""Base models and the append-only, hash-chained audit trail."""

import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import person_link
from gongzhi.core.storage import MediaStorage


class PrivateStorage(MediaStorage):
    """Files that are never served as media (photos of residents' paper forms, with
    names and handwriting): under ``PRIVATE_ROOT``, read only through views that check
    who asks. The folder is read from the settings on each use, so tests can move it."""

    @property
    def base_location(self):
        return str(Path(settings.PRIVATE_ROOT) / "paper")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


PAPER_STORAGE = PrivateStorage()


def paper_storage():
    return PAPER_STORAGE


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def _paper_path(instance, filename):
    return f"{instance._meta.app_label}/{instance._meta.model_name}/{filename}"


class FromPaper(models.Model):
    """A resident's input that staff of the resident's area recorded from a paper form
    (for residents without a smartphone). Such a row is counted like any other, once per
    person, and public pages mark it as recorded from paper. The photo of the paper shows
    a name and handwriting: it is kept in the private "paper" storage, never in media."""

    paper_reference = models.CharField(_("paper form reference"), max_length=40, blank=True)
    paper_photo = models.ImageField(
        _("photo of the paper form"), upload_to=_paper_path, storage=paper_storage, blank=True
    )
    paper_recorded_by = person_link(_("recorded from paper by"), optional=True)
    paper_recorded_at = models.DateTimeField(_("recorded from paper at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def from_paper(self) -> bool:
        return self.paper_recorded_at is not None


class AuditTampered(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditChainHead(models.Model):
    """One row per deployment: the last sequence number and hash of the chain.

    Writers lock this row (SELECT ... FOR UPDATE) so that concurrent events are
    chained one after another, and so that removing the newest event is detectable.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single")]

    def __str__(self):
        return f"#{self.last_seq}"


class AuditEvent(models.Model):
    """An append-only record of one state change; see ``gongzhi.core.services.record_event``."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False)
    actor = person_link(_("actor"), optional=True)
    verb = models.CharField(_("verb"), max_length=80)
    target_type = models.CharField(_("target type"), max_length=80)
    target_id = models.CharField(_("target id"), max_length=64)
    target_label = models.CharField(_("target"), max_length=200, blank=True)
    # The town the target belongs to (no foreign key: the trail outlives its rows).
    town_id = models.PositiveBigIntegerField(_("town"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTampered("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTampered("Audit events are append-only.")

    def compute_hash(self) -> str:
        """SHA-256 over the previous hash and every recorded field, canonically encoded."""
        payload = {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "verb": self.verb,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_label": self.target_label,
            "town_id": self.town_id,
            "before": self.before,
            "after": self.after,
            "prev_hash": self.prev_hash,
        }
        encoded = json.dumps(
            payload,
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            cls=DjangoJSONEncoder,
        )
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one person (the platform sends no SMS)."""

    user = person_link(_("recipient"), related_name="notifications", on_delete=models.CASCADE)
    # What it says: a registered kind (core/notifications.py) and its parameters,
    # written out in the reader's language when read (``text``). ``message`` is the
    # text as rendered when it was sent: what old rows and unknown kinds show.
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    message = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.message[:60]

    @property
    def text(self) -> str:
        """The message in the active language (the stored text for old rows)."""
        from .notifications import render

        return render(self.kind, self.params, fallback=self.message)


class Submission(models.Model):
    """One use of a form's one-time token (see ``core.services.claim_submission``).

    Every form that creates a record carries a fresh token; the service that writes
    inserts it here inside its own transaction, so a form sent twice (a double click,
    a resent request) writes once: the unique token makes the second insert wait for
    the first transaction and then fail. ``next_url`` is where the first request led
    the user, so that the duplicate can lead them to the same place.
    """

    token = models.UUIDField(_("token"), unique=True, editable=False)
    user = person_link(_("user"), optional=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    next_url = models.CharField(_("led to"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return str(self.token)


class SmsOutbox(models.Model):
    """What the console SMS backend "sent" (the demo and development only): read by
    the administrator on the demo outbox page. Real backends never write here."""

    phone = models.CharField(_("mobile number"), max_length=11)
    template = models.CharField(_("template"), max_length=60)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo SMS outbox entry")
        verbose_name_plural = _("demo SMS outbox")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.phone}: {self.text[:40]}"


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    HELD = "held", _("Held until morning")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Delayed, will retry")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Not delivered")
    FAILED = "failed", pgettext_lazy("sms status", "Failed")
    OVER_BUDGET = "over_budget", _("Stopped: monthly budget used up")
    CANCELLED = "cancelled", _("Cancelled")


# Which status a message may move to from each (DESIGN.md: one table beside the enum).
# A message is claimed (→ sending) before the provider is called, so two runners
# never send the same row; what happens then is decided while it is "sending".
SMS_TRANSITIONS: dict[str, set[str]] = {
    SmsStatus.QUEUED: {SmsStatus.SENDING, SmsStatus.CANCELLED},
    SmsStatus.HELD: {SmsStatus.SENDING, SmsStatus.CANCELLED},
    SmsStatus.RETRYING: {SmsStatus.SENDING, SmsStatus.CANCELLED},
    SmsStatus.SENDING: {
        # Held: a message whose turn came in the quiet hours (a retry, cron at 21:00).
        SmsStatus.HELD,
        SmsStatus.SENT,
        SmsStatus.RETRYING,
        SmsStatus.FAILED,
        SmsStatus.OVER_BUDGET,
        SmsStatus.CANCELLED,
    },
    SmsStatus.SENT: {SmsStatus.DELIVERED, SmsStatus.UNDELIVERED},
    SmsStatus.DELIVERED: set(),
    SmsStatus.UNDELIVERED: set(),
    SmsStatus.FAILED: set(),
    SmsStatus.OVER_BUDGET: set(),
    SmsStatus.CANCELLED: set(),
}

# The statuses a message is still waiting to be sent in.
SMS_WAITING = (SmsStatus.QUEUED, SmsStatus.HELD, SmsStatus.RETRYING)
# The statuses staff are shown so they can reach the person another way.
SMS_NOT_RECEIVED = (SmsStatus.UNDELIVERED, SmsStatus.FAILED, SmsStatus.OVER_BUDGET)


class SmsMessage(models.Model):
    """One text message the platform sends (or holds, retries, stops): the ledger the
    secretariat reads, and what makes "one SMS per event per person" hold: the pair
    (user, event_key) is unique, so an event raised twice inserts one row.

    A verification code is never stored: ``params`` of a code row is empty."""

    user = person_link(
        _("person"), related_name="sms_messages", optional=True, on_delete=models.SET_NULL
    )
    # Kept to send (a message may wait until morning) and to match delivery receipts;
    # blanked when the account is deleted.
    phone = models.CharField(_("mobile number"), max_length=11, blank=True)
    # The town whose monthly budget pays for it (no foreign key: core cannot import
    # places, as with AuditEvent).
    town_id = models.PositiveBigIntegerField(_("town"), null=True, blank=True, db_index=True)
    # A notification kind's key, or "code" for a verification code.
    kind = models.CharField(_("kind"), max_length=60)
    event_key = models.CharField(_("event"), max_length=120)
    template = models.CharField(_("template"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SmsStatus.choices, default=SmsStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=80, blank=True, db_index=True)
    error_code = models.CharField(_("error"), max_length=80, blank=True)
    cost_units = models.PositiveSmallIntegerField(_("cost units"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    reported_at = models.DateTimeField(
        pgettext_lazy("delivery report", "reported at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="one_sms_per_event")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["town_id", "sent_at"]),
        ]

    def __str__(self):
        return f"{self.kind} → {self.masked_phone} ({self.status})"

    @property
    def masked_phone(self) -> str:
        from .masking import mask_phone

        return mask_phone(self.phone)

    @property
    def delayed(self) -> bool:
        """Not sent yet but will be tried again: what the person is told."""
        return self.status in (SmsStatus.RETRYING, SmsStatus.HELD)

    @property
    def kind_label(self) -> str:
        from .notifications import get_kind

        if self.kind == "code":
            return str(_("Verification code"))
        if self.kind == "account_exists":
            return str(_("Sign-up with a registered number"))
        if self.kind == "number_changed":
            return str(_("Mobile number changed"))
        found = get_kind(self.kind)
        return str(found.label) if found is not None else self.kind


class SmsPreference(models.Model):
    """A person's choice for one notification kind's SMS. No row means "on" once the
    person has given the SMS consent; a row with ``sms=False`` means they turned it
    off. Codes have no row: they are never optional."""

    user = person_link(_("person"), related_name="sms_preferences", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=60)
    sms = models.BooleanField(_("by text message"), default=True)

    class Meta:
        verbose_name = _("text message choice")
        verbose_name_plural = _("text message choices")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_sms_choice_per_kind")
        ]

    def __str__(self):
        return f"{self.kind}: {self.sms}"


class SmsBudget(models.Model):
    """A town's monthly SMS budget in cost units, set by the administrator. A town
    without a row has ``GONGZHI_SMS["MONTHLY_UNITS"]``."""

    town_id = models.PositiveBigIntegerField(_("town"), unique=True)
    monthly_units = models.PositiveIntegerField(_("units per month"))

    class Meta:
        verbose_name = _("monthly SMS budget")
        verbose_name_plural = _("monthly SMS budgets")

    def __str__(self):
        return f"{self.town_id}: {self.monthly_units}"


class SmsBudgetAlert(models.Model):
    """That a town's secretariat was told its budget reached ``level`` per cent this
    month: the unique row is what makes the warning go out once."""

    town_id = models.PositiveBigIntegerField(_("town"))
    month = models.DateField(_("month"))
    level = models.PositiveSmallIntegerField(_("level"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS budget alert")
        verbose_name_plural = _("SMS budget alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["town_id", "month", "level"], name="one_budget_alert_per_month"
            )
        ]

    def __str__(self):
        return f"{self.town_id} {self.month:%Y-%m} {self.level}%"
