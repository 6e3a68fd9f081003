"""The person's activities on their 我的 page (core/mine.py): the ones they signed up
for that are still to come, with where, when and when check-in opens, and the ones
they attended, with the volunteer hours counted for each."""

from collections import Counter

from django.urls import reverse
from django.utils import timezone

from gongzhi.core.mine import MINE_LIMIT, home_town_slug, register_mine

from . import hours
from .models import ActivityKind, ActivityStatus, Attendance, Registration, RegistrationStatus
from .services import checkin_window


def mine_context(user) -> dict:
    now = timezone.now()
    # Soonest first: the next activity is the one the person needs to find.
    upcoming = list(
        Registration.objects.filter(
            user=user,
            status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED],
            activity__status=ActivityStatus.PUBLISHED,
            activity__ends_at__gte=now,
        )
        .select_related("activity__town")
        .order_by("activity__starts_at", "pk")[:MINE_LIMIT]
    )
    for registration in upcoming:
        # The same window the check-in services and the QR screen use.
        registration.check_in = checkin_window(registration.activity, now=now)
    attended = list(
        Attendance.objects.filter(user=user)
        .select_related("activity__town")
        .order_by("-activity__starts_at", "-pk")[:MINE_LIMIT]
    )
    # Each activity's hours as the service record counts them: checked-in time plus
    # hours added by hand and approved (a volunteer not checked out has only those).
    lines, total_minutes = hours.service_record(user)
    minutes = Counter()
    for line in lines:
        minutes[line.activity.pk] += line.minutes
    for attendance in attended:
        attendance.counts_hours = attendance.activity.kind == ActivityKind.VOLUNTEER_SERVICE
        attendance.hours = round(minutes[attendance.activity_id] / 60, 2)
    slug = home_town_slug(user)
    return {
        "upcoming": upcoming,
        "attended": attended,
        "total_hours": round(total_minutes / 60, 2),
        "browse_url": (
            reverse("events:activity_list", args=[slug]) if slug else reverse("places:home")
        ),
    }


register_mine(key="events", order=10, template="events/mine.html", context=mine_context)
