from django.contrib import admin

from gongzhi.core.admin import ReadOnlyAdmin, register_read_only

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


register_read_only(Support, "proposal", "user", "created_at", "withdrawn_at")
register_read_only(Comment, "proposal", "is_official", "created_at", "hidden_at")
register_read_only(CommentReport, "comment", "reason", "created_at", "resolved_at")
register_read_only(StatusChange, "proposal", "from_status", "to_status", "at")
register_read_only(ProposalPhoto, "proposal", "uploaded_at")
