"""The ledgers bundle (台账汇总): every ledger of a town in one Excel workbook, one
sheet each — partners, activities, meetings, proposals, projects and volunteer hours
(DOMAIN.md "Ledgers and reports").

Meetings, proposals and projects come from their capabilities' ledgers; the partner
roster reuses the talent pool's columns and queryset; the activity and volunteer-hours
ledgers are written here, reading the events records. Each sheet streams its rows
from the database in chunks into a write-only sheet, and the workbook is built in a
temporary file and streamed from there (gongzhi.core.ledgers), so the memory an
export needs stays bounded at district scale. Every ledger scopes its rows with
``within_scope``: area staff get only their own areas' rows.
"""

from datetime import date, datetime

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.ledgers import LIST_SEPARATOR, Column, Ledger, ledger_title, wall_clock
from gongzhi.core.scope import within_scope
from gongzhi.core.templatetags.money import format_money
from gongzhi.events.hours import attended_minutes
from gongzhi.events.models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityPhoto,
    ActivityStatus,
    Attendance,
    ClaimStatus,
    HoursClaim,
    MarketStall,
    Registration,
    WalkInCount,
)
from gongzhi.meetings.ledgers import meeting_ledger
from gongzhi.partners import ledgers as roster
from gongzhi.partners.models import Partner
from gongzhi.proposals.ledgers import proposal_ledger
from gongzhi.renewal.ledgers import project_ledger

# Rows are read from the database this many at a time: memory stays bounded.
CHUNK_SIZE = 500

# The sheets, in the workbook's order; the audit event names them so.
SHEETS = ["partners", "activities", "meetings", "proposals", "projects", "volunteer_hours"]


def _year_bounds(year: int):
    """The first moments of ``year`` and of the next, in the local time zone."""
    start = timezone.make_aware(datetime(year, 1, 1))
    return start, timezone.make_aware(datetime(year + 1, 1, 1))


# --- Partners -----------------------------------------------------------------------


def ledger_partners(*, town, user, year: int | None = None):
    """The roster's partners (``roster_partners``: the town for its secretariat, their
    own areas for area staff); with ``year``, those who had joined by its end."""
    partners = roster.roster_partners(town=town, user=user)
    if year is not None:
        partners = partners.filter(joined_on__lte=date(year, 12, 31))
    return partners


def partner_ledger(*, town, user, year: int | None = None) -> Ledger:
    """The partner roster (``roster_ledger``) as a sheet of the bundle."""
    return roster.roster_ledger(
        ledger_partners(town=town, user=user, year=year),
        title=ledger_title(
            _("%(town)s community partner roster, %(year)d"),
            _("%(town)s community partner roster, exported %(date)s"),
            town=town,
            year=year,
        ),
        chunk_size=CHUNK_SIZE,
    )


# --- Activities ---------------------------------------------------------------------


