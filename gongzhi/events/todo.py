"""What events adds to staff's 待办 (core/todo.py): volunteer hours added by hand that
wait for approval before they count. A town-wide activity (no area) is the
secretariat's; the row names the activity and the minutes, not the volunteer."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gongzhi.core.todo import register_todo

from .models import ClaimStatus, HoursClaim


def pending_claims(todo):
    return todo.narrow(
        HoursClaim.objects.filter(status=ClaimStatus.PENDING),
        town_field="activity__town_id",
        area_field="activity__area_id",
    )


def claim_rows(todo, limit):
    claims = (
        pending_claims(todo)
        .select_related("activity__town", "activity__area")
        .order_by("created_at", "pk")
    )
    rows = []
    for claim in claims[:limit]:
        activity = claim.activity
        rows.append(
            {
                "url": reverse("events:roster", args=[activity.town.slug, activity.pk]),
                "title": ngettext(
                    "%(minutes)s minute of volunteer hours at “%(activity)s”",
                    "%(minutes)s minutes of volunteer hours at “%(activity)s”",
                    claim.minutes,
                )
                % {"minutes": claim.minutes, "activity": activity.title},
                "detail": _("%(area)s · %(date)s")
                % {
                    "area": activity.area.name if activity.area else activity.town.name,
                    "date": timezone.localdate(activity.starts_at).isoformat(),
                },
            }
        )
    return rows


register_todo(
    key="events.hours",
    order=40,
    title=gettext_lazy("Volunteer hours to approve"),
    count=pending_claims,
    rows=claim_rows,
)
