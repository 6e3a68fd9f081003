"""The reports' pages: the dashboard (figures for a year or a range, the town or one
area, with charts) and the printable annual report. Both are public: they show
aggregate figures only, each linking to the public list of records behind it.

The figures come from ``figures.compute``; this module only shapes them for the
page: the tiles, and one section per breakdown with its chart data (drawn by
static/js/report-charts.js from a json_script element) and the same numbers as a
table for screen readers, printing and browsers without JavaScript.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core.pagecache import data_version, remembered
from gongzhi.events.models import Activity
from gongzhi.meetings.models import Meeting
from gongzhi.places.models import Town
from gongzhi.planning.models import (
    PlanningProcess,
    ProcessStatus,
    current_step_name,
    with_current_step,
)
from gongzhi.proposals.models import Proposal
from gongzhi.renewal.models import FINISHED, Phase, Project, ProjectPhoto

from .figures import Period, remembered_figures
from .forms import AnnualAreaForm, ReportFilterForm

FIRST_YEAR = 2000
# The seven figures the programme reports upward (PROGRAMME.md), shown first.
REPORTED = (
    "areas_served",
    "partners",
    "activities",
    "projects",
    "person_times",
    "proposals",
    "meetings",
)


# --- Shaping the figures ---------------------------------------------------------------


def shown(value) -> str:
    """A figure as printed: thousands separated (6,195), decimals as they are, a dash
    where there is nothing to show (an average over no answers)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        value = Decimal(str(round(value, 2)))
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    return str(value)


