"""Every write that runs a meeting checks the actor's permission inside the service, so
that a view (or any other caller) that forgets its check still cannot act: each service
is called directly by people who may not, and must refuse with nothing written.

The meeting is in area B, which the area staff of the shared fixtures do not serve;
the other secretariat serves another town (the last test below covers the resident and nobody;
the allowed calls are the other tests of this app). Signing oneself in is the
resident's own action, held to its time window.
"""

from datetime import timedelta
from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongzhi.core.testing import assert_refused
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    Meeting,
    Motion,
    Party,
    Speech,
    Vote,
)
from gongzhi.tests.factories import UserFactory

from .builders import add_action, make_meeting, seconded_motion, sign_in_people

# Everyone who may not run a meeting of area B.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_b, people):
    staff = people["secretariat"]
    meeting = make_meeting(town=town, area=area_b, actor=staff, kind="joint")
    invited = services.invite(meeting=meeting, actor=staff, name="王小明")
    attendees = sign_in_people(meeting, staff, ["张三丰", "李四"])
    action = add_action(meeting, staff)
    return {
        "town": town,
        "area": area_b,
        "meeting": meeting,
        "invited": invited,
        "attendees": attendees,
        "motion": seconded_motion(meeting, staff, attendees),
        "action": action,
    }


CASES = {
    "create_meeting": lambda w, a: make_meeting(
        town=w["town"],
        area=w["area"],
        actor=a,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=2),
    ),
    "create_meeting_town_wide": lambda w, a: make_meeting(town=w["town"], area=None, actor=a),
    "cancel_meeting": lambda w, a: services.cancel_meeting(
        meeting=w["meeting"], actor=a, reason="下雨"
    ),
    "add_agenda_item": lambda w, a: services.add_agenda_item(
        meeting=w["meeting"], actor=a, title="议题"
    ),
    "invite": lambda w, a: services.invite(meeting=w["meeting"], actor=a, name="某人"),
    "sign_in": lambda w, a: services.sign_in(meeting=w["meeting"], actor=a, attendee=w["invited"]),
    "record_party": lambda w, a: services.record_party(
        meeting=w["meeting"], actor=a, party=Party.OWNERS_COMMITTEE, present=True
    ),
    "move_motion": lambda w, a: services.move_motion(
        meeting=w["meeting"], actor=a, text="另一动议", mover=w["attendees"][0]
    ),
    "second_motion": lambda w, a: services.second_motion(
        motion=w["motion"], actor=a, seconder=w["attendees"][1]
    ),
    "withdraw_motion": lambda w, a: services.withdraw_motion(motion=w["motion"], actor=a),
    "record_speech": lambda w, a: services.record_speech(
        motion=w["motion"], actor=a, attendee=w["attendees"][0], stance="for", seconds=10
    ),
    "cast_vote": lambda w, a: services.cast_vote(
        motion=w["motion"], actor=a, attendee=w["attendees"][0], choice="yes"
    ),
    "cast_votes": lambda w, a: services.cast_votes(
        motion=w["motion"], actor=a, votes={w["attendees"][0].pk: "yes"}
    ),
    "record_counts": lambda w, a: services.record_counts(
        motion=w["motion"], actor=a, yes=2, no=0, abstain=0
    ),
    "record_owners_count": lambda w, a: services.record_owners_count(motion=w["motion"], actor=a),
    "decide_motion": lambda w, a: services.decide_motion(motion=w["motion"], actor=a),
    "save_minutes": lambda w, a: services.save_minutes(meeting=w["meeting"], actor=a, body="纪要"),
    "approve_minutes": lambda w, a: services.approve_minutes(meeting=w["meeting"], actor=a),
    "add_action_item": lambda w, a: services.add_action_item(
        meeting=w["meeting"], actor=a, title="t", owner_name="o", due_on=timezone.localdate()
    ),
    "set_action_status": lambda w, a: services.set_action_status(
        item=w["action"], actor=a, status="done"
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_run_the_meeting(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))


# --- Taking part as oneself ----------------------------------------------------------


def test_signing_oneself_in_is_refused_to_an_account_that_cannot_act(town, area_b, people):
    """meetings.take_part: a closed (inactive) account or nobody at all cannot sign
    in, even when invited by name."""
    staff = people["secretariat"]
    meeting = make_meeting(town=town, area=area_b, actor=staff)
    closed = UserFactory(is_active=False, residential_area=area_b)
    services.invite(meeting=meeting, actor=staff, name="孙居民", user=closed)
    assert_refused(
        partial(services.sign_in_self, meeting=meeting, user=closed),
        partial(services.sign_in_self, meeting=meeting, user=AnonymousUser()),
        partial(services.sign_in_self, meeting=meeting, user=None),
    )


# --- 14. The services check permission themselves ---------------------------------


def test_meeting_writes_need_the_right_to_run_the_meeting(town, area_a, people, meeting, staff):
    resident = people["resident"]
    person = services.invite(meeting=meeting, actor=staff, name="王小明")
    attendees = sign_in_people(meeting, staff, ["张三丰", "李四"])
    motion = seconded_motion(meeting, staff, attendees)
    action = add_action(meeting, staff)
    later = timezone.now() + timedelta(days=1)
    writes = [
        lambda a: make_meeting(town=town, area=area_a, actor=a, starts_at=later),
        lambda a: services.cancel_meeting(meeting=meeting, actor=a, reason="下雨"),
        lambda a: services.add_agenda_item(meeting=meeting, actor=a, title="议题"),
        lambda a: services.invite(meeting=meeting, actor=a, name="某人"),
        lambda a: services.sign_in(meeting=meeting, actor=a, attendee=person),
        lambda a: services.move_motion(meeting=meeting, actor=a, text="x", mover=attendees[0]),
        lambda a: services.record_party(
            meeting=meeting, actor=a, party=Party.OWNERS_COMMITTEE, present=True
        ),
        lambda a: services.second_motion(motion=motion, actor=a, seconder=attendees[1]),
        lambda a: services.withdraw_motion(motion=motion, actor=a),
        lambda a: services.record_counts(motion=motion, actor=a, yes=1, no=0, abstain=0),
        lambda a: services.record_owners_count(motion=motion, actor=a),
        lambda a: services.record_speech(
            motion=motion, actor=a, attendee=attendees[0], stance="for", seconds=10
        ),
        lambda a: services.cast_vote(motion=motion, actor=a, attendee=attendees[0], choice="yes"),
        lambda a: services.cast_votes(motion=motion, actor=a, votes={attendees[0].pk: "yes"}),
        lambda a: services.decide_motion(motion=motion, actor=a),
        lambda a: services.save_minutes(meeting=meeting, actor=a, body="纪要"),
        lambda a: services.approve_minutes(meeting=meeting, actor=a),
        lambda a: services.add_action_item(
            meeting=meeting, actor=a, title="t", owner_name="o", due_on=timezone.localdate()
        ),
        lambda a: services.set_action_status(item=action, actor=a, status="done"),
    ]
    for write in writes:
        for actor in (resident, None):
            with pytest.raises(PermissionDenied):
                write(actor)
    assert Meeting.objects.count() == 1 and Motion.objects.count() == 1
    assert not Vote.objects.exists() and not Speech.objects.exists()
    # a town-wide meeting is the secretariat's
    with pytest.raises(PermissionDenied):
        make_meeting(town=town, area=None, actor=staff)
    assert make_meeting(town=town, area=None, actor=people["secretariat"]).area is None
