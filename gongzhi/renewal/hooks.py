"""Sections renewal adds to pages of the apps below it (core/sections.py): on a
plan's, a proposal's and a contest entry's page the projects they became; on an
area's page the area's projects. Each reads one query; the origin's section also
offers staff who may start a project from it the link to do so."""

from django.urls import reverse

from gongzhi.core.sections import register_section

from .models import Project

AREA_SHOWN = 10


def _projects(limit=None, **lookup):
    """The projects matching ``lookup``, newest first; at most ``limit`` of them,
    sliced in the query (an area may have many)."""
    projects = (
        Project.objects.filter(**lookup)
        .select_related("town", "site")
        .order_by("-planned_start", "-pk")
    )
    return list(projects[:limit] if limit is not None else projects)


def _origin_scope(field, origin):
    """(town, residential area, eligible) of a plan, proposal or contest entry: a
    completed plan, an adopted proposal and a winning entry may become projects."""
    if field == "process":
        return origin.town, origin.area_id, origin.status == "completed"
    if field == "proposal":
        return origin.town, origin.area_id, origin.status == "adopted"
    return origin.contest.town, origin.site.area_id, origin.is_winner


def _create_url(request, field, origin) -> str | None:
    """The link to start a project from ``origin``, for staff who may start one in
    its residential area (area staff of another area are not offered it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    town, area_id, eligible = _origin_scope(field, origin)
    if not eligible or not user.has_perm("renewal.create", town):
        return None
    if not user.has_perm("renewal.manage", Project(town=town, area_id=area_id)):
        return None
    return f"{reverse('renewal:create_project', args=[town.slug])}?{field}={origin.pk}"


def _origin_section(field):
    def context(request, origin):
        # Only an adopted proposal becomes a project (services.create_project), and it
        # stays adopted or becomes implemented: the others' pages spare the queries.
        if field == "proposal" and origin.status not in ("adopted", "implemented"):
            return None
        projects = _projects(**{field: origin})
        create_url = _create_url(request, field, origin)
        if not projects and not create_url:
            return None
        return {"projects": projects, "create_url": create_url}

    return context


def area_section(request, area):
    projects = _projects(AREA_SHOWN, area=area)
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