def _number(value):
    """A value for the chart data (JSON): Decimal as float, nothing as null."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclass
class Tile:
    figure: object
    shown: str


@dataclass
class Drawing:
    """One chart: its element id and the data report-charts.js draws."""

    id: str
    label: str
    data: dict


@dataclass
class Section:
    """A breakdown: its charts and the table of the same numbers."""

    id: str
    title: str
    first_column: str
    columns: list[str]
    rows: list[dict]  # {"label", "url", "cells": [shown values]}
    drawings: list[Drawing] = field(default_factory=list)
    note: str = ""


def _tiles(figures) -> list[Tile]:
    """Every figure, the seven reported ones first."""
    order = [key for key in REPORTED if key in figures] + [
        key for key in figures if key not in REPORTED
    ]
    return [Tile(figures[key], shown(figures[key].value)) for key in order]


def _breakdown_titles() -> dict[str, str]:
    """What each figure's parts break it down by, for the section's heading."""
    return {
        "partners": _("Community partners by work mode"),
        "activities": _("Activities by kind"),
        "projects": _("Micro-renewal projects by kind"),
        "projects_by_status": _("Micro-renewal projects by status"),
        "person_times": _("Person-times at activities and at meetings"),
        "proposals": _("Proposals by status"),
        "meetings": _("Meetings by kind"),
        "processes": _("Planning processes by step"),
        "articles": _("Community news articles by author"),
    }


def _part_sections(figures) -> list[Section]:
    """One section per figure broken down into parts (activities by kind, projects by
    kind and by status, proposals by status, meetings by kind, processes by step,
    partners by mode ...), each line linking to its records."""
    sections, titles = [], _breakdown_titles()
    for key in [*REPORTED, *figures]:
        figure = figures.get(key)
        if figure is None or not figure.parts or any(s.id == f"part-{key}" for s in sections):
            continue
        column = figure.unit or _("Number")
        sections.append(
            Section(
                id=f"part-{key}",
                title=titles.get(key, figure.label),
                first_column=figure.label,
                columns=[column],
                rows=[
                    {"label": part.label, "url": part.url, "cells": [shown(part.value)]}
                    for part in figure.parts
                ],
                drawings=[
                    Drawing(
                        id=f"chart-{key}",
                        label=figure.label,
                        data={
                            "kind": "bar",
                            "labels": [str(part.label) for part in figure.parts],
                            "series": [
                                {
                                    "name": str(column),
                                    "values": [_number(part.value) for part in figure.parts],
                                }
                            ],
                        },
                    )
                ],
            )
        )
    return sections


def _month_section(months) -> Section | None:
    if not months:
        return None
    columns = [
        ("activities", _("Activities")),
        ("proposals", _("Proposals")),
        ("meetings", _("Meetings")),
        ("person_times", pgettext("counting", "Person-times")),
    ]
    labels = [row["month"] for row in months]
    return Section(
        id="months",
        title=_("Trends by month"),
        first_column=_("Month"),
        columns=[label for _key, label in columns],
        rows=[
            {"label": row["month"], "url": "", "cells": [shown(row.get(k, 0)) for k, _l in columns]}
            for row in months
        ],
        drawings=[
            Drawing(
                id="chart-months",
                label=_("Trends by month"),
                data={
                    "kind": "line",
                    "labels": labels,
                    "series": [
                        {
                            "name": str(label),
                            "values": [_number(row.get(key, 0)) for row in months],
                            # Person-times run in thousands: their own axis on the right.
                            "axis": 1 if key == "person_times" else 0,
                        }
                        for key, label in columns
                    ],
                },
            )
        ],
    )


def _area_section(areas, narrowed) -> Section | None:
    """The comparison across the town's areas, each area linking to the dashboard
    narrowed to it (same period)."""
    if not areas:
        return None
    counts = [
        ("activities", _("Activities")),
        ("proposals", _("Proposals")),
        ("meetings", _("Meetings")),
        ("projects", _("Projects")),
        ("partners", _("Partners")),
    ]
    person_times = pgettext("counting", "Person-times")
    names = [row["area"].name for row in areas]
    return Section(
        id="areas",
        title=_("Comparison across areas"),
        first_column=_("Residential area"),
        columns=[person_times, *(label for _k, label in counts)],
        rows=[
            {
                "label": row["area"].name,
                "url": narrowed(row["area"].pk),
                "cells": [shown(row.get("person_times", 0))]
                + [shown(row.get(key, 0)) for key, _l in counts],
            }
            for row in areas
        ],
        drawings=[
            Drawing(
                id="chart-areas-person-times",
                label=_("Person-times by area"),
                data={
                    "kind": "bar",
                    "labels": names,
                    "series": [
                        {
                            "name": str(person_times),
                            "values": [_number(row.get("person_times", 0)) for row in areas],
                        }
                    ],
                },
            ),
            Drawing(
                id="chart-areas-records",
                label=_("Records by area"),
                data={
                    "kind": "bar",
                    "stack": True,
                    "labels": names,
                    "series": [
                        {
                            "name": str(label),
                            "values": [_number(row.get(key, 0)) for row in areas],
                        }
                        for key, label in counts
                    ],
                },
            ),
        ],
    )


def _age_section(age_bands) -> Section | None:
    if not age_bands:
        return None
    person_times, people = pgettext("counting", "Person-times"), pgettext("counting", "People")
    return Section(
        id="age-bands",
        title=_("Participation by age band"),
        note=_(
            "Only the age bands of people who agreed to their use for statistics; "
            "everyone else is counted as not stated."
        ),
        first_column=_("Age band"),
        columns=[person_times, people],
        rows=[
            {
                "label": row.label,
                "url": "",
                "cells": [shown(row.person_times), shown(row.people)],
            }
            for row in age_bands
        ],
        drawings=[
            Drawing(
                id="chart-age-bands",
                label=_("Participation by age band"),
                data={
                    "kind": "bar",
                    "labels": [str(row.label) for row in age_bands],
                    "series": [
                        {
                            "name": str(person_times),
                            "values": [row.person_times for row in age_bands],
                        },
                        {
                            "name": str(people),
                            "values": [row.people for row in age_bands],
                        },
                    ],
                },
            )
        ],
    )


def _sections(result, narrowed) -> list[Section]:
    sections = _part_sections(result.figures)
    extra = [
        _month_section(result.months),
        _area_section(result.areas, narrowed) if result.area is None else None,
        _age_section(result.age_bands),
    ]
    return sections + [section for section in extra if section]


# --- The dashboard ----------------------------------------------------------------------


def _years(town) -> list[int]:
    """The years that have records (activities, meetings, proposals), newest first;
    this year when there are none yet. Three grouped queries."""
    this_year = timezone.localdate().year
    found = set()
    for queryset, name in (
        (Activity.objects.filter(town=town), "starts_at"),
        (Meeting.objects.filter(town=town), "starts_at"),
        (Proposal.objects.filter(town=town), "created_at"),
    ):
        found.update(
            queryset.annotate(y=ExtractYear(name)).order_by().values_list("y", flat=True).distinct()
        )
    years = sorted((y for y in found if y and FIRST_YEAR <= y <= this_year), reverse=True)
    return years or [this_year]


def _report_year(period) -> int:
    """The year whose annual report the dashboard links to: the period's, or that of
    its last day for a range."""
    return period.year or period.end.year


def dashboard(request, town_slug):
    """The town's figures (or one area's) for a year or a range of dates, as tiles
    and charts; bad parameters answer 400 with the form's message."""
    town = get_object_or_404(Town, slug=town_slug)
    areas = list(town.areas.order_by("code", "pk"))
    years = remembered("report-years", (town.pk, timezone.localdate()), lambda: _years(town))
    form = ReportFilterForm(request.GET or None, years=years, areas=areas, default_year=years[0])
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "reports/dashboard.html",
            {"town": town, "form": form, "result": None},
            status=400,
        )
    if form.is_bound:
        period, area = form.period, form.area
    else:  # the latest year with records, the whole town
        period, area = Period.of_year(years[0]), None
    result = remembered_figures(town=town, period=period, area=area)

    kept = {key: request.GET[key] for key in ("year", "start", "end") if request.GET.get(key)}

    def narrowed(area_pk) -> str:
        query = {**kept, "area": area_pk} if area_pk else kept
        return reverse("reports:dashboard", args=[town.slug]) + "?" + urlencode(query)

    report_year = _report_year(period)
    annual_url = reverse("reports:annual", args=[town.slug, report_year])
    if area is not None:
        annual_url += "?" + urlencode({"area": area.pk})
    ledgers_url = ""
    user = request.user
    if user.is_authenticated and user.has_perm("reports.export_ledgers", town):
        ledgers_url = (
            reverse("reports:ledgers", args=[town.slug]) + "?" + urlencode({"year": report_year})
        )
    # The text messages sent, with this month's budget: for the staff who may read them.
    sms_url = reverse("sms_ledger") if user.has_perm("core.view_sms_ledger") else ""
    return render(
        request,
        "reports/dashboard.html",
        {
            "town": town,
            "form": form,
            "sms_url": sms_url,
            "result": result,
            "area": area,
            "period": period,
            # Built only when the template's kept fragment is not there (callables).
            "tiles": lambda: _tiles(result.figures),
            "sections": lambda: _sections(result, narrowed),
            "data_version": data_version(),
            "annual_url": annual_url,
            "report_year": report_year,
            "ledgers_url": ledgers_url,
            "town_url": narrowed(None) if area is not None else "",
        },
    )


