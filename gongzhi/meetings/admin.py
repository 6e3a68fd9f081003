from django.contrib import admin

from gongzhi.core.admin import ReadOnlyAdmin

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


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "order", "title", "proposal"]


@admin.register(Attendee)
class AttendeeAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "party", "invited", "present"]


@admin.register(PartyPresence)
class PartyPresenceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "party", "present"]


@admin.register(Motion)
class MotionAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "status", "result", "decided_at"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["motion", "choice", "cast_at"]


@admin.register(Speech)
class SpeechAdmin(ReadOnlyAdmin):
    list_display = ["motion", "stance", "seconds", "at"]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "status", "approved_at"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "meeting", "owner_name", "due_on", "status"]
