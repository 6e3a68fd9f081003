from django.contrib import admin

from .models import AuditChainHead, AuditEvent, Notification, Submission


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
