"""Sections meetings add to pages of the apps below it (core/sections.py): a
proposal's agenda items and the link to adopt it, an area's and a unit's action
items and meetings. Each section reads a fixed number of queries."""

from django.db.models import Prefetch

from gongzhi.core.sections import register_section

from .minutes import mask_public, names_by_meeting
from .models import ActionItem, AgendaItem, Meeting, MeetingStatus, Motion

RECENT = 5
ACTIONS_SHOWN = 20


def _masked_actions(actions):
    """An action's title or owner may name a person on the meeting's list: the
    public sees 张** (one query for all the items' meetings)."""
    return mask_public(actions, "title", "owner_name")


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
    # Topics and motions may name people of the meetings' lists (one query).
    names = names_by_meeting(item.meeting_id for item in items)
    mask_public(items, "title", names=names)
    mask_public([m for item in items for m in item.motions.all()], "text", names=names)
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
    _masked_actions(actions)
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
    _masked_actions(actions)
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
