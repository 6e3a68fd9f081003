"""What meetings adds to staff's 待办 (core/todo.py): meetings that have ended with no
minutes written, and minutes still in draft awaiting approval. Both are done on the
meeting's manage page. A town-wide meeting (no area) is the secretariat's."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.todo import place_of, todo_section

from .models import Meeting, MeetingStatus, Minutes, MinutesStatus


def _row(meeting, title):
    return {
        "url": reverse("meetings:manage", args=[meeting.town.slug, meeting.pk]),
        "title": title % {"meeting": meeting.title},
        "detail": _("%(place)s · %(date)s")
        % {"place": place_of(meeting), "date": timezone.localdate(meeting.starts_at).isoformat()},
    }


def without_minutes(todo):
    # Ended and not cancelled: held, or still marked scheduled after its end.
    meetings = Meeting.objects.exclude(status=MeetingStatus.CANCELLED).filter(
        ends_at__lt=timezone.now(), minutes__isnull=True
    )
    return todo.narrow(meetings).select_related("town", "area").order_by("starts_at", "pk")


@todo_section(
    "meetings.without_minutes", 50, gettext_lazy("Meetings held without minutes"), without_minutes
)
def without_minutes_row(meeting):
    return _row(meeting, _("Write the minutes of “%(meeting)s”"))


def draft_minutes(todo):
    minutes = Minutes.objects.filter(status=MinutesStatus.DRAFT)
    return (
        todo.narrow(minutes, through="meeting")
        .select_related("meeting__town", "meeting__area")
        .order_by("meeting__starts_at", "pk")
    )


@todo_section(
    "meetings.draft_minutes", 51, gettext_lazy("Minutes awaiting approval"), draft_minutes
)
def draft_minutes_row(minutes):
    return _row(minutes.meeting, _("Approve the minutes of “%(meeting)s”"))
