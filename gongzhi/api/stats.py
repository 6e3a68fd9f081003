"""GET /api/v1/stats: the dashboard's figures as JSON (reports/figures.py counts them).

Public: only aggregate figures (counts, sums, averages) leave here, never a name.
Each figure names its counting rule and links to the list of records behind it.
"""

from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from gongzhi.core.errors import DomainError
from gongzhi.places.models import ResidentialArea, Town
from gongzhi.reports.figures import FIRST_YEAR, parse_period, remembered_figures

router = Router()

Number = int | float | None


class PartOut(Schema):
    key: str
    label: str
    value: Number
    url: str


class FigureOut(Schema):
    label: str
    value: Number = Field(description="None when there is nothing to average.")
    unit: str
    rule: str = Field(description="The counting rule, in words.")
    url: str = Field(description="The list of records behind the figure.")
    parts: list[PartOut]


class AreaOut(Schema):
    id: int
    code: str
    name: str


class PeriodOut(Schema):
    start: str
    end: str


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    activities: int
    person_times: int
    proposals: int
    meetings: int


class AreaRowOut(Schema):
    area: AreaOut
    person_times: int
    activities: int
    proposals: int
    meetings: int
    projects: int
    partners: int


class AgeBandOut(Schema):
    key: str
    label: str
    person_times: int
    people: int | None = Field(description="None for walk-ins counted without names.")


class StatsOut(Schema):
    town: str
    area: AreaOut | None
    period: PeriodOut
    figures: dict[str, FigureOut]
    months: list[MonthOut]
    areas: list[AreaRowOut] = Field(description="One row per area; empty for one area.")
    age_bands: list[AgeBandOut]


class ErrorOut(Schema):
    detail: str


class StatsQuery(Schema):
    year: int | None = Field(
        None, ge=FIRST_YEAR, le=9999, description="The year (default: the current year)."
    )
    area: str | None = Field(
        None,
        min_length=1,
        max_length=20,
        # No control characters: PostgreSQL refuses a NUL in a text comparison (a 500).
        pattern=r"^[^\x00-\x1f]+$",
        description="A residential area's id or code.",
    )
    town: str | None = Field(
        None,
        min_length=1,
        max_length=40,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="The town's short name; needed when the deployment has several towns.",
    )


def _town(slug: str | None) -> Town:
    if slug:
        town = Town.objects.filter(slug=slug).first()
        if town is None:
            raise HttpError(404, _("There is no town “%(town)s”.") % {"town": slug})
        return town
    towns = list(Town.objects.order_by("pk")[:2])
    if not towns:
        raise HttpError(404, _("There is no town yet."))
    if len(towns) > 1:
        raise HttpError(400, _("This deployment has several towns: name one with ?town=."))
    return towns[0]


def _area(town: Town, value: str | None) -> ResidentialArea | None:
    """The town's area with this code or id; codes are tried with ids, and a value
    that names two different areas (code of one, id of another) is refused."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise HttpError(400, _("Give a residential area's id or code."))
    match = Q(code=value)
    if value.isascii() and value.isdigit() and len(value) <= 9:
        match |= Q(pk=int(value))
    found = list(ResidentialArea.objects.filter(match, town=town)[:2])
    if not found:
        raise HttpError(
            404,
            _("There is no residential area “%(area)s” in %(town)s.")
            % {"area": value, "town": town.name},
        )
    if len(found) > 1:
        raise HttpError(
            400,
            _("“%(area)s” is the code of one area and the id of another: use the code.")
            % {"area": value},
        )
    return found[0]


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _area_out(area) -> dict:
    return {"id": area.pk, "code": area.code, "name": area.name}


@router.get(
    "",
    response={200: StatsOut, 400: ErrorOut, 404: ErrorOut},
    summary="The programme's figures for a year",
    auth=None,
)
def stats(request, params: Query[StatsQuery]):
    """The figures of the dashboard for a town (or one residential area) over a year,
    each with its counting rule and the address of the records behind it; by month,
    by area (for the whole town) and by age band. Aggregates only."""
    town = _town(params.town)
    area = _area(town, params.area)
    try:
        period = parse_period(year=params.year)
    except DomainError as error:
        raise HttpError(400, error.message) from None
    result = remembered_figures(town=town, period=period, area=area)
    absolute = request.build_absolute_uri
    return {
        "town": town.slug,
        "area": _area_out(area) if area is not None else None,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "figures": {
            key: {
                "label": str(figure.label),
                "value": _number(figure.value),
                "unit": str(figure.unit),
                "rule": str(figure.rule),
                "url": absolute(figure.url),
                "parts": [
                    {
                        "key": part.key,
                        "label": str(part.label),
                        "value": _number(part.value),
                        "url": absolute(part.url),
                    }
                    for part in figure.parts
                ],
            }
            for key, figure in result.figures.items()
        },
        "months": result.months,
        "areas": [{**row, "area": _area_out(row["area"])} for row in result.areas],
        "age_bands": [
            {
                "key": str(row.key),
                "label": str(row.label),
                "person_times": row.person_times,
                "people": row.people,
            }
            for row in result.age_bands
        ],
    }
