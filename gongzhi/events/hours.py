"""Volunteer hours (志愿服务时长): from check-in and check-out at volunteer service,
plus manual additions that are flagged, capped at the activity's length and approved
by the organiser (DOMAIN.md "Attendance and volunteer hours").

The service functions for hours live here rather than in services.py to keep the
hours rules, their writes and their queries together in one readable place.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.services import notify, record_event

from .models import Activity, ActivityKind, Attendance, ClaimStatus, HoursClaim


def activity_minutes(activity: Activity) -> int:
    return int((activity.ends_at - activity.starts_at).total_seconds() // 60)


def attended_minutes(attendance: Attendance) -> int:
    """Checked-in time, capped at the activity's length; 0 until checked out."""
    if attendance.checked_out_at is None:
        return 0
    minutes = int((attendance.checked_out_at - attendance.checked_in_at).total_seconds() // 60)
    return max(0, min(minutes, activity_minutes(attendance.activity)))


@transaction.atomic
def claim_hours(*, activity: Activity, user, minutes: int, reason: str) -> HoursClaim:
    """Ask the organiser to add hours by hand; only someone who took part may ask,
    and never for more than the activity lasted."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say what the hours were for."))
    if minutes <= 0:
        raise DomainError(_("Claim at least one minute."))
    attendance = Attendance.objects.filter(activity=activity, user=user).first()
    if attendance is None:
        raise DomainError(_("Only people checked in at this activity can add hours to it."))
    already = attended_minutes(attendance) + sum(
        activity.hours_claims.filter(user=user, status=ClaimStatus.APPROVED).values_list(
            "minutes", flat=True
        )
    )
    cap = activity_minutes(activity)
    if already + minutes > cap:
        raise DomainError(
            _("At most %(cap)d minutes in all for this activity; %(already)d are counted already.")
            % {"cap": cap, "already": already}
        )
    try:
        with transaction.atomic():
            claim = HoursClaim.objects.create(
                activity=activity, user=user, minutes=minutes, reason=reason
            )
    except IntegrityError as exc:
        raise DomainError(_("You already have a request waiting for this activity.")) from exc
    return claim


@transaction.atomic
def decide_claim(*, claim: HoursClaim, actor, approve: bool) -> HoursClaim:
    """The organiser certifies (or refuses) manual hours; audited, and the person is told."""
    require_perm(actor, "events.manage_activity", claim.activity)
    claim = HoursClaim.objects.select_for_update().select_related("activity").get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise DomainError(_("This request was already decided."))
    if approve:
        attendance = Attendance.objects.filter(activity=claim.activity, user=claim.user).first()
        counted = (attendance and attended_minutes(attendance)) or 0
        approved = sum(
            claim.activity.hours_claims.filter(
                user=claim.user, status=ClaimStatus.APPROVED
            ).values_list("minutes", flat=True)
        )
        if counted + approved + claim.minutes > activity_minutes(claim.activity):
            raise DomainError(_("Approving this would count more time than the activity lasted."))
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    record_event(
        actor=actor,
        verb="hours.approve" if approve else "hours.reject",
        target=claim,
        after={"minutes": claim.minutes, "user": claim.user_id},
    )
    notify(
        user=claim.user,
        kind="events.hours_approved" if approve else "events.hours_rejected",
        params={"minutes": claim.minutes, "title": claim.activity.title},
        url=claim.activity.get_absolute_url(),
    )
    return claim


@dataclass
class ServiceLine:
    activity: Activity
    minutes: int
    manual: bool

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


def service_record(user, *, year: int | None = None) -> tuple[list[ServiceLine], int]:
    """A person's volunteer service, line by line, and the total in minutes."""
    # Each line links to its activity, whose address holds its town's slug: fetch the
    # town with it (one query per line otherwise).
    attendances = Attendance.objects.filter(
        user=user, activity__kind=ActivityKind.VOLUNTEER_SERVICE, checked_out_at__isnull=False
    ).select_related("activity__town")
    claims = HoursClaim.objects.filter(user=user, status=ClaimStatus.APPROVED).select_related(
        "activity__town"
    )
    if year is not None:
        start, end = date(year, 1, 1), date(year + 1, 1, 1)
        attendances = attendances.filter(
            activity__starts_at__date__gte=start, activity__starts_at__date__lt=end
        )
        claims = claims.filter(
            activity__starts_at__date__gte=start, activity__starts_at__date__lt=end
        )
    lines = [ServiceLine(a.activity, attended_minutes(a), False) for a in attendances]
    lines += [ServiceLine(c.activity, c.minutes, True) for c in claims]
    lines = [line for line in lines if line.minutes > 0]
    lines.sort(key=lambda line: (line.activity.starts_at, line.manual))
    return lines, sum(line.minutes for line in lines)
