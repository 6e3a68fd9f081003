"""Open data in the Popolo shape (https://www.popoloproject.com), as plain dicts.

Two exports of one town:

- ``organisation(town)``: the town, its 1+5+n units (secretariat, committees, teams)
  and the residents' committee of each residential area as "organizations"; the
  areas as "areas"; community partners as "persons"; their memberships of units;
  the head, deputy and leader roles of each unit as "posts".
- ``meetings(town, year)``: the meetings held in a year (minutes approved; never a
  cancelled one) as "events", with their "motions" and, for each decided motion, a
  "vote_event" with the counts and the result.

Personal data: a person is an id ("partner-<pk>", not the account's id) and a masked
name (张**), nothing else: no phone, no contact details, no account. Texts that may
quote people (meeting titles, motions, unit descriptions) are masked with the
meetings' public masking (names on the list → 张**, mobile numbers → 138****1234).
Votes are published as counts only, never who voted how.

Ids are stable and never reveal an account: "town-<slug>", "unit-<pk>",
"rc-<area pk>" (residents' committee), "area-<pk>", "partner-<pk>",
"membership-<pk>", "post-<unit pk>-<role>", "meeting-<pk>", "motion-<pk>",
"vote-event-<motion pk>". Optional properties without a value are left out.
"""

from datetime import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.masking import mask_name
from gongzhi.meetings.minutes import names_by_meeting, public_text
from gongzhi.meetings.models import (
    Choice,
    DecisionRule,
    Meeting,
    MeetingStatus,
    Motion,
    MotionResult,
    MotionStatus,
    VoteMode,
)
from gongzhi.organisations.models import MemberRole, Membership, OrgUnit
from gongzhi.partners.models import Partner
from gongzhi.places.models import ResidentialArea

# Roles that are a position in a unit (a Popolo post); plain members are not.
POST_ROLES = (MemberRole.HEAD, MemberRole.DEPUTY, MemberRole.LEADER)


def town_id(town) -> str:
    return f"town-{town.slug}"


def unit_id(unit_pk: int) -> str:
    return f"unit-{unit_pk}"


def committee_id(area_pk: int) -> str:
    return f"rc-{area_pk}"


def area_id(area_pk: int) -> str:
    return f"area-{area_pk}"


def person_id(partner_pk: int) -> str:
    return f"partner-{partner_pk}"


def post_id(unit_pk: int, role: str) -> str:
    return f"post-{unit_pk}-{role}"


def meeting_id(meeting_pk: int) -> str:
    return f"meeting-{meeting_pk}"


def motion_id(motion_pk: int) -> str:
    return f"motion-{motion_pk}"


def _datetime(value: datetime) -> str:
    """RFC 3339 with the offset, in the deployment's time zone (what the pages show)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _compact(data: dict) -> dict:
    """Leave out optional properties that have no value."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _source(request, path: str) -> list[dict]:
    return [{"url": request.build_absolute_uri(path)}]


def _meta(request, town, *, kind: str) -> dict:
    return {
        "town": town.name,
        "export": kind,
        "generated_at": _datetime(timezone.now()),
        "source": request.build_absolute_uri(town.get_absolute_url()),
        "personal_data": _(
            "Names are masked (first character and two stars); no phone number, contact "
            "detail or account is published; votes are published as counts only."
        ),
    }


# --- The organisation ------------------------------------------------------------------


def organisation(request, town) -> dict:
    """The town's organisation in the Popolo shape, in a fixed number of queries."""
    units = list(
        OrgUnit.objects.filter(town=town).order_by("kind", "mode", "name_sort", "name", "pk")
    )
    areas = list(ResidentialArea.objects.filter(town=town).by_pinyin())
    memberships = list(
        Membership.objects.filter(unit__town=town).order_by("unit_id", "start_date", "pk")
    )
    partner_names = dict(Partner.objects.filter(town=town).values_list("pk", "name"))
    # Partners are persons when they are in the town's pool or hold a membership here
    # (a membership of a partner of another town cannot happen, but stay total).
    missing = {m.partner_id for m in memberships} - set(partner_names)
    if missing:
        partner_names.update(Partner.objects.filter(pk__in=missing).values_list("pk", "name"))
    names = [name for name in partner_names.values() if name]

    town_org = _compact(
        {
            "id": town_id(town),
            "name": town.name,
            "classification": "town",
            "description": public_text(town.description, names),
            "sources": _source(request, town.get_absolute_url()),
        }
    )
    organizations = [town_org]
    for unit in units:
        organizations.append(
            _compact(
                {
                    "id": unit_id(unit.pk),
                    "name": unit.name,
                    "classification": unit.kind,
                    "parent_id": unit_id(unit.parent_id) if unit.parent_id else town_id(town),
                    "description": public_text(unit.description, names),
                    "identifiers": [{"identifier": unit.mode, "scheme": "gongzhi:work_mode"}]
                    if unit.mode
                    else [],
                    "sources": _source(
                        request, reverse("organisations:unit", args=[town.slug, unit.pk])
                    ),
                }
            )
        )
    for area in areas:
        organizations.append(
            {
                "id": committee_id(area.pk),
                "name": _("%(area)s residents' committee") % {"area": area.name},
                "classification": "residents_committee",
                "parent_id": town_id(town),
                "area_id": area_id(area.pk),
                "sources": _source(request, reverse("places:area", args=[town.slug, area.pk])),
            }
        )

    popolo_areas = [
        _compact(
            {
                "id": area_id(area.pk),
                "name": area.name,
                "identifier": area.code,
                "classification": "residential_area",
            }
        )
        for area in areas
    ]

    persons = [
        {"id": person_id(pk), "name": mask_name(name)} for pk, name in sorted(partner_names.items())
    ]

    role_labels = dict(MemberRole.choices)
    unit_names = {unit.pk: unit.name for unit in units}
    posts = {}
    popolo_memberships = []
    for membership in memberships:
        role = membership.role
        post = None
        if role in POST_ROLES:
            post = post_id(membership.unit_id, role)
            posts.setdefault(
                post,
                {
                    "id": post,
                    "label": _("%(role)s, %(unit)s")
                    % {"role": role_labels[role], "unit": unit_names[membership.unit_id]},
                    "role": str(role_labels[role]),
                    "organization_id": unit_id(membership.unit_id),
                },
            )
        popolo_memberships.append(
            _compact(
                {
                    "id": f"membership-{membership.pk}",
                    "person_id": person_id(membership.partner_id),
                    "organization_id": unit_id(membership.unit_id),
                    "role": str(role_labels[role]),
                    "post_id": post,
                    "start_date": membership.start_date.isoformat(),
                    "end_date": membership.end_date.isoformat() if membership.end_date else None,
                }
            )
        )

    return {
        "meta": _meta(request, town, kind="organisation"),
        "persons": persons,
        "organizations": organizations,
        "memberships": popolo_memberships,
        "posts": list(posts.values()),
        "areas": popolo_areas,
    }


