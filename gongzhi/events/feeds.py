"""iCalendar (RFC 5545) feeds of a town's public activities, and of one area's.

A calendar app subscribes to the address and polls it; each activity keeps its UID,
so an edited activity replaces the old entry rather than adding a second one. Times
are in UTC, which every client converts to its own zone (no VTIMEZONE needed).
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from gongzhi.places.models import ResidentialArea, Town

from .models import Activity

# From a month back (so that this week's past activities stay visible) onwards,
# and at most this many: a feed is polled often and must stay small.
FEED_PAST = timedelta(days=30)
FEED_LIMIT = 500
# Calendar apps poll; let caches between answer for a while.
FEED_MAX_AGE = 15 * 60


def uid(activity: Activity) -> str:
    """Stable for the activity's life, unique across towns and deployments' feeds."""
    return f"activity-{activity.pk}@{activity.town.slug}.gongzhi"


def build_calendar(request, activities, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Gongzhi//Participation//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now().astimezone(UTC)
    for activity in activities:
        event = Event()
        event.add("uid", uid(activity))
        event.add("dtstamp", now)
        event.add("dtstart", activity.starts_at.astimezone(UTC))
        event.add("dtend", activity.ends_at.astimezone(UTC))
        event.add("summary", activity.title)
        place = activity.venue
        if activity.area:
            place = f"{activity.venue}, {activity.area.name}"
        event.add("location", f"{place}, {activity.town.name}")
        description = [activity.get_kind_display()]
        if activity.description:
            description.append(activity.description)
        event.add("description", "\n\n".join(description))
        event.add("url", request.build_absolute_uri(activity.get_absolute_url()))
        event.add("last-modified", activity.updated_at.astimezone(UTC))
        event.add("created", activity.created_at.astimezone(UTC))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def feed_window(queryset):
    """The rows a feed carries: public ones that ended at most FEED_PAST ago, in time
    order, at most FEED_LIMIT (the meetings feed uses it too)."""
    since = timezone.now() - FEED_PAST
    return (
        queryset.public()
        .filter(ends_at__gte=since)
        .select_related("town", "area")
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )


def calendar_response(ical: bytes, filename: str) -> HttpResponse:
    """An iCalendar answer that calendar apps may cache for FEED_MAX_AGE."""
    response = HttpResponse(ical, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


def _feed(request, activities, *, name: str, filename: str) -> HttpResponse:
    return calendar_response(build_calendar(request, feed_window(activities), name=name), filename)


def town_feed(request, town_slug):
    """Every public activity of the town."""
    town = get_object_or_404(Town, slug=town_slug)
    return _feed(
        request,
        Activity.objects.filter(town=town),
        name=_("Activities · %(place)s") % {"place": town.name},
        filename=f"{town.slug}-activities.ics",
    )


def area_feed(request, town_slug, area_pk):
    """The area's public activities and the town-wide ones, which are open to its
    residents too."""
    area = get_object_or_404(
        ResidentialArea.objects.select_related("town"), pk=area_pk, town__slug=town_slug
    )
    return _feed(
        request,
        Activity.objects.filter(Q(area=area) | Q(area__isnull=True), town=area.town),
        name=_("Activities · %(place)s") % {"place": f"{area.name} · {area.town.name}"},
        filename=f"{area.town.slug}-area-{area.pk}-activities.ics",
    )
