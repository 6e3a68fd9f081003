"""The programme's figures (PROGRAMME.md "Results reported for 2023"), counted from records.

``compute(town=..., period=..., area=None)`` gives every figure of the dashboard, the
annual report and the statistics API for a town (or one residential area) over a
period: each with its value, its unit, its counting rule in words and the address of
the list of records behind it, plus breakdowns by month, by area and by age band.

Each app's ``counting.py`` says which of its records a figure counts and counts them;
this module composes them and adds what is shown: labels, units, rules in words, links.

Figures are counted from the records. ``remembered_figures`` keeps a count between
writes (core/pagecache.py: every committed write draws a new data version, and a kept
count belongs to the version it was counted under), so they are right after every
write (a test changes a record and sees the figure change) and the dashboard does not
count a district's records again for every visitor. The count runs in a fixed
number of grouped queries (``values().annotate()``, months with ``TruncMonth``),
whatever the number of areas, months or records.

Contract (read by the reports pages and the API):

    Period(start, end)            inclusive dates; Period.of_year(y); .label; .year
    parse_period(*, year=None, start=None, end=None) -> Period   (DomainError on bad input)
    Part(key, label, value, url)  one line of a breakdown
    Figure(key, label, value, unit, rule, url, parts)
    Figures(town, area, period, figures: dict[str, Figure], months, areas, age_bands)
    compute(*, town, period, area=None) -> Figures
    remembered_figures(*, town, period, area=None) -> Figures   (compute(), kept between writes)

Personal data: only counts and averages leave this module; no names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core.counting import Tally
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
    "articles",
    "volunteer_hours",
    "venue_hours",
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


AREA_COLUMNS = ["person_times", "activities", "proposals", "meetings", "projects", "partners"]
MONTH_COLUMNS = ["activities", "person_times", "proposals", "meetings"]


def _url(name: str, town, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    path = reverse(name, args=[town.slug])
    return f"{path}?{urlencode(query)}" if query else path


# --- The count -----------------------------------------------------------------------


def remembered_figures(*, town, period: Period, area=None) -> Figures:
    """``compute()``, kept until the next write (or FIGURES_SECONDS, for figures that
    move with the clock): the dashboard, the annual report and the API read this."""
    from gongzhi.core.pagecache import remembered

    parts = (town.pk, area.pk if area else "town", period.start, period.end)
    return remembered("report", parts, lambda: compute(town=town, period=period, area=area))


def compute(*, town, period: Period, area=None) -> Figures:
    """Every figure for ``town`` (or its residential ``area``) over ``period``: the
    apps' counting functions count, this adds labels, units, rules and links."""
    from gongzhi.cultivation import counting as cultivation
    from gongzhi.events import counting as events
    from gongzhi.events.models import ActivityKind
    from gongzhi.meetings import counting as meetings
    from gongzhi.meetings.models import MeetingKind
    from gongzhi.news import counting as news
    from gongzhi.news.models import AuthorRole
    from gongzhi.partners import counting as partners
    from gongzhi.partners.models import Mode, PartyStatus
    from gongzhi.places.models import ResidentialArea
    from gongzhi.planning import counting as planning
    from gongzhi.proposals import counting as proposals
    from gongzhi.proposals.models import ProposalStatus
    from gongzhi.renewal import counting as renewal
    from gongzhi.renewal.models import ProjectKind, ProjectStatus

    if area is not None and area.town_id != town.pk:
        raise DomainError(_("This residential area is not in this town."))
    whole_town = area is None
    area_param = str(area.pk) if area is not None else None
    figures: dict[str, Figure] = {}

    def add(key, label, value, unit, rule, url, parts=()):
        figures[key] = Figure(key, label, value, unit, rule, url, list(parts))

    def add_split(key, label, counted: Tally, unit, rule, url, choices, link):
        """A figure counted by ``counted``: its total, and one part per choice that has
        records, in the choices' order, each linking to ``link(value)``."""
        parts = [
            Part(value, str(name), counted.by[value], link(value))
            for value, name in choices
            if value in counted.by
        ]
        add(key, label, counted.total, unit, rule, url, parts)

    # Town-wide records (no area) count for the town, never for one area.
    area_rows = {
        a.pk: {"area": a, **dict.fromkeys(AREA_COLUMNS, 0)}
        for a in ResidentialArea.objects.filter(town=town).order_by("code", "pk")
    }
    month_rows = {
        f"{m:%Y-%m}": {"month": f"{m:%Y-%m}", **dict.fromkeys(MONTH_COLUMNS, 0)}
        for m in period.month_starts()
    }

    def fill(column: str, months: dict, areas: dict):
        for rows, counts in ((month_rows, months), (area_rows, areas)):
            for key, n in counts.items():
                if key in rows:
                    rows[key][column] += n

    # Partners ----------------------------------------------------------------------
    counted = partners.partners(town, period, area)
    fill("partners", {}, counted.areas)
    add(
        "areas_served",
        _("Residential areas served"),
        cultivation.areas_served(town, period, area).total,
        _("areas"),
        _(
            "Residential areas served with partner cultivation: those with at least one "
            "resident or community partner of the area who checked in to a session of a "
            "cultivation programme (not a draft) held in the period."
        ),
        _url("cultivation:programme_list", town) if area is None else area.get_absolute_url(),
    )
    add(
        "partners",
        _("Community partners"),
        counted.total,
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
                counted.by_mode.get(mode, 0),
                _url("partners:directory", town, mode=mode, area=area_param),
            )
            for mode, label in Mode.choices
        ],
    )
    add(
        "party_members",
        _("Dual-registered party members"),
        counted.party_members,
        _("partners"),
        _(
            "The community partners counted above who are dual-registered party members "
            "(registered at their workplace and in their residential community)."
        ),
        _url("partners:directory", town, party=PartyStatus.DUAL_REGISTERED.value, area=area_param),
    )

    # Activities and participation --------------------------------------------------
    activities = events.held(town, period, area)
    figures_url = _url("events:figures", town, area=area_param, **period.query())
    held = events.by_kind(activities, areas=whole_town)
    fill("activities", held.months, held.areas)
    add_split(
        "activities",
        _("Activities"),
        held,
        _("activities"),
        _(
            "Published activities (not drafts, not cancelled) that started in the period, up "
            "to now; town-wide activities count for the town only."
        ),
        figures_url + "#activities",
        ActivityKind.choices,
        lambda kind: _url("events:activity_list", town, when="past", kind=kind),
    )
    total = events.participation(activities)
    fill("person_times", *events.person_times_split(activities, areas=whole_town))
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
            Part(
                "meetings_present",
                _("Meetings (present)"),
                meetings.present(town, period, area),
                meetings_url,
            ),
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
    submitted = proposals.proposals(town, period, area)
    fill("proposals", submitted.months, submitted.areas)
    add_split(
        "proposals",
        _("Community planning proposals"),
        submitted,
        _("proposals"),
        _("Proposals submitted in the period, whatever became of them; by their status today."),
        _url("proposals:proposal_list", town, area=area_param),
        ProposalStatus.choices,
        lambda status: _url("proposals:proposal_list", town, status=status, area=area_param),
    )

    # Meetings ------------------------------------------------------------------------
    met = meetings.meetings(town, period, area)
    fill("meetings", met.months, met.areas)
    add_split(
        "meetings",
        _("Meetings"),
        met,
        _("meetings"),
        _(
            "Meetings of every kind (self-governance, joint, deliberation, hearings ...) that "
            "started in the period, up to now, and were not cancelled; town-wide meetings "
            "count for the town only."
        ),
        meetings_url,
        MeetingKind.choices,
        lambda kind: _url(
            "meetings:meeting_list", town, kind=kind, area=area_param, **_meeting_period(period)
        ),
    )

    # Micro-renewal projects ------------------------------------------------------------
    projects_url = _url("renewal:project_list", town, area=area_param)
    built = renewal.built(town, period, area)
    fill("projects", {}, built.areas)
    add_split(
        "projects",
        _("Micro-renewal projects built"),
        built,
        _("projects"),
        _("Micro-renewal projects completed in the period (their completion date)."),
        projects_url,
        ProjectKind.choices,
        lambda kind: _url("renewal:project_list", town, kind=kind, area=area_param),
    )
    statuses = renewal.by_status(town, period, area)
    add_split(
        "projects_by_status",
        _("Micro-renewal projects by status"),
        statuses,
        _("projects"),
        _(
            "Micro-renewal projects whose planned or actual dates overlap the period (planned, "
            "under way or finished in it); by their status today."
        ),
        projects_url,
        ProjectStatus.choices,
        lambda status: _url("renewal:project_list", town, status=status, area=area_param),
    )

    # Planning processes -----------------------------------------------------------------
    stages = planning.by_stage(town, period, area)
    add(
        "processes",
        _("Participatory planning processes"),
        sum(stage.n for stage in stages),
        _("processes"),
        _(
            "Planning processes (not drafts) started on or before the last day of the period "
            "and neither abandoned nor completed before its first day; by their current step, "
            "or completed or abandoned."
        ),
        _url("planning:process_list", town, area=area_param),
        [_stage_part(stage, town, area_param) for stage in stages],
    )

    # Community news ----------------------------------------------------------------------
    if area is not None:
        news_url = reverse("news:area_news", args=[town.slug, area.pk])
    else:
        news_url = _url("news:list", town)
    add_split(
        "articles",
        _("Community news articles published"),
        news.published(town, period, area),
        _("articles"),
        _(
            "Articles published in the period (their publication date), by who wrote them: "
            "a media partner or staff."
        ),
        news_url,
        AuthorRole.choices,
        lambda role: news_url,
    )
    # Volunteer hours ---------------------------------------------------------------------
    add(
        "volunteer_hours",
        _("Volunteer hours"),
        round(events.volunteer_minutes(activities) / 60, 1),
        _("hours"),
        _(
            "Hours from check-in to check-out at the volunteer-service activities counted "
            "above (each capped at the activity's length), plus manual additions approved by "
            "the organiser, at any of those activities."
        ),
        _url("events:activity_list", town, when="past", kind=ActivityKind.VOLUNTEER_SERVICE.value),
    )

    # Venue use -----------------------------------------------------------------------------
    from gongzhi.venues import counting as venues
    from gongzhi.venues.models import Venue

    add(
        "venue_hours",
        _("Venue use (hours booked)"),
        venues.hours_booked(Venue.objects.filter(town=town, **({"area": area} if area else {})),
                            period),
        _("hours"),
        _(
            "Hours of the confirmed bookings of the register's venues (the town's, or the "
            "area's) that started in the period, up to now; cancelled and declined bookings "
            "and requests not counted."
        ),
        _url("venues:venue_list", town),
    )  # fmt: skip

    # Satisfaction and sense of gain ------------------------------------------------------
    scores = renewal.scores(town, period, area)
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
        age_bands=events.by_age_band(activities),
    )


def _stage_part(stage, town, area_param) -> Part:
    """A planning stage as a part: an active step by its order and name, else the
    status (completed, abandoned)."""
    from gongzhi.planning.models import ProcessStatus

    if stage.order is not None:
        return Part(
            f"step_{stage.order}",
            _("Step %(order)d: %(title)s") % {"order": stage.order, "title": stage.step_name},
            stage.n,
            _url(
                "planning:process_list",
                town,
                status=stage.status,
                step=stage.order,
                area=area_param,
            ),
        )
    return Part(
        stage.status,
        str(ProcessStatus(stage.status).label),
        stage.n,
        _url("planning:process_list", town, status=stage.status, area=area_param),
    )


def _meeting_period(period: Period) -> dict:
    """The meeting list filters by year (and month) only: the year when the period
    is one, else nothing."""
    return {"year": str(period.year)} if period.year is not None else {}