def _count(queryset, expression):
    """A correlated subquery counting ``queryset`` rows per activity (0 when none):
    one subquery per figure, so no join multiplies another's rows."""
    return Coalesce(
        Subquery(
            queryset.filter(activity=OuterRef("pk"))
            .order_by()
            .values("activity")
            .annotate(n=expression)
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def ledger_activities(*, town, user, year: int | None = None):
    """The published activities of the user's scope (town-wide ones for the town's
    staff), those starting in ``year``, with their figures counted from records:
    person-times (人次) = attendances + walk-in head counts; people (人数) = distinct
    named persons."""
    activities = within_scope(
        Activity.objects.filter(town=town, status=ActivityStatus.PUBLISHED), user, town
    )
    if year is not None:
        start, end = _year_bounds(year)
        activities = activities.filter(starts_at__gte=start, starts_at__lt=end)
    raised = Subquery(
        MarketStall.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(total=Sum("raised_amount"))
        .values("total")[:1],
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    return (
        activities.select_related("area", "organiser")
        .annotate(
            ledger_registered=_count(Registration.objects.filter(status="registered"), Count("pk")),
            ledger_attendances=_count(Attendance.objects.all(), Count("pk")),
            ledger_people=_count(Attendance.objects.all(), Count("user", distinct=True)),
            ledger_walk_ins=_count(WalkInCount.objects.all(), Sum("count")),
            ledger_partners=_count(ActivityPartner.objects.all(), Count("pk")),
            ledger_photos=_count(ActivityPhoto.objects.all(), Count("pk")),
            ledger_raised=raised,
        )
        .prefetch_related(Prefetch("world_cafe__themes"))
        .order_by("starts_at", "pk")
    )


def _effect(activity) -> str:
    """What the activity produced, as far as records say: a World Café's harvest
    themes, a charity market's takings."""
    parts = []
    cafe = getattr(activity, "world_cafe", None)  # None when the activity has none
    if cafe is not None:
        themes = [theme.title for theme in cafe.themes.all()]
        if themes:
            parts.append(_("Harvest: %(themes)s") % {"themes": LIST_SEPARATOR.join(themes)})
    if activity.kind == ActivityKind.CHARITY_MARKET and activity.ledger_raised:
        parts.append(_("Raised %(amount)s yuan") % {"amount": format_money(activity.ledger_raised)})
    return "；".join(parts)


def activity_ledger(*, town, user, year: int | None = None) -> Ledger:
    """The activity ledger (活动台账): kind, date, place, 人数/人次 and effect."""
    columns = [
        Column(pgettext_lazy("ledger column", "No."), 6),
        Column(pgettext_lazy("ledger column", "Date"), 17),
        Column(pgettext_lazy("ledger column", "Kind"), 14),
        Column(pgettext_lazy("ledger column", "Title"), 28),
        Column(pgettext_lazy("ledger column", "Residential area"), 16),
        Column(pgettext_lazy("ledger column", "Venue"), 18),
        Column(pgettext_lazy("ledger column", "Organising unit"), 16),
        Column(pgettext_lazy("ledger column", "Registered"), 8),
        Column(pgettext_lazy("ledger column", "People (人数)"), 10),
        Column(pgettext_lazy("ledger column", "Person-times (人次)"), 10),
        Column(pgettext_lazy("ledger column", "Of which counted at the door"), 10),
        Column(pgettext_lazy("ledger column", "Partners involved"), 8),
        Column(pgettext_lazy("ledger column", "Photos"), 8),
        Column(pgettext_lazy("ledger column", "Effect"), 40),
    ]

    def rows():
        activities = ledger_activities(town=town, user=user, year=year)
        for number, a in enumerate(activities.iterator(chunk_size=CHUNK_SIZE), start=1):
            yield [
                number,
                wall_clock(a.starts_at),
                a.get_kind_display(),
                a.title,
                a.area.name if a.area else _("Town-wide"),
                a.venue,
                a.organiser.name if a.organiser else "",
                a.ledger_registered,
                a.ledger_people,
                a.ledger_attendances + a.ledger_walk_ins,
                a.ledger_walk_ins,
                a.ledger_partners,
                a.ledger_photos,
                _effect(a),
            ]

    return Ledger(
        sheet_title=pgettext_lazy("sheet title", "Activity ledger"),
        title=ledger_title(
            _("%(town)s activity ledger, %(year)d"),
            _("%(town)s activity ledger, exported %(date)s"),
            town=town,
            year=year,
        ),
        columns=columns,
        rows=rows,
    )


# --- Volunteer hours ----------------------------------------------------------------


def _in_year(queryset, year: int | None):
    if year is None:
        return queryset
    start, end = _year_bounds(year)
    return queryset.filter(activity__starts_at__gte=start, activity__starts_at__lt=end)


def ledger_service_attendances(*, town, user, year: int | None = None):
    """Hours from check-in and check-out at volunteer service (events.hours): the
    checked-out attendances of the user's scope."""
    attendances = Attendance.objects.filter(
        activity__town=town,
        activity__kind=ActivityKind.VOLUNTEER_SERVICE,
        checked_out_at__isnull=False,
        user__isnull=False,
    )
    attendances = within_scope(attendances, user, town, area_field="activity__area_id")
    return _in_year(attendances, year)


def ledger_hours_claims(*, town, user, year: int | None = None):
    """Hours added by hand and approved by the organiser (events.hours)."""
    claims = HoursClaim.objects.filter(activity__town=town, status=ClaimStatus.APPROVED)
    claims = within_scope(claims, user, town, area_field="activity__area_id")
    return _in_year(claims, year)


def _with_partner(queryset, town):
    """Annotate ``partner_name``: the volunteer's name in the town's talent pool, if
    they are one of its community partners."""
    partner = Partner.objects.filter(town=town, user=OuterRef("user")).order_by("pk")
    return queryset.annotate(partner_name=Subquery(partner.values("name")[:1]))


def hours_ledger(*, town, user, year: int | None = None) -> Ledger:
    """The volunteer-hours ledger (志愿服务时长台账), for staff: one row per person and
    activity — first the hours from check-in and check-out (capped at the activity's
    length), then the manual hours the organiser approved (flagged as such)."""
    columns = [
        Column(pgettext_lazy("ledger column", "No."), 6),
        Column(pgettext_lazy("ledger column", "Date"), 17),
        Column(pgettext_lazy("ledger column", "Activity"), 28),
        Column(pgettext_lazy("ledger column", "Residential area"), 16),
        Column(pgettext_lazy("ledger column", "Volunteer"), 12),
        Column(pgettext_lazy("ledger column", "Community partner"), 10),
        Column(pgettext_lazy("ledger column", "Hours"), 8),
        Column(pgettext_lazy("ledger column", "Source"), 16),
        Column(pgettext_lazy("ledger column", "Approved by"), 12),
    ]
    related = ("activity__area", "user")

    def rows():
        number = 0
        attendances = _with_partner(
            ledger_service_attendances(town=town, user=user, year=year), town
        ).select_related(*related)
        for a in attendances.order_by("activity__starts_at", "pk").iterator(chunk_size=CHUNK_SIZE):
            minutes = attended_minutes(a)  # capped at the activity's length
            if not minutes:
                continue
            number += 1
            yield [
                number,
                wall_clock(a.activity.starts_at),
                a.activity.title,
                a.activity.area.name if a.activity.area else _("Town-wide"),
                a.user.display_name,
                a.partner_name or "",
                round(minutes / 60, 2),
                _("Check-in and check-out"),
                "",
            ]
        claims = _with_partner(
            ledger_hours_claims(town=town, user=user, year=year), town
        ).select_related(*related, "decided_by")
        for c in claims.order_by("activity__starts_at", "pk").iterator(chunk_size=CHUNK_SIZE):
            number += 1
            yield [
                number,
                wall_clock(c.activity.starts_at),
                c.activity.title,
                c.activity.area.name if c.activity.area else _("Town-wide"),
                c.user.display_name,
                c.partner_name or "",
                c.hours,
                _("Added by hand: %(reason)s") % {"reason": c.reason},
                c.decided_by.display_name if c.decided_by else "",
            ]

    return Ledger(
        sheet_title=pgettext_lazy("sheet title", "Volunteer hours"),
        title=ledger_title(
            _("%(town)s volunteer hours, %(year)d"),
            _("%(town)s volunteer hours, exported %(date)s"),
            town=town,
            year=year,
        ),
        columns=columns,
        rows=rows,
    )


# --- The bundle ---------------------------------------------------------------------


def bundle(*, town, user, year: int | None = None) -> list[Ledger]:
    """Every ledger of ``town`` as ``user`` may see it, in the order of SHEETS."""
    return [
        partner_ledger(town=town, user=user, year=year),
        activity_ledger(town=town, user=user, year=year),
        meeting_ledger(town=town, user=user, year=year),
        proposal_ledger(town=town, user=user, year=year),
        project_ledger(town=town, user=user, year=year),
        hours_ledger(town=town, user=user, year=year),
    ]


def bundle_filename(town, year: int | None) -> tuple[str, str]:
    """The download's name and its ASCII fallback."""
    when = str(year) if year else timezone.localdate().isoformat()
    name = _("Ledgers")
    return f"{name}-{town.name}-{when}.xlsx", f"ledgers-{town.slug}-{when}.xlsx"
