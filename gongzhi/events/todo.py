"""What events adds to staff's 待办 (core/todo.py): volunteer hours added by hand that
wait for approval before they count. A town-wide activity (no area) is the
secretariat's; the row names the activity and the minutes, not the volunteer."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gongzhi.core.todo import place_of, todo_section

from .models import ClaimStatus, HoursClaim


def pending_claims(todo):
    claims = HoursClaim.objects.filter(status=ClaimStatus.PENDING)
    return (
        todo.narrow(claims, through="activity")
        .select_related("activity__town", "activity__area")
        .order_by("created_at", "pk")
    )


@todo_section("events.hours", 40, gettext_lazy("Volunteer hours to approve"), pending_claims)
def claim_row(claim):
    activity = claim.activity
    return {
        "url": reverse("events:roster", args=[activity.town.slug, activity.pk]),
        "title": ngettext(
            "%(minutes)s minute of volunteer hours at “%(activity)s”",
            "%(minutes)s minutes of volunteer hours at “%(activity)s”",
            claim.minutes,
        )
        % {"minutes": claim.minutes, "activity": activity.title},
        "detail": _("%(area)s · %(date)s")
        % {"area": place_of(activity), "date": timezone.localdate(activity.starts_at).isoformat()},
    }
