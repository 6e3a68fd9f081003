"""Sections planning adds to pages of the apps below it (core/sections.py): on a
proposal's page the plans it was taken into, on an area's page the area's plans with
their current step. Each reads one query."""

from django.db.models import OuterRef, Subquery

from gongzhi.core.sections import register_section

from .models import PlanningProcess, TemplateStep

AREA_SHOWN = 10


def _with_step(processes):
    return processes.annotate(
        step_title=Subquery(
            TemplateStep.objects.filter(
                template=OuterRef("template"), order=OuterRef("current_order")
            ).values("title")[:1]
        )
    )


def proposal_section(request, proposal):
    processes = list(
        _with_step(PlanningProcess.objects.public().filter(proposals=proposal)).select_related(
            "area"
        )
    )
    if not processes:
        return None
    return {"processes": processes, "town_slug": proposal.town.slug}


def area_section(request, area):
    processes = list(
        _with_step(PlanningProcess.objects.public().filter(area=area)).order_by(
            "-starts_on", "-pk"
        )[:AREA_SHOWN]
    )
    if not processes:
        return None
    return {"processes": processes, "area": area, "town_slug": area.town.slug}


register_section(
    page="proposals.proposal",
    key="planning.plans",
    order=60,
    template="planning/process_section_proposal.html",
    context=proposal_section,
)
register_section(
    page="places.area",
    key="planning.area",
    order=40,
    template="planning/process_section_area.html",
    context=area_section,
)