# --- The annual report -------------------------------------------------------------------


def _highlights(town, area, period) -> list[dict]:
    """The projects completed in the period with their before/after pair (the first
    photo before, the last after) and the published result. Two queries."""
    projects = (
        Project.objects.filter(
            town=town,
            status__in=FINISHED,
            actual_end__gte=period.start,
            actual_end__lte=period.end,
        )
        .select_related("area", "site")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=ProjectPhoto.objects.filter(
                    phase__in=[Phase.BEFORE, Phase.AFTER]
                ).order_by("taken_at", "pk"),
                to_attr="pair_photos",
            )
        )
        .order_by("actual_end", "pk")
    )
    if area is not None:
        projects = projects.filter(area=area)
    found = []
    for project in projects:
        befores = [p for p in project.pair_photos if p.phase == Phase.BEFORE]
        afters = [p for p in project.pair_photos if p.phase == Phase.AFTER]
        found.append(
            {
                "project": project,
                "before": befores[0] if befores else None,
                "after": afters[-1] if afters else None,
            }
        )
    return found


def _processes(town, area, period) -> list:
    """The planning processes that ran during the period (started by its end, not
    finished before its start), with the title of their current step. One query."""
    processes = (
        PlanningProcess.objects.public()
        .filter(town=town, starts_on__lte=period.end)
        .exclude(status=ProcessStatus.COMPLETED, completed_at__date__lt=period.start)
        .exclude(status=ProcessStatus.ABANDONED, updated_at__date__lt=period.start)
        .select_related("area")
        .order_by("area__code", "starts_on", "pk")
    )
    if area is not None:
        processes = processes.filter(area=area)
    found = list(with_current_step(processes))
    for process in found:
        process.step_title = current_step_name(process)
    return found


def annual_report(request, town_slug, year):
    """The printable annual report of a year (2000 to this year) for the town or, with
    ?area=, one area: the seven reported figures, then the others, the breakdowns as
    tables (charts on screen), the projects completed with their before/after photos,
    and the planning processes with their outcome."""
    town = get_object_or_404(Town, slug=town_slug)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404(_("There is no annual report for that year."))
    areas = list(town.areas.order_by("code", "pk"))
    form = AnnualAreaForm(request.GET or None, areas=areas)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "reports/annual.html",
            {"town": town, "year": year, "form": form, "result": None},
            status=400,
        )
    area = form.area if form.is_bound else None
    period = Period.of_year(year)
    result = remembered_figures(town=town, period=period, area=area)

    def narrowed(area_pk) -> str:
        return reverse("reports:annual", args=[town.slug, year]) + (
            "?" + urlencode({"area": area_pk}) if area_pk else ""
        )

    tiles = _tiles(result.figures)
    dashboard_url = (
        reverse("reports:dashboard", args=[town.slug])
        + "?"
        + urlencode({"year": year, **({"area": area.pk} if area else {})})
    )
    return render(
        request,
        "reports/annual.html",
        {
            "town": town,
            "year": year,
            "form": form,
            "result": result,
            "area": area,
            "place": f"{town.name} {area.name}" if area else town.name,
            "reported": [tile for tile in tiles if tile.figure.key in REPORTED],
            "others": [tile for tile in tiles if tile.figure.key not in REPORTED],
            "sections": _sections(result, narrowed),
            "highlights": _highlights(town, area, period),
            "processes": _processes(town, area, period),
            "dashboard_url": dashboard_url,
            "generated_on": timezone.localdate(),
        },
    )
