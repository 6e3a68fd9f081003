"""What meetings adds to staff's 待办 (core/todo.py): meetings that have ended with no
minutes written, and minutes still in draft awaiting approval. Both are done on the
meeting's manage page. A town-wide meeting (no area) is the secretariat's."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.todo import register_todo

from .models import Meeting, MeetingStatus, Minutes, MinutesStatus


def _row(meeting, title):
    return {
        "url": reverse("meetings:manage", args=[meeting.town.slug, meeting.pk]),
        "title": title % {"meeting": meeting.title},
        "detail": _("%(place)s · %(date)s")
        % {
            "place": meeting.area.name if meeting.area else meeting.town.name,
            "date": timezone.localdate(meeting.starts_at).isoformat(),
        },
    }


def without_minutes(todo):
    # Ended and not cancelled: held, or still marked scheduled after its end.
    return todo.narrow(
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED).filter(
            ends_at__lt=timezone.now(), minutes__isnull=True
        )
    )


def without_minutes_rows(todo, limit):
    meetings = without_minutes(todo).select_related("town", "area").order_by("starts_at", "pk")
    return [_row(m, _("Write the minutes of “%(meeting)s”")) for m in meetings[:limit]]


def draft_minutes(todo):
    return todo.narrow(
        Minutes.objects.filter(status=MinutesStatus.DRAFT),
        town_field="meeting__town_id",
        area_field="meeting__area_id",
    )


def draft_minutes_rows(todo, limit):
    minutes = (
        draft_minutes(todo)
        .select_related("meeting__town", "meeting__area")
        .order_by("meeting__starts_at", "pk")
    )
    return [_row(m.meeting, _("Approve the minutes of “%(meeting)s”")) for m in minutes[:limit]]


register_todo(
    key="meetings.without_minutes",
    order=50,
    title=gettext_lazy("Meetings held without minutes"),
    count=without_minutes,
    rows=without_minutes_rows,
)
register_todo(
    key="meetings.draft_minutes",
    order=51,
    title=gettext_lazy("Minutes awaiting approval"),
    count=draft_minutes,
    rows=draft_minutes_rows,
)
