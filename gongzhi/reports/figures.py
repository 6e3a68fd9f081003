"""The programme's figures (PROGRAMME.md "Results reported for 2023"), counted from records.

``compute(town=..., period=..., area=None)`` gives every figure of the dashboard, the
annual report and the statistics API for a town (or one residential area) over a
period: each with its value, its unit, its counting rule in words and the address of
the list of records behind it, plus breakdowns by month, by area and by age band.

No caching: figures are always counted from the records when asked for, so they are
right after every write (a test changes a record and sees the figure change). The
count runs in a fixed number of grouped queries (``values().annotate()``, months
with ``TruncMonth``), whatever the number of areas, months or records.

Contract (read by the reports pages and the API):

    Period(start, end)            inclusive dates; Period.of_year(y); .label; .year
    parse_period(*, year=None, start=None, end=None) -> Period   (DomainError on bad input)
    Part(key, label, value, url)  one line of a breakdown
    Figure(key, label, value, unit, rule, url, parts)
    Figures(town, area, period, figures: dict[str, Figure], months, areas, age_bands)
    compute(*, town, period, area=None) -> Figures

Personal data: only counts and averages leave this module; no names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DurationField, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Least, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core.errors import DomainError

FIRST_YEAR = 2000

# Figure keys, in the order the dashboard shows them.
KEYS = [
    "areas_served",
    "partners",
    "party_members",
    "activities",
    "projects",
    "projects_by_status",
    "person_times",
    "people",
    "proposals",
    "meetings",
    "processes",
    "volunteer_hours",
    "satisfaction",
    "gain",
]


# --- Periods -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A period of whole days, both ends included (local dates)."""

    start: date
    end: date

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def year(self) -> int | None:
        """The year when the period is exactly one calendar year, else None."""
        if (
            self.start.year == self.end.year
            and (self.start.month, self.start.day) == (1, 1)
            and (self.end.month, self.end.day) == (12, 31)
        ):
            return self.start.year
        return None

    @property
    def label(self) -> str:
        if self.year is not None:
            return str(self.year)
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @property
    def first_moment(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def after_moment(self) -> datetime:
        """The first moment after the period (exclusive upper bound)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def query(self) -> dict[str, str]:
        """The period as the list pages take it: ``year`` or ``from``/``to``."""
        if self.year is not None:
            return {"year": str(self.year)}
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    def month_starts(self) -> list[date]:
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + timedelta(days=32)).replace(day=1)
        return months


def _last_year() -> int:
    return timezone.localdate().year


def _year(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    else:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()):
            raise DomainError(_("Give the year as four digits, e.g. 2023."))
        year = int(text)
    if not FIRST_YEAR <= year <= _last_year():
        raise DomainError(
            _("There are no figures for %(year)s: choose a year from %(first)d to %(last)d.")
            % {"year": year, "first": FIRST_YEAR, "last": _last_year()}
        )
    return year


def _date(value, *, label: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise DomainError(
                _("%(field)s is not a date: give it as YYYY-MM-DD.") % {"field": label}
            ) from None
    if not date(FIRST_YEAR, 1, 1) <= day <= date(_last_year(), 12, 31):
        raise DomainError(
            _("%(field)s must fall between %(first)d and %(last)d.")
            % {"field": label, "first": FIRST_YEAR, "last": _last_year()}
        )
    return day


def parse_period(*, year=None, start=None, end=None) -> Period:
    """The period asked for: a year, or a start and/or end date (ISO strings or dates;
    a missing start is 1 January of the end's year, a missing end is today); nothing
    at all: the current year. Raises DomainError with a clear message on bad input."""
    if year not in (None, "") and (start not in (None, "") or end not in (None, "")):
        raise DomainError(_("Give either a year or a start and end date, not both."))
    if start in (None, "") and end in (None, ""):
        return Period.of_year(_last_year() if year in (None, "") else _year(year))
    last = _date(end, label=_("The end date")) if end not in (None, "") else timezone.localdate()
    first = (
        _date(start, label=_("The start date"))
        if start not in (None, "")
        else date(last.year, 1, 1)
    )
    if last < first:
        raise DomainError(_("The end of the period must not come before its start."))
    return Period(first, last)


# --- Results -------------------------------------------------------------------------


@dataclass
class Part:
    key: str
    label: str
    value: object
    url: str


@dataclass
class Figure:
    key: str
    label: str
    value: object
    unit: str
    rule: str
    url: str
    parts: list[Part] = field(default_factory=list)


@dataclass
class Figures:
    town: object
    area: object
    period: Period
    figures: dict[str, Figure]
    # One row a month of the period, zeros included, in time order:
    # {"month": "2023-01", "activities", "person_times", "proposals", "meetings"}.
    months: list[dict]
    # Only for the whole town: one row an area, in code order:
    # {"area": ResidentialArea, "person_times", "activities", "proposals", "meetings",
    #  "projects", "partners"}.
    areas: list[dict]
    # events.counting.by_age_band rows over the period's activities.
    age_bands: list

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]


def _url(name: str, town, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    path = reverse(name, args=[town.slug])
    return f"{path}?{urlencode(query)}" if query else path


def _month_key(value) -> str:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%Y-%m}"
    return f"{value:%Y-%m}"


def _grouped(queryset, key, **aggregates) -> dict:
    """{group value: {aggregate: value}} in one query."""
    rows = queryset.order_by().values(group=key).annotate(**aggregates)
    return {row.pop("group"): row for row in rows}


# --- The count -----------------------------------------------------------------------


def compute(*, town, period: Period, area=None) -> Figures:
    """Every figure for ``town`` (or its residential ``area``) over ``period``."""
    from gongzhi.events import counting
    from gongzhi.events.models import (
        Activity,
        ActivityKind,
        ActivityStatus,
        Attendance,
        ClaimStatus,
        HoursClaim,
        WalkInCount,
    )
    from gongzhi.events.services import OPENS_BEFORE
    from gongzhi.meetings.models import Attendee, Meeting, MeetingKind, MeetingStatus
    from gongzhi.partners.models import Mode, Partner, PartnerMode, PartnerStatus, PartyStatus
    from gongzhi.places.models import ResidentialArea
    from gongzhi.planning.models import (
        PlanningProcess,
        ProcessStatus,
        RunOutcome,
        StepRun,
        current_step_name,
        with_current_step,
    )
    from gongzhi.proposals.models import Proposal, ProposalStatus
    from gongzhi.renewal.models import Project, ProjectKind, ProjectStatus
    from gongzhi.renewal.satisfaction import overall_scores

    if area is not None and area.town_id != town.pk:
        raise DomainError(_("This residential area is not in this town."))
    first, after = period.first_moment, period.after_moment
    now = timezone.now()
    area_id = area.pk if area is not None else None
    in_area = {"area": area} if area is not None else {}
    area_param = str(area_id) if area_id else None
    figures: dict[str, Figure] = {}

    def add(key, label, value, unit, rule, url, parts=()):
        figures[key] = Figure(key, label, value, unit, rule, url, list(parts))

    # Town-wide records (no area) count for the town, never for one area.
    areas = list(ResidentialArea.objects.filter(town=town).order_by("code", "pk"))
    area_rows = {
        a.pk: {
            "area": a,
            "person_times": 0,
            "activities": 0,
            "proposals": 0,
            "meetings": 0,
            "projects": 0,
            "partners": 0,
        }
        for a in areas
    }
    month_rows = {
        f"{m:%Y-%m}": {
            "month": f"{m:%Y-%m}",
            "activities": 0,
            "person_times": 0,
            "proposals": 0,
            "meetings": 0,
        }
        for m in period.month_starts()
    }

    def fill_areas(groups: dict, column: str, aggregate: str = "n"):
        for key, row in groups.items():
            if key in area_rows:
                area_rows[key][column] = row[aggregate] or 0

    def fill_months(groups: dict, column: str, aggregate: str = "n"):
        for key, row in groups.items():
            if key is None:
                continue
            month = _month_key(key)
            if month in month_rows:
                month_rows[month][column] += row[aggregate] or 0

    # Partners ----------------------------------------------------------------------
    partners = Partner.objects.filter(
        town=town, status=PartnerStatus.ACTIVE, joined_on__lte=period.end, **in_area
    )
    by_area = _grouped(
        partners,
        F("area"),
        n=Count("pk"),
        party=Count("pk", filter=Q(party_status=PartyStatus.DUAL_REGISTERED)),
    )
    fill_areas(by_area, "partners")
    partner_total = sum(row["n"] for row in by_area.values())
    party_total = sum(row["party"] for row in by_area.values())
    add(
        "areas_served",
        _("Residential areas served"),
        sum(1 for row in by_area.values() if row["n"]),
        _("areas"),
        _(
            "Residential areas with at least one active community partner living there who "
            "joined on or before the last day of the period (partner cultivation)."
        ),
        _url("places:town", town) if area is None else area.get_absolute_url(),
    )
    by_mode = _grouped(
        PartnerMode.objects.filter(partner__in=partners),
        F("mode"),
        n=Count("partner", distinct=True),
    )
    add(
        "partners",
        _("Community partners"),
        partner_total,
        _("partners"),
        _(
            "Community partners whose status is active and who joined on or before the last "
            "day of the period. The records keep no date of leaving or pausing, so a partner "
            "who has left or paused is not counted in any period. By work mode: a partner with "
            "several modes counts once in each (primary and secondary modes)."
        ),
        _url("partners:directory", town, area=area_param),
        [
            Part(
                mode,
                str(label),
                by_mode.get(mode, {}).get("n", 0),
                _url("partners:directory", town, mode=mode, area=area_param),
            )
            for mode, label in Mode.choices
        ],
    )
    add(
        "party_members",
        _("Dual-registered party members"),
        party_total,
        _("partners"),
        _(
            "The community partners counted above who are dual-registered party members "
            "(registered at their workplace and in their residential community)."
        ),
        _url("partners:directory", town, party=PartyStatus.DUAL_REGISTERED.value, area=area_param),
    )

    # Activities and participation --------------------------------------------------
    activities = Activity.objects.filter(
        town=town,
        status=ActivityStatus.PUBLISHED,
        starts_at__gte=first,
        starts_at__lt=after,
        # What has happened or is under way (check-in open), not what is planned.
        starts_at__lte=now + OPENS_BEFORE,
        **in_area,
    )
    figures_url = _url("events:figures", town, area=area_param, **period.query())
    by_kind = _grouped(activities, F("kind"), n=Count("pk"))
    fill_months(_grouped(activities, TruncMonth("starts_at"), n=Count("pk")), "activities")
    if area is None:
        fill_areas(_grouped(activities, F("area"), n=Count("pk")), "activities")
    add(
        "activities",
        _("Activities"),
        sum(row["n"] for row in by_kind.values()),
        _("activities"),
        _(
            "Published activities (not drafts, not cancelled) that started in the period, up "
            "to now; town-wide activities count for the town only."
        ),
        figures_url + "#activities",
        [
            Part(
                kind,
                str(label),
                by_kind[kind]["n"],
                _url("events:activity_list", town, when="past", kind=kind),
            )
            for kind, label in ActivityKind.choices
            if kind in by_kind
        ],
    )
    total = counting.participation(activities)
    attendances = Attendance.objects.filter(activity__in=activities)
    walk_ins = WalkInCount.objects.filter(activity__in=activities)
    fill_months(
        _grouped(attendances, TruncMonth("activity__starts_at"), n=Count("pk")), "person_times"
    )
    fill_months(
        _grouped(walk_ins, TruncMonth("activity__starts_at"), n=Sum("count")), "person_times"
    )
    if area is None:
        for groups in (
            _grouped(attendances, F("activity__area"), n=Count("pk")),
            _grouped(walk_ins, F("activity__area"), n=Sum("count")),
        ):
            for key, row in groups.items():
                if key in area_rows:
                    area_rows[key]["person_times"] += row["n"] or 0

    meetings = Meeting.objects.filter(
        town=town, starts_at__gte=first, starts_at__lt=after, starts_at__lte=now, **in_area
    ).exclude(status=MeetingStatus.CANCELLED)
    present = Attendee.objects.filter(meeting__in=meetings, present=True).count()
    meetings_url = _url("meetings:meeting_list", town, area=area_param, **_meeting_period(period))
    add(
        "person_times",
        _("Person-times"),
        total.person_times,
        _("person-times"),
        _(
            "Attendances at the activities counted above: every check-in of a named person "
            "counts once per activity, plus the head counts of walk-ins taken at the door. "
            "People present at meetings are counted separately (the part “meetings "
            "(present)”) and are not included in this figure."
        ),
        figures_url,
        [
            Part("activities", _("Activities"), total.person_times, figures_url),
            Part("meetings_present", _("Meetings (present)"), present, meetings_url),
        ],
    )
    add(
        "people",
        pgettext("counting", "People"),
        total.people,
        _("people"),
        _(
            "Distinct named persons (accounts) who checked in to at least one of the "
            "activities counted above; walk-ins have no names and are not counted here."
        ),
        figures_url,
    )

    # Proposals -----------------------------------------------------------------------
    proposals = Proposal.objects.filter(
        town=town, created_at__gte=first, created_at__lt=after, **in_area
    )
    by_status = _grouped(proposals, F("status"), n=Count("pk"))
    fill_months(_grouped(proposals, TruncMonth("created_at"), n=Count("pk")), "proposals")
    if area is None:
        fill_areas(_grouped(proposals, F("area"), n=Count("pk")), "proposals")
    add(
        "proposals",
        _("Community planning proposals"),
        sum(row["n"] for row in by_status.values()),
        _("proposals"),
        _("Proposals submitted in the period, whatever became of them; by their status today."),
        _url("proposals:proposal_list", town, area=area_param),
        [
            Part(
                status,
                str(label),
                by_status[status]["n"],
                _url("proposals:proposal_list", town, status=status, area=area_param),
            )
            for status, label in ProposalStatus.choices
            if status in by_status
        ],
    )

    # Meetings ------------------------------------------------------------------------
    meeting_kinds = _grouped(meetings, F("kind"), n=Count("pk"))
    fill_months(_grouped(meetings, TruncMonth("starts_at"), n=Count("pk")), "meetings")
    if area is None:
        fill_areas(_grouped(meetings, F("area"), n=Count("pk")), "meetings")
    add(
        "meetings",
        _("Meetings"),
        sum(row["n"] for row in meeting_kinds.values()),
        _("meetings"),
        _(
            "Meetings of every kind (self-governance, joint, deliberation, hearings ...) that "
            "started in the period, up to now, and were not cancelled; town-wide meetings "
            "count for the town only."
        ),
        meetings_url,
        [
            Part(
                kind,
                str(label),
                meeting_kinds[kind]["n"],
                _url(
                    "meetings:meeting_list",
                    town,
                    kind=kind,
                    area=area_param,
                    **_meeting_period(period),
                ),
            )
            for kind, label in MeetingKind.choices
            if kind in meeting_kinds
        ],
    )

    # Micro-renewal projects ------------------------------------------------------------
    projects = Project.objects.filter(town=town, **in_area)
    completed = projects.filter(actual_end__gte=period.start, actual_end__lte=period.end)
    project_kinds = _grouped(completed, F("kind"), n=Count("pk"))
    if area is None:
        fill_areas(_grouped(completed, F("area"), n=Count("pk")), "projects")
    add(
        "projects",
        _("Micro-renewal projects built"),
        sum(row["n"] for row in project_kinds.values()),
        _("projects"),
        _("Micro-renewal projects completed in the period (their completion date)."),
        _url("renewal:project_list", town, area=area_param),
        [
            Part(
                kind,
                str(label),
                project_kinds[kind]["n"],
                _url("renewal:project_list", town, kind=kind, area=area_param),
            )
            for kind, label in ProjectKind.choices
            if kind in project_kinds
        ],
    )
    overlapping = projects.filter(
        Q(planned_start__lte=period.end, planned_end__gte=period.start)
        | Q(actual_start__lte=period.end)
        & (Q(actual_end__isnull=True) | Q(actual_end__gte=period.start))
    )
    project_statuses = _grouped(overlapping, F("status"), n=Count("pk"))
    add(
        "projects_by_status",
        _("Micro-renewal projects by status"),
        sum(row["n"] for row in project_statuses.values()),
        _("projects"),
        _(
            "Micro-renewal projects whose planned or actual dates overlap the period (planned, "
            "under way or finished in it); by their status today."
        ),
        _url("renewal:project_list", town, area=area_param),
        [
            Part(
                status,
                str(label),
                project_statuses[status]["n"],
                _url("renewal:project_list", town, status=status, area=area_param),
            )
            for status, label in ProjectStatus.choices
            if status in project_statuses
        ],
    )

    # Planning processes -----------------------------------------------------------------
    abandoned_before = StepRun.objects.filter(
        process=OuterRef("pk"), outcome=RunOutcome.ABANDONED, closed_at__lt=first
    )
    processes = (
        PlanningProcess.objects.public()
        .filter(town=town, starts_on__lte=period.end, **in_area)
        .exclude(Exists(abandoned_before))
        .exclude(completed_at__lt=first)
    )
    process_rows = list(
        with_current_step(processes.order_by())
        .values("status", "current_order", "step_kind", "step_title_zh", "step_title_en")
        .annotate(n=Count("pk"))
    )
    step_parts: dict[str, Part] = {}
    for row in sorted(process_rows, key=lambda r: (r["status"], r["current_order"])):
        status = row["status"]
        if status == ProcessStatus.ACTIVE:
            key = f"step_{row['current_order']}"
            label = _("Step %(order)d: %(title)s") % {
                "order": row["current_order"],
                "title": current_step_name(row),
            }
            url = _url(
                "planning:process_list",
                town,
                status=status,
                step=row["current_order"],
                area=area_param,
            )
        else:
            key = status
            label = str(ProcessStatus(status).label)
            url = _url("planning:process_list", town, status=status, area=area_param)
        if key in step_parts:
            step_parts[key].value += row["n"]
        else:
            step_parts[key] = Part(key, label, row["n"], url)
    step_order = {ProcessStatus.ACTIVE: 0, ProcessStatus.COMPLETED: 1, ProcessStatus.ABANDONED: 2}
    add(
        "processes",
        _("Participatory planning processes"),
        sum(row["n"] for row in process_rows),
        _("processes"),
        _(
            "Planning processes (not drafts) started on or before the last day of the period "
            "and neither abandoned nor completed before its first day; by their current step, "
            "or completed or abandoned."
        ),
        _url("planning:process_list", town, area=area_param),
        sorted(
            step_parts.values(),
            key=lambda p: (
                step_order.get(p.key, 0),
                int(p.key.split("_")[1]) if p.key.startswith("step_") else 0,
            ),
        ),
    )

    # Volunteer hours ---------------------------------------------------------------------
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
    minutes = (service.total_seconds() / 60 if service else 0) + manual
    add(
        "volunteer_hours",
        _("Volunteer hours"),
        round(minutes / 60, 1),
        _("hours"),
        _(
            "Hours from check-in to check-out at the volunteer-service activities counted "
            "above (each capped at the activity's length), plus manual additions approved by "
            "the organiser, at any of those activities."
        ),
        _url("events:activity_list", town, when="past", kind=ActivityKind.VOLUNTEER_SERVICE.value),
    )

    # Satisfaction and sense of gain ------------------------------------------------------
    scores = overall_scores(completed)
    scores_url = _url(
        "renewal:project_list", town, status=ProjectStatus.COMPLETED.value, area=area_param
    )
    add(
        "satisfaction",
        _("Satisfaction"),
        scores.satisfaction,
        _("out of 5"),
        _(
            "Average of every answer (1 to 5) to the satisfaction question of the "
            "satisfaction surveys of the projects completed in the period; none when nobody "
            "has answered. %(responses)d responses."
        )
        % {"responses": scores.responses},
        scores_url,
    )
    add(
        "gain",
        _("Sense of gain"),
        scores.gain,
        _("out of 5"),
        _(
            "Average of every answer (1 to 5) to the sense-of-gain question of the "
            "satisfaction surveys of the projects completed in the period; none when nobody "
            "has answered. %(responses)d responses."
        )
        % {"responses": scores.responses},
        scores_url,
    )

    return Figures(
        town=town,
        area=area,
        period=period,
        figures={key: figures[key] for key in KEYS},
        months=list(month_rows.values()),
        areas=list(area_rows.values()) if area is None else [],
        age_bands=counting.by_age_band(activities),
    )


def _meeting_period(period: Period) -> dict:
    """The meeting list filters by year (and month) only: the year when the period
    is one, else nothing."""
    return {"year": str(period.year)} if period.year is not None else {}
