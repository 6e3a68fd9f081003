"""Sections meetings add to pages of the apps below it (core/sections.py): a
proposal's agenda items and the link to adopt it, an area's and a unit's action
items and meetings. Each section reads a fixed number of queries."""

from django.db.models import Prefetch

from gongzhi.core.sections import register_section

from .minutes import public_text
from .models import ActionItem, AgendaItem, Attendee, Meeting, MeetingStatus, Motion

RECENT = 5
ACTIONS_SHOWN = 20


def _masked_owners(actions):
    """An owner may be a person on the meeting's list: the public sees 张** (one
    query for all the items' meetings)."""
    names: dict[int, list[str]] = {}
    for meeting_id, name in Attendee.objects.filter(
        meeting_id__in={a.meeting_id for a in actions}
    ).values_list("meeting_id", "name"):
        names.setdefault(meeting_id, []).append(name)
    for item in actions:
        item.owner_name = public_text(item.owner_name, names.get(item.meeting_id, []))
    return actions


def proposal_section(request, proposal):
    """Where the proposal was on an agenda, with the decisions on it; the adopt link
    for staff who may manage it while it is open."""
    items = list(
        AgendaItem.objects.filter(proposal=proposal)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting")
        .prefetch_related(
            Prefetch("motions", queryset=Motion.objects.decided().order_by("decided_at", "pk"))
        )
        .order_by("meeting__starts_at", "pk")
    )
    user = getattr(request, "user", None)
    can_adopt = bool(
        proposal.is_open and user is not None and user.has_perm("proposals.manage", proposal)
    )
    if not items and not can_adopt:
        return None
    return {
        "items": items,
        "can_adopt": can_adopt,
        "proposal": proposal,
        "town_slug": proposal.town.slug,
    }


def area_section(request, area):
    actions = list(
        ActionItem.objects.outstanding()
        .filter(meeting__area=area)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting")[:ACTIONS_SHOWN]
    )
    meetings = list(
        Meeting.objects.public().filter(area=area).order_by("-starts_at", "-pk")[:RECENT]
    )
    if not actions and not meetings:
        return None
    _masked_owners(actions)
    return {"actions": actions, "meetings": meetings, "area": area, "town_slug": area.town.slug}


def unit_section(request, unit):
    actions = list(
        ActionItem.objects.outstanding()
        .filter(owner_unit=unit)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting")[:ACTIONS_SHOWN]
    )
    meetings = list(
        Meeting.objects.public().filter(organiser=unit).order_by("-starts_at", "-pk")[:RECENT]
    )
    if not actions and not meetings:
        return None
    _masked_owners(actions)
    return {"actions": actions, "meetings": meetings, "town_slug": unit.town.slug}


register_section(
    page="proposals.proposal",
    key="meetings.agenda",
    order=50,
    template="meetings/section_proposal.html",
    context=proposal_section,
)
register_section(
    page="places.area",
    key="meetings.area",
    order=50,
    template="meetings/section_area.html",
    context=area_section,
)
register_section(
    page="organisations.unit",
    key="meetings.unit",
    order=50,
    template="meetings/section_unit.html",
    context=unit_section,
)
