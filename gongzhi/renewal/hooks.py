"""Sections renewal adds to pages of the apps below it (core/sections.py): on a
plan's, a proposal's and a contest entry's page the projects they became; on an
area's page the area's projects. Each reads one query."""

from gongzhi.core.sections import register_section

from .models import Project

AREA_SHOWN = 10


def _projects(**lookup):
    return list(
        Project.objects.filter(**lookup)
        .select_related("town", "site")
        .order_by("-planned_start", "-pk")
    )


def _origin_section(field):
    def context(request, origin):
        projects = _projects(**{field: origin})
        return {"projects": projects} if projects else None

    return context


def area_section(request, area):
    projects = _projects(area=area)[:AREA_SHOWN]
    if not projects:
        return None
    return {"projects": projects, "area": area, "town_slug": area.town.slug}


for page, field, order in (
    ("planning.process", "process", 80),
    ("proposals.proposal", "proposal", 70),
    ("contests.entry", "entry", 70),
):
    register_section(
        page=page,
        key=f"renewal.{field}",
        order=order,
        template="renewal/section_origin.html",
        context=_origin_section(field),
    )
register_section(
    page="places.area",
    key="renewal.area",
    order=50,
    template="renewal/section_area.html",
    context=area_section,
)
