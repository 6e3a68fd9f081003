"""Sections planning adds to pages of the apps below it (core/sections.py): on a
proposal's page the plans it was taken into, on an area's page the area's plans with
their current step. Each reads one query."""

from gongzhi.core.sections import register_section

from .models import PlanningProcess, current_step_name, with_current_step

AREA_SHOWN = 10


def _with_step(processes, limit=None) -> list:
    """The processes (the first ``limit``) with ``step_title``, their current step's
    name in the reader's language (the names are read in the same query)."""
    found = list(with_current_step(processes)[:limit])
    for process in found:
        process.step_title = current_step_name(process)
    return found


def proposal_section(request, proposal):
    # Only an adopted proposal is taken into a plan (services.take_in), and it stays
    # adopted or becomes implemented: the others' pages spare the query.
    if proposal.status not in ("adopted", "implemented"):
        return None
    processes = _with_step(
        PlanningProcess.objects.public().filter(proposals=proposal).select_related("area")
    )
    if not processes:
        return None
    return {"processes": processes, "town_slug": proposal.town.slug}


def area_section(request, area):
    processes = _with_step(
        PlanningProcess.objects.public().filter(area=area).order_by("-starts_on", "-pk"),
        AREA_SHOWN,
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
