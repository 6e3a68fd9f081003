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


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records of what happened (the audit trail, votes, scores, supports…):
    only services write them, so the admin may look, never touch."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "created_at", "actor", "verb", "target_type", "target_label"]
    list_filter = ["verb", "target_type"]
    search_fields = ["verb", "target_label", "target_id"]


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["last_seq", "last_hash"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "message", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["message", "user__phone"]
    raw_id_fields = ["user"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["token", "user", "created_at", "next_url"]
    raw_id_fields = ["user"]


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


@admin.register(SmsBudgetAlert)
class SmsBudgetAlertAdmin(ReadOnlyAdmin):
    list_display = ["town_id", "month", "level", "created_at"]


@admin.register(SmsPreference)
class SmsPreferenceAdmin(ReadOnlyAdmin):
    """People choose on 我的; the admin only looks."""

    list_display = ["user", "kind", "sms"]
    raw_id_fields = ["user"]


@admin.register(SmsOutbox)
class SmsOutboxAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "phone", "template", "text"]
