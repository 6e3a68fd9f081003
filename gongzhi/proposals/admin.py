from django.contrib import admin

from gongzhi.core.admin import ReadOnlyAdmin

from .models import (
    Comment,
    CommentReport,
    Proposal,
    ProposalPhoto,
    ProposalSettings,
    StatusChange,
    Support,
)


@admin.register(ProposalSettings)
class ProposalSettingsAdmin(admin.ModelAdmin):
    list_display = ["town", "support_threshold", "authors_may_support"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "town", "area", "category", "status", "created_at"]
    list_filter = ["town", "status", "category"]
    search_fields = ["title"]


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "user", "created_at", "withdrawn_at"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "is_official", "created_at", "hidden_at"]


@admin.register(CommentReport)
class CommentReportAdmin(ReadOnlyAdmin):
    list_display = ["comment", "reason", "created_at", "resolved_at"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "from_status", "to_status", "at"]


@admin.register(ProposalPhoto)
class ProposalPhotoAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "uploaded_at"]
