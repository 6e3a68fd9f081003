from django.contrib import admin

from .models import (
    AuditChainHead,
    AuditEvent,
    Notification,
    SmsBudget,
    SmsBudgetAlert,
    SmsMessage,
    SmsOutbox,
    SmsPreference,
    Submission,
)


class ReadOnly:
    """For records of what happened (the audit trail, votes, scores, supports…):
    only services write them, so the admin may look, never touch. Mixed into a
    ModelAdmin (``ReadOnlyAdmin``) or an inline."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """A model's admin that only looks (``ReadOnly``)."""


def register_read_only(model, *list_display, **options):
    """Show ``model`` in the admin read-only (``ReadOnlyAdmin``), listed by the
    ``list_display`` fields: most records of what happened need no more."""
    admin.site.register(model, ReadOnlyAdmin, list_display=list(list_display), **options)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "created_at", "actor", "verb", "target_type", "target_label"]
    list_filter = ["verb", "target_type"]
    search_fields = ["verb", "target_label", "target_id"]


register_read_only(AuditChainHead, "last_seq", "last_hash")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "message", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["message", "user__phone"]
    raw_id_fields = ["user"]


register_read_only(Submission, "token", "user", "created_at", "next_url", raw_id_fields=["user"])


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    """The SMS ledger: written by the pipeline only (core/sms/outgoing.py)."""

    list_display = ["created_at", "masked_phone", "kind", "status", "provider_id", "cost_units"]
    list_filter = ["status", "kind", "provider"]
    search_fields = ["provider_id", "event_key"]
    raw_id_fields = ["user"]


@admin.register(SmsBudget)
class SmsBudgetAdmin(admin.ModelAdmin):
    """Each town's monthly SMS budget in cost units (town by its id: core cannot
    link to places)."""

    list_display = ["town_id", "monthly_units"]


register_read_only(SmsBudgetAlert, "town_id", "month", "level", "created_at")


@admin.register(SmsPreference)
class SmsPreferenceAdmin(ReadOnlyAdmin):
    """People choose on 我的; the admin only looks."""

    list_display = ["user", "kind", "sms"]
    raw_id_fields = ["user"]


register_read_only(SmsOutbox, "created_at", "phone", "template", "text")
