from django.contrib import admin

from gongzhi.core.admin import ReadOnlyAdmin, register_read_only

from .models import (
    ActionItem,
    AgendaItem,
    Attendee,
    Meeting,
    Minutes,
    Motion,
    PartyPresence,
    Speech,
    Vote,
)


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "town", "area", "kind", "starts_at", "status"]
    list_filter = ["town", "kind", "status"]
    search_fields = ["title"]


register_read_only(AgendaItem, "meeting", "order", "title", "proposal")
register_read_only(Attendee, "meeting", "party", "invited", "present")
register_read_only(PartyPresence, "meeting", "party", "present")
register_read_only(Motion, "meeting", "status", "result", "decided_at")
register_read_only(Vote, "motion", "choice", "cast_at")
register_read_only(Speech, "motion", "stance", "seconds", "at")
register_read_only(Minutes, "meeting", "status", "approved_at")
register_read_only(ActionItem, "title", "meeting", "owner_name", "due_on", "status")