# --- Meetings as events ------------------------------------------------------------------


def _organizer_id(meeting, town) -> str:
    """Who convened it: its unit, else the area's residents' committee, else the town."""
    if meeting.organiser_id:
        return unit_id(meeting.organiser_id)
    if meeting.area_id:
        return committee_id(meeting.area_id)
    return town_id(town)


def _counts(motion) -> list[dict]:
    """The vote counts of an annotated motion (see ``meetings``): by-name votes counted,
    or the recorded counts; owners' decisions add the headcount figures."""
    if motion.vote_mode == VoteMode.BY_NAME:
        tally = (motion.named_yes, motion.named_no, motion.named_abstain)
    elif motion.yes_count is not None:
        tally = (motion.yes_count, motion.no_count or 0, motion.abstain_count or 0)
    else:
        tally = None
    counts = []
    if tally is not None and any(tally):
        counts = [
            {"option": option, "value": value}
            for option, value in zip(("yes", "no", "abstain"), tally, strict=True)
        ]
    if motion.total_owners is not None:
        counts += [
            {"option": "owners_total", "value": motion.total_owners},
            {"option": "owners_participating", "value": motion.participating_owners or 0},
            {"option": "owners_yes", "value": motion.yes_owners or 0},
        ]
    return counts


def _result(motion) -> str:
    return "pass" if motion.result == MotionResult.PASSED else "fail"


def meetings(request, town, *, year: int) -> dict:
    """The meetings the town held in ``year`` (by start, local time), as Popolo events
    with their motions and vote events, in a fixed number of queries."""
    held = list(
        Meeting.objects.filter(town=town, status=MeetingStatus.HELD, starts_at__year=year)
        .select_related("area")
        .order_by("starts_at", "pk")
    )
    by_pk = {meeting.pk: meeting for meeting in held}
    names = names_by_meeting(by_pk)
    motions = list(
        Motion.objects.filter(
            meeting__in=held, status__in=[MotionStatus.DECIDED, MotionStatus.WITHDRAWN]
        )
        .annotate(
            named_yes=Count("votes", filter=Q(votes__choice=Choice.YES)),
            named_no=Count("votes", filter=Q(votes__choice=Choice.NO)),
            named_abstain=Count("votes", filter=Q(votes__choice=Choice.ABSTAIN)),
        )
        .order_by("meeting_id", "created_at", "pk")
    )
    rule_labels = dict(DecisionRule.choices)

    events = []
    for meeting in held:
        location = [meeting.venue]
        if meeting.area:
            location.append(meeting.area.name)
        location.append(town.name)
        events.append(
            {
                "id": meeting_id(meeting.pk),
                "name": public_text(meeting.title, names.get(meeting.pk, [])),
                "description": str(meeting.get_kind_display()),
                "classification": meeting.kind,
                "start_date": _datetime(meeting.starts_at),
                "end_date": _datetime(meeting.ends_at),
                "location": ", ".join(location),
                "status": meeting.status,
                "organization_id": _organizer_id(meeting, town),
                "sources": _source(
                    request, reverse("meetings:meeting", args=[town.slug, meeting.pk])
                ),
            }
        )

    popolo_motions = []
    vote_events = []
    for motion in motions:
        meeting = by_pk[motion.meeting_id]
        organization = _organizer_id(meeting, town)
        decided = motion.status == MotionStatus.DECIDED
        result = _result(motion) if decided else motion.status
        popolo_motions.append(
            _compact(
                {
                    "id": motion_id(motion.pk),
                    "organization_id": organization,
                    "legislative_session_id": meeting_id(meeting.pk),
                    "text": public_text(motion.text, names.get(meeting.pk, [])),
                    "date": _datetime(motion.decided_at or motion.created_at),
                    "requirement": str(rule_labels.get(meeting.decision_rule, "")),
                    "result": result,
                }
            )
        )
        if not decided:
            continue
        vote_events.append(
            _compact(
                {
                    "id": f"vote-event-{motion.pk}",
                    "organization_id": organization,
                    "legislative_session_id": meeting_id(meeting.pk),
                    "motion_id": motion_id(motion.pk),
                    "start_date": _datetime(motion.decided_at),
                    "result": _result(motion),
                    "counts": _counts(motion),
                }
            )
        )

    return {
        "meta": {**_meta(request, town, kind="meetings"), "year": year},
        "events": events,
        "motions": popolo_motions,
        "vote_events": vote_events,
    }
