"""The person's activities on their 我的 page (core/mine.py): the ones they signed up
for that are still to come, with where, when and when check-in opens, and the ones
they attended, with the volunteer hours counted for each. For a partner's section
(partners/mine.py), the coming activities they could help run and the activity each
of their commitments is for."""

from collections import Counter
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.mine import MINE_LIMIT, home_town_slug, register_mine, town_page
from gongzhi.partners.matching import UPCOMING_DAYS, Need
from gongzhi.partners.mine import Opening, register_commitment_links, register_openings

from . import hours
from .formats import HOST_MODES
from .models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    Attendance,
    Registration,
    RegistrationStatus,
)
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
        "browse_url": town_page("events:activity_list", slug),
    }


register_mine(key="events", order=10, template="events/mine.html", context=mine_context)


# --- For a partner's 我的 (partners/mine.py) ------------------------------------------

# How many coming activities of their town a partner's suggestions weigh.
OPENINGS_WEIGHED = 20


def activity_openings(partners, now) -> list:
    """Coming published activities of the partners' towns, within matching's horizon,
    that they are not on yet: hosts, helpers and speakers are found by the need
    ``formats.host_need`` describes (its nearby areas are read from the partner's side
    by partners/mine.py, so no query per activity)."""
    activities = (
        Activity.objects.filter(
            town_id__in={p.town_id for p in partners},
            status=ActivityStatus.PUBLISHED,
            starts_at__gt=now,
            starts_at__lt=now + timedelta(days=UPCOMING_DAYS),
        )
        .exclude(partners__partner__in=partners)
        .select_related("town")
        .order_by("starts_at", "pk")[:OPENINGS_WEIGHED]
    )
    return [
        Opening(
            need=Need(
                town_id=activity.town_id,
                modes=list(HOST_MODES),
                area_id=activity.area_id,
                at=activity.starts_at,
                until=activity.ends_at,
            ),
            title=_("Help run “%(activity)s”") % {"activity": activity.title},
            url=activity.get_absolute_url(),
            at=activity.starts_at,
        )
        for activity in activities
    ]


def commitment_links(commitment_ids) -> dict:
    """The activity each commitment books its partner for (formats.py writes one per
    partner put on an activity)."""
    return {
        involved.commitment_id: involved.activity.get_absolute_url()
        for involved in ActivityPartner.objects.filter(
            commitment_id__in=commitment_ids
        ).select_related("activity__town")
    }


register_openings("events", activity_openings)
register_commitment_links("events", commitment_links)
