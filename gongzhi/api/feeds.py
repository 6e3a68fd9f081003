"""iCalendar (RFC 5545) feeds of a town's public meetings, and of one area's.

The companion of the activity feeds (gongzhi/events/feeds.py), with the same window,
limit and caching: from a month back onwards, at most FEED_LIMIT meetings, times in
UTC, one stable UID per meeting so that a rescheduled meeting replaces its entry.
Cancelled meetings are not public and are left out. Titles are masked like every
public text of a meeting (names on its list → 张**, mobile numbers → 138****1234).
"""

from datetime import UTC

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from gongzhi.events.feeds import calendar_response, feed_window
from gongzhi.meetings.minutes import names_by_meeting, public_text
from gongzhi.meetings.models import Meeting
from gongzhi.places.models import ResidentialArea, Town


def uid(meeting: Meeting) -> str:
    """Stable for the meeting's life, unique across towns and the activity feeds."""
    return f"meeting-{meeting.pk}@{meeting.town.slug}.gongzhi"


def build_calendar(request, meetings, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Gongzhi//Meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now().astimezone(UTC)
    names = names_by_meeting(meeting.pk for meeting in meetings)
    for meeting in meetings:
        event = Event()
        event.add("uid", uid(meeting))
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at.astimezone(UTC))
        event.add("dtend", meeting.ends_at.astimezone(UTC))
        event.add("summary", public_text(meeting.title, names.get(meeting.pk, [])))
        place = meeting.venue
        if meeting.area:
            place = f"{meeting.venue}, {meeting.area.name}"
        event.add("location", f"{place}, {meeting.town.name}")
        event.add("description", str(meeting.get_kind_display()))
        event.add("categories", [str(meeting.get_kind_display())])
        event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
        event.add("last-modified", meeting.updated_at.astimezone(UTC))
        event.add("created", meeting.created_at.astimezone(UTC))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def _feed(request, meetings, *, name: str, filename: str) -> HttpResponse:
    meetings = list(feed_window(meetings))
    return calendar_response(build_calendar(request, meetings, name=name), filename)


def town_meetings(request, town_slug):
    """Every public meeting of the town."""
    town = get_object_or_404(Town, slug=town_slug)
    return _feed(
        request,
        Meeting.objects.filter(town=town),
        name=_("Meetings · %(place)s") % {"place": town.name},
        filename=f"{town.slug}-meetings.ics",
    )


def area_meetings(request, town_slug, area_pk):
    """The area's public meetings and the town-wide ones, which concern its residents
    too (like the area's activity feed)."""
    area = get_object_or_404(
        ResidentialArea.objects.select_related("town"), pk=area_pk, town__slug=town_slug
    )
    return _feed(
        request,
        Meeting.objects.filter(Q(area=area) | Q(area__isnull=True), town=area.town),
        name=_("Meetings · %(place)s") % {"place": f"{area.name} · {area.town.name}"},
        filename=f"{area.town.slug}-area-{area.pk}-meetings.ics",
    )
