from django.contrib import admin

from gongzhi.core.admin import ReadOnly, ReadOnlyAdmin

from .models import Programme, Session


class SessionInline(ReadOnly, admin.TabularInline):
    model = Session
    extra = 0
    can_delete = False


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    """Programmes change through their pages (the services check the activities
    linked and the status); the admin shows them."""

    list_display = ["title", "town", "status", "sessions_required"]
    list_filter = ["town", "status"]
    search_fields = ["title"]
    inlines = [SessionInline]
