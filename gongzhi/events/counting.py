"""Participation figures, counted from records (DOMAIN.md "Attendance").

person_times (人次): attendance records + walk-in head counts.
people (人数): distinct named persons who attended.

``participation`` gives the totals over a set of activities; the ``by_*`` functions
break them down per area, organising unit, month, age band and partner. ``held`` says
which activities the dashboard counts for a period.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Least, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongzhi.core.counting import Span, Tally, added, in_area, per, per_month, tally

from .models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Attendance,
    ClaimStatus,
    HoursClaim,
    WalkInCount,
)
from .services import OPENS_BEFORE


@dataclass(frozen=True)
class Participation:
    person_times: int
    people: int
    named_attendances: int
    walk_ins: int


def participation(activities) -> Participation:
    """Figures over a queryset of activities (one, an area's, a period's ...)."""
    named = Attendance.objects.filter(activity__in=activities).aggregate(
        n=Count("pk"), people=Count("user", distinct=True)
    )
    walk_ins = (
        WalkInCount.objects.filter(activity__in=activities).aggregate(n=Sum("count"))["n"] or 0
    )
    return Participation(
        person_times=named["n"] + walk_ins,
        people=named["people"],
        named_attendances=named["n"],
        walk_ins=walk_ins,
    )


# --- The dashboard's activity figures (reports/figures.py) ------------------------------


def held(town, period: Span, area=None):
    """Published activities (not drafts, not cancelled) that started in the period, up
    to now: what has happened or is under way (check-in open), not what is planned."""
    return Activity.objects.filter(
        town=town,
        status=ActivityStatus.PUBLISHED,
        starts_at__gte=period.first_moment,
        starts_at__lt=period.after_moment,
        starts_at__lte=timezone.now() + OPENS_BEFORE,
        **in_area(area),
    )


def by_kind(activities, *, areas: bool) -> Tally:
    """``activities`` by kind and by month of their start; if ``areas``, also by area
    (town-wide activities count for the town only). Two or three queries."""
    return tally(activities, "kind", month="starts_at", areas=areas)


def person_times_split(activities, *, areas: bool) -> tuple[dict, dict]:
    """Person-times of ``activities`` (attendances plus walk-in head counts) by month
    of the activity's start and, if ``areas``, by the activity's area: ({"YYYY-MM": n},
    {area pk: n}). Two or four queries."""
    attendances = Attendance.objects.filter(activity__in=activities)
    walk_ins = WalkInCount.objects.filter(activity__in=activities)
    months = added(
        per_month(attendances, "activity__starts_at"),
        per_month(walk_ins, "activity__starts_at", Sum("count")),
    )
    if not areas:
        return months, {}
    return months, added(
        per(attendances, "activity__area"), per(walk_ins, "activity__area", Sum("count"))
    )


def volunteer_minutes(activities) -> float:
    """Minutes from check-in to check-out at the volunteer-service activities among
    ``activities`` (each capped at the activity's length), plus the manual additions
    the organiser approved at any of ``activities``. Two queries."""
    service = Attendance.objects.filter(
        activity__in=activities.filter(kind=ActivityKind.VOLUNTEER_SERVICE),
        checked_out_at__isnull=False,
    ).aggregate(
        total=Sum(
            Least(
                F("checked_out_at") - F("checked_in_at"),
                F("activity__ends_at") - F("activity__starts_at"),
                output_field=DurationField(),
            ),
            output_field=DurationField(),
        )
    )["total"]
    manual = (
        HoursClaim.objects.filter(activity__in=activities, status=ClaimStatus.APPROVED).aggregate(
            n=Sum("minutes")
        )["n"]
        or 0
    )
    return (service.total_seconds() / 60 if service else 0) + manual


# --- Breakdowns ----------------------------------------------------------------------
# Each takes a queryset of activities and returns rows (largest first, or in time
# order for months) computed by the database in a fixed number of queries, whatever
# the number of activities or rows.


@dataclass
class Row:
    """One line of a breakdown. ``key`` identifies the group (an area's pk, a month's
    first day, an age band); ``label`` is what to show. ``people`` is None where
    distinct persons cannot be counted (walk-ins have no names)."""

    key: object
    label: str
    person_times: int
    people: int | None
    named_attendances: int = 0
    walk_ins: int = 0


def _grouped(activities, key: str) -> dict:
    """{group value: [named attendances, people, walk-ins]} for activity field ``key``
    (a field of Activity or an expression on it, named from Attendance/WalkInCount
    through ``activity``). Two queries."""
    groups: dict = {}
    named = (
        Attendance.objects.filter(activity__in=activities)
        .values(group=_on_activity(key))
        .annotate(n=Count("pk"), people=Count("user", distinct=True))
        .order_by()
    )
    for row in named:
        groups[row["group"]] = [row["n"], row["people"], 0]
    walk_ins = (
        WalkInCount.objects.filter(activity__in=activities)
        .values(group=_on_activity(key))
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in walk_ins:
        groups.setdefault(row["group"], [0, 0, 0])[2] = row["n"]
    return groups


def _on_activity(key):
    if isinstance(key, str):
        return F(f"activity__{key}")
    return key


def _rows(groups: dict, labels: dict, *, none_label: str) -> list[Row]:
    rows = [
        Row(
            key=key,
            label=labels.get(key, none_label) if key is not None else none_label,
            person_times=n + walk_ins,
            people=people,
            named_attendances=n,
            walk_ins=walk_ins,
        )
        for key, (n, people, walk_ins) in groups.items()
    ]
    rows.sort(key=lambda row: (-row.person_times, -(row.people or 0), row.label))
    return rows


def by_activity(activities):
    """The activities themselves, each with person_times and people (with_counts)."""
    return activities.with_counts()


def by_area(activities) -> list[Row]:
    """Per residential area; town-wide activities form one row (key None). 3 queries."""
    from gongzhi.places.models import ResidentialArea

    groups = _grouped(activities, "area")
    labels = dict(
        ResidentialArea.objects.filter(pk__in=[k for k in groups if k]).values_list("pk", "name")
    )
    return _rows(groups, labels, none_label=_("Town-wide"))


def by_unit(activities) -> list[Row]:
    """Per organising unit (1+5+n); activities without one form one row. 3 queries."""
    from gongzhi.organisations.models import OrgUnit

    groups = _grouped(activities, "organiser")
    labels = dict(OrgUnit.objects.filter(pk__in=[k for k in groups if k]).values_list("pk", "name"))
    return _rows(groups, labels, none_label=_("No organising unit"))


def by_month(activities) -> list[Row]:
    """Per calendar month of the start (local time), in time order. 2 queries."""
    groups = _grouped(activities, TruncMonth("activity__starts_at"))
    rows = [
        Row(
            key=month,
            label=date_format(month, "YEAR_MONTH_FORMAT"),
            person_times=n + walk_ins,
            people=people,
            named_attendances=n,
            walk_ins=walk_ins,
        )
        for month, (n, people, walk_ins) in groups.items()
    ]
    return sorted(rows, key=lambda row: row.key)


NOT_STATED = "not_stated"
WALK_INS = "walk_ins"


def by_age_band(activities) -> list[Row]:
    """Per age band, counting a person's band only while they consent to its use for
    statistics (ConsentKind.AGE_BAND); everyone else is "not stated". Walk-ins have
    no age and form their own row (person-times only). 2 queries."""
    from gongzhi.accounts.models import AgeBand, ConsentKind, ConsentRecord

    consented = ConsentRecord.objects.active().filter(
        user=OuterRef("user"), kind=ConsentKind.AGE_BAND
    )
    named = (
        Attendance.objects.filter(activity__in=activities)
        .annotate(
            band=Case(
                When(Exists(consented) & ~Q(user__age_band=""), then=F("user__age_band")),
                default=Value(NOT_STATED),
            )
        )
        .values("band")
        .annotate(n=Count("pk"), people=Count("user", distinct=True))
        .order_by()
    )
    found = {row["band"]: row for row in named}
    rows = [
        Row(
            key=band,
            label=str(label),
            person_times=found[band]["n"],
            people=found[band]["people"],
            named_attendances=found[band]["n"],
        )
        for band, label in [*AgeBand.choices, (NOT_STATED, _("Not stated"))]
        if band in found
    ]
    walk_ins = (
        WalkInCount.objects.filter(activity__in=activities).aggregate(n=Sum("count"))["n"] or 0
    )
    if walk_ins:
        rows.append(
            Row(
                key=WALK_INS,
                label=_("Counted at the door without names"),
                person_times=walk_ins,
                people=None,
                walk_ins=walk_ins,
            )
        )
    return rows


@dataclass
class PartnerRow:
    partner: object  # partners.Partner
    person_times: int


def by_partner(activities, *, town) -> list[PartnerRow]:
    """The town's community partners who took part, by their attendances: each row is
    one person, so its people figure is 1 and the rows count the partners. 1 query."""
    from gongzhi.partners.models import Partner

    partners = (
        Partner.objects.filter(town=town)
        .annotate(
            person_times=Count(
                "user__attendances", filter=Q(user__attendances__activity__in=activities)
            )
        )
        .filter(person_times__gt=0)
        .select_related("area")
        .order_by("-person_times", "name", "pk")
    )
    return [PartnerRow(partner=p, person_times=p.person_times) for p in partners]
