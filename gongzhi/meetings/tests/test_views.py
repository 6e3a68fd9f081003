"""Meetings pages through the views: the list, scheduling, running a joint meeting
end to end, every refusal with its message and nothing stored, the chair's timer
form, adopting a proposal, and the public record masked on a phone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import (
    assert_constant_queries,
    assert_nothing_written,
)
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    Choice,
    DecisionRule,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Motion,
    MotionResult,
    MotionStatus,
    Party,
    PartyPresence,
    Speech,
    Vote,
    VoteMode,
)
from gongzhi.proposals.models import ProposalStatus
from gongzhi.proposals.tests.builders import make_proposal

from .builders import (
    add_action,
    decided_meeting,
    make_meeting,
    manage_url,
    motion_url,
    seconded_motion,
    sign_in_people,
    text,
)

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 MicroMessenger"


@pytest.fixture
def client(client):
    """Pages in English: the messages asserted here are the msgids (the Chinese
    catalogue is compiled separately)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- The list ------------------------------------------------------------------------


def test_list_filters_by_area_kind_and_month(client, town, area_a, area_b, people):
    secretary = people["secretariat"]
    now = timezone.now()
    make_meeting(town=town, area=area_a, actor=secretary, title="甲自治会")
    make_meeting(town=town, area=area_b, actor=secretary, title="乙联席会", kind=MeetingKind.JOINT)
    last_year = now.replace(year=now.year - 1)
    make_meeting(
        town=town,
        area=area_a,
        actor=secretary,
        title="去年的听证会",
        kind=MeetingKind.HEARING,
        starts_at=last_year,
        ends_at=last_year + timedelta(hours=1),
    )
    url = reverse("meetings:meeting_list", args=[town.slug])
    page = text(client.get(url))
    assert "甲自治会" in page and "乙联席会" in page and "去年的听证会" in page
    page = text(client.get(url, {"area": area_b.pk}))
    assert "乙联席会" in page and "甲自治会" not in page
    page = text(client.get(url, {"kind": "hearing"}))
    assert "去年的听证会" in page and "甲自治会" not in page
    local = timezone.localtime(now)
    page = text(client.get(url, {"year": local.year, "month": local.month}))
    assert "甲自治会" in page and "去年的听证会" not in page
    # htmx asks for the results only
    partial = client.get(url, {"kind": "joint"}, headers={"HX-Request": "true"})
    assert "乙联席会" in text(partial) and "<html" not in text(partial)
    assert "HX-Request" in partial["Vary"]
    # a nonsense filter is a 400 with the form, not a 500
    assert client.get(url, {"kind": "<script>"}).status_code == 400


def test_list_shows_counts_and_hides_cancelled(client, town, area_a, staff):
    world = decided_meeting(town=town, area=area_a, actor=staff, title="充电桩议事会")
    cancelled = make_meeting(town=town, area=area_a, actor=staff, title="取消的会")
    services.cancel_meeting(meeting=cancelled, actor=staff, reason="台风")
    page = text(client.get(reverse("meetings:meeting_list", args=[town.slug])))
    assert "充电桩议事会" in page and "取消的会" not in page
    assert "3 present" in page and "1 decision" in page
    assert world["meeting"].venue in page


def test_list_queries_do_not_grow(client, town, area_a, staff):
    def make(n):
        meetings = []
        for i in range(n):
            meeting = make_meeting(town=town, area=area_a, actor=staff, title=f"会议{i}")
            people = sign_in_people(meeting, staff, [f"甲{i}", f"乙{i}"])
            services.move_motion(meeting=meeting, actor=staff, text="动议", mover=people[0])
            meetings.append(meeting)
        return meetings

    assert_constant_queries(client, reverse("meetings:meeting_list", args=[town.slug]), make)


def test_meeting_page_queries_do_not_grow(client, town, area_a, staff):
    meeting = make_meeting(town=town, area=area_a, actor=staff, member_count=200)
    count = [0]

    def make(n):
        items = []
        for _ in range(n):
            count[0] += 1
            i = count[0]
            people = sign_in_people(meeting, staff, [f"甲{i}", f"乙{i}"])
            items.append(f"议题{i}号")
            services.add_agenda_item(meeting=meeting, actor=staff, title=items[-1])
            motion = seconded_motion(meeting, staff, people)
            services.cast_vote(motion=motion, actor=staff, attendee=people[0], choice="yes")
            services.add_action_item(
                meeting=meeting,
                actor=staff,
                title=f"事项{i}",
                owner_name=f"甲{i}",
                due_on=timezone.localdate(),
            )
        return items

    assert_constant_queries(client, meeting.get_absolute_url(), make, small=2, large=12)


# --- Scheduling ----------------------------------------------------------------------


def form_data(area=None, **extra):
    now = timezone.localtime() + timedelta(days=2)
    data = {
        "kind": "self_governance",
        "title": "第三季度自治会议",
        "area": area.pk if area else "",
        "organiser": "",
        "venue": "逸致议事厅",
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "member_count": "25",
        "decision_rule": "majority",
        "second_required": "on",
        "speech_minutes": "2",
        "speeches_per_person": "2",
    }
    data.update(extra)
    return data


def test_area_staff_schedule_in_their_area_only(client_for, town, area_a, area_b):
    client = client_for("area_staff")
    url = reverse("meetings:create_meeting", args=[town.slug])
    page = text(client.get(url))
    assert area_a.name in page and area_b.name not in page
    response = client.post(url, form_data(area_a, title="<script>alert(1)</script>"))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == manage_url(meeting)
    assert meeting.area == area_a and meeting.speech_minutes == 2 and meeting.second_required
    # another area is not a choice (400); town-wide is the secretariat's: area staff
    # must choose one of their areas (400, with the form's error)
    with assert_nothing_written():
        assert client.post(url, form_data(area_b)).status_code == 400
    with assert_nothing_written():
        response = client.post(url, form_data(None))
    assert response.status_code == 400 and "This field is required." in text(response)
    assert Meeting.objects.count() == 1
    # what was typed renders inert
    page = text(client.get(meeting.get_absolute_url()))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_secretariat_schedules_town_wide_and_errors_are_messages(client_for, town, area_a):
    client = client_for("secretariat")
    url = reverse("meetings:create_meeting", args=[town.slug])
    assert client.post(url, form_data(None)).status_code == 302
    # a joint meeting belongs to an area: the service's message, nothing stored
    with assert_nothing_written():
        response = client.post(url, form_data(None, kind="joint"))
    assert response.status_code == 400
    assert "A joint meeting belongs to a residential area." in text(response)
    assert Meeting.objects.count() == 1
    assert client_for("resident").get(url).status_code == 403


# --- A joint meeting from invitation to published minutes ------------------------------


def test_joint_meeting_flow_and_public_page_masked(client_for, client, town, area_a, people):
    staff_client = client_for("area_staff")
    resident = people["resident"]
    meeting = make_meeting(
        town=town,
        area=area_a,
        actor=people["area_staff"],
        kind=MeetingKind.JOINT,
        title="三方联席会",
    )
    url = manage_url(meeting)
    # invite one of each party; the resident by the phone number of their account
    for name, party in [
        ("王小明", Party.RESIDENTS_COMMITTEE),
        ("张三丰", Party.OWNERS_COMMITTEE),
        ("赵物业", Party.PROPERTY_COMPANY),
    ]:
        assert (
            staff_client.post(
                manage_url(meeting, "invite"), {"name": name, "party": party}
            ).status_code
            == 302
        )
    response = staff_client.post(
        manage_url(meeting, "invite"),
        {"name": "李大爷", "party": "resident", "phone": resident.phone},
    )
    assert response.status_code == 302
    assert Attendee.objects.get(user=resident).name == "李大爷"
    with assert_nothing_written():
        unknown = staff_client.post(
            manage_url(meeting, "invite"), {"party": "resident", "phone": "18600000000"}
        )
    assert unknown.status_code == 400 and "18600000000" not in Attendee.objects.values_list(
        "name", flat=True
    )
    # sign-in roster, a walk-in, and the resident signs in on their phone
    invited = list(Attendee.objects.filter(meeting=meeting, user__isnull=True))
    assert len(invited) == 3
    for attendee in invited:
        assert (
            staff_client.post(
                manage_url(meeting, "sign_in_attendee"), {"attendee": attendee.pk}
            ).status_code
            == 302
        )
    staff_client.post(manage_url(meeting, "walk_in"), {"name": "孙路人", "party": "resident"})
    resident_client = client_for("resident")
    page = text(resident_client.get(meeting.get_absolute_url(), HTTP_USER_AGENT=PHONE))
    assert "Sign me in" in page
    resident_client.post(reverse("meetings:sign_in", args=[town.slug, meeting.pk]))
    assert Attendee.objects.get(user=resident).present
    assert Attendee.objects.filter(meeting=meeting, present=True).count() == 5
    # the three parties: two present, the property company absent with its reason
    staff_client.post(
        manage_url(meeting, "record_party"),
        {"party": "residents_committee", "present": "1", "note": "王小明"},
    )
    staff_client.post(
        manage_url(meeting, "record_party"),
        {"party": "owners_committee", "present": "1", "note": "张三丰"},
    )
    with assert_nothing_written():
        no_reason = staff_client.post(
            manage_url(meeting, "record_party"), {"party": "property_company", "present": "0"}
        )
    assert no_reason.status_code == 409 and PartyPresence.objects.count() == 2
    staff_client.post(
        manage_url(meeting, "record_party"),
        {"party": "property_company", "present": "0", "note": "经理出差"},
    )
    assert PartyPresence.objects.filter(meeting=meeting).count() == 3
    # an agenda item, a motion moved and seconded
    staff_client.post(manage_url(meeting, "add_agenda_item"), {"title": "楼道堆物整治"})
    item = AgendaItem.objects.get(meeting=meeting)
    wang = Attendee.objects.get(name="王小明")
    zhang = Attendee.objects.get(name="张三丰")
    response = staff_client.post(
        manage_url(meeting, "move_motion"),
        {
            "text": "一个月内清理楼道堆物",
            "mover": wang.pk,
            "agenda_item": item.pk,
            "vote_mode": "by_name",
        },
    )
    motion = Motion.objects.get()
    assert response["Location"] == motion_url(motion)
    staff_client.post(motion_url(motion, "second_motion"), {"seconder": zhang.pk})
    motion.refresh_from_db()
    assert motion.status == MotionStatus.OPEN and motion.seconder == zhang
    # votes by name: the grid
    present = list(Attendee.objects.filter(meeting=meeting, present=True))
    choices = {p.pk: "yes" for p in present}
    choices[present[-1].pk] = "no"
    staff_client.post(
        motion_url(motion, "cast_votes"), {**{f"vote-{k}": v for k, v in choices.items()}}
    )
    assert Vote.objects.filter(motion=motion).count() == 5
    page = text(staff_client.get(motion_url(motion)))
    assert "By the meeting's rule the votes give" in page and "Passed: 4 yes, 1 no" in page
    staff_client.post(motion_url(motion, "decide_motion"), {"declared": "passed"})
    motion.refresh_from_db()
    assert motion.result == MotionResult.PASSED and motion.status == MotionStatus.DECIDED
    # action item, minutes, approval
    staff_client.post(
        manage_url(meeting, "add_action_item"),
        {
            "title": "张贴清理通知",
            "owner_name": "王小明",
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "motion": motion.pk,
        },
    )
    assert ActionItem.objects.filter(meeting=meeting).count() == 1
    staff_client.post(
        manage_url(meeting, "save_minutes"),
        {"body": "王小明动议，张三丰附议。<script>alert(1)</script>"},
    )
    # draft minutes are not public
    assert "张三丰附议" not in text(client.get(meeting.get_absolute_url()))
    response = staff_client.post(manage_url(meeting, "approve_minutes"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    # the record is final: the staff pages show it without the forms that change it
    closed = text(staff_client.get(url))
    assert "The minutes are approved; the record is final." in closed
    assert f'action="{manage_url(meeting, "move_motion")}"' not in closed
    assert f'action="{manage_url(meeting, "add_action_item")}"' in closed
    assert staff_client.get(motion_url(motion)).status_code == 200
    with assert_nothing_written():
        late = staff_client.post(manage_url(meeting, "add_agenda_item"), {"title": "迟到的议题"})
    assert late.status_code == 409 and AgendaItem.objects.filter(meeting=meeting).count() == 1
    # the public record on a phone: names masked, decision shown, script inert
    response = client.get(meeting.get_absolute_url(), HTTP_USER_AGENT=PHONE)
    page = text(response)
    assert response.status_code == 200 and 'name="viewport"' in page
    assert "王小明" not in page and "张三丰" not in page
    assert "王**动议，张**附议" in page
    assert "<script>alert(1)</script>" not in page
    assert "一个月内清理楼道堆物" in page and "Passed" in page
    assert "经理出差" in page and "张贴清理通知" in page
    assert "5 invited · 5 present" in page or "4 invited · 5 present" in page


# --- Refusals: a clear message, nothing stored ---------------------------------------


@pytest.fixture
def running(meeting, staff):
    people = sign_in_people(meeting, staff, ["王小明", "张三丰", "李四"])
    absent = services.invite(meeting=meeting, actor=staff, name="缺席者")
    return {"meeting": meeting, "people": people, "absent": absent}


def test_voting_twice_and_voting_absent_are_refused(client_for, running, staff):
    client = client_for("area_staff")
    motion = seconded_motion(running["meeting"], staff, running["people"])
    first = running["people"][0]
    client.post(motion_url(motion, "cast_votes"), {f"vote-{first.pk}": "yes"})
    assert Vote.objects.count() == 1
    # twice: refused, and the other vote in the same grid is not stored either
    second = running["people"][1]
    with assert_nothing_written():
        response = client.post(
            motion_url(motion, "cast_votes"),
            {f"vote-{first.pk}": "no", f"vote-{second.pk}": "yes"},
        )
    assert response.status_code == 409 and "王小明 has already voted." in text(response)
    assert Vote.objects.count() == 1
    with assert_nothing_written():
        response = client.post(
            motion_url(motion, "cast_votes"), {f"vote-{running['absent'].pk}": "yes"}
        )
    assert response.status_code == 409 and "缺席者 has not signed in" in text(response)
    assert Vote.objects.count() == 1
    with assert_nothing_written():
        stranger = client.post(motion_url(motion, "cast_votes"), {"vote-999999": "yes"})
    assert stranger.status_code == 409 and Vote.objects.count() == 1


def test_second_by_mover_and_decide_before_second(client_for, running, staff):
    client = client_for("area_staff")
    mover = running["people"][0]
    motion = services.move_motion(meeting=running["meeting"], actor=staff, text="动议", mover=mover)
    with assert_nothing_written():
        response = client.post(motion_url(motion, "decide_motion"), {"declared": "passed"})
    assert response.status_code == 409 and "needs a second before it can be voted on" in text(
        response
    )
    with assert_nothing_written():
        response = client.post(motion_url(motion, "second_motion"), {"seconder": mover.pk})
    assert response.status_code == 409 and "The mover cannot second their own motion." in text(
        response
    )
    motion.refresh_from_db()
    assert motion.status == MotionStatus.MOVED and motion.seconder is None


def test_declared_result_contradicting_votes_is_refused(client_for, running, staff):
    client = client_for("area_staff")
    motion = seconded_motion(running["meeting"], staff, running["people"])
    for person in running["people"]:
        services.cast_vote(motion=motion, actor=staff, attendee=person, choice=Choice.NO)
    with assert_nothing_written():
        response = client.post(motion_url(motion, "decide_motion"), {"declared": "passed"})
    assert (
        response.status_code == 409
        and "The declared result contradicts the recorded votes" in text(response)
    )
    motion.refresh_from_db()
    assert motion.status == MotionStatus.OPEN and motion.result == ""
    client.post(motion_url(motion, "decide_motion"), {"declared": "failed"})
    motion.refresh_from_db()
    assert motion.result == MotionResult.FAILED


def test_approving_minutes_without_quorum_is_refused(client_for, town, area_a, staff):
    meeting = make_meeting(town=town, area=area_a, actor=staff, member_count=10)
    sign_in_people(meeting, staff, ["王小明", "张三丰"])
    client = client_for("area_staff")
    client.post(manage_url(meeting, "save_minutes"), {"body": "纪要"})
    with assert_nothing_written():
        response = client.post(manage_url(meeting, "approve_minutes"))
    assert (
        response.status_code == 409
        and "the meeting was not quorate (2 present of 10 members" in text(response)
    )
    assert Minutes.objects.get().status == MinutesStatus.DRAFT
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_counts_beyond_those_present_are_refused(client_for, running, staff):
    client = client_for("area_staff")
    motion = seconded_motion(
        running["meeting"], staff, running["people"], vote_mode=VoteMode.COUNTS
    )
    with assert_nothing_written():
        response = client.post(
            motion_url(motion, "record_counts"), {"yes": "3", "no": "1", "abstain": "0"}
        )
    assert (
        response.status_code == 409
        and "4 votes were recorded but only 3 people are present." in text(response)
    )
    motion.refresh_from_db()
    assert motion.yes_count is None
    client.post(motion_url(motion, "record_counts"), {"yes": "2", "no": "1", "abstain": "0"})
    client.post(motion_url(motion, "decide_motion"), {"declared": "passed"})
    motion.refresh_from_db()
    assert (motion.yes_count, motion.result) == (2, MotionResult.PASSED)
    # the grid of names is not offered for a motion counted by show of hands
    assert client.post(motion_url(motion, "record_counts"), {"yes": "x"}).status_code in (
        400,
        409,
    )


def test_owners_rule_figures(client_for, town, area_a, staff):
    meeting = make_meeting(
        town=town, area=area_a, actor=staff, decision_rule=DecisionRule.OWNERS_MAJOR
    )
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    motion = seconded_motion(meeting, staff, people, text="使用维修资金更换电梯")
    client = client_for("area_staff")
    page = text(client.get(motion_url(motion)))
    assert "Owners' figures" in page and 'name="total_area"' in page
    figures = {
        "total_area": "9000",
        "total_owners": "90",
        "participating_area": "7000",
        "participating_owners": "70",
        "yes_area": "5000",
        "yes_owners": "50",
    }
    # yes beyond those taking part: refused, nothing stored
    with assert_nothing_written():
        bad = client.post(
            motion_url(motion, "record_owners_count"), {**figures, "yes_owners": "80"}
        )
    assert bad.status_code == 409
    motion.refresh_from_db()
    assert motion.total_owners is None
    client.post(motion_url(motion, "record_owners_count"), figures)
    motion.refresh_from_db()
    assert motion.participating_area == Decimal("7000")
    # 5000/7000 < 3/4: a major item fails; declaring it passed contradicts the figures
    with assert_nothing_written():
        assert (
            client.post(motion_url(motion, "decide_motion"), {"declared": "passed"}).status_code
            == 409
        )
    client.post(motion_url(motion, "decide_motion"), {"declared": "failed"})
    motion.refresh_from_db()
    assert motion.result == MotionResult.FAILED


def test_speeches_and_turn_limit(client_for, running, staff):
    client = client_for("area_staff")
    motion = seconded_motion(running["meeting"], staff, running["people"])
    speaker = running["people"][2]
    page = text(client.get(motion_url(motion)))
    assert "data-meeting-timer" in page and 'data-seconds="120"' in page
    assert "meeting-timer.js" in page and "<script>" not in page.split("</head>")[1]
    for seconds in ("95", "120"):
        response = client.post(
            motion_url(motion, "record_speech"),
            {"attendee": speaker.pk, "stance": "for", "seconds": seconds},
        )
        assert response.status_code == 302
    with assert_nothing_written():
        response = client.post(
            motion_url(motion, "record_speech"),
            {"attendee": speaker.pk, "stance": "against", "seconds": "30"},
        )
    assert response.status_code == 409 and "李四 has had their 2 turns on this motion." in text(
        response
    )
    assert Speech.objects.filter(attendee=speaker).count() == 2
    assert "李四: 2/2" in text(client.get(motion_url(motion)))
    # no stance, or a speech of two hours: the form refuses it
    with assert_nothing_written():
        bad = client.post(
            motion_url(motion, "record_speech"), {"attendee": speaker.pk, "seconds": "7200"}
        )
    assert bad.status_code == 400 and Speech.objects.count() == 2


def test_withdraw_and_action_status(client_for, running, staff):
    client = client_for("area_staff")
    motion = seconded_motion(running["meeting"], staff, running["people"])
    client.post(motion_url(motion, "withdraw_motion"))
    motion.refresh_from_db()
    assert motion.status == MotionStatus.WITHDRAWN
    item = add_action(running["meeting"], staff, title="修路灯")
    client.post(
        manage_url(running["meeting"], "set_action_status"),
        {"item": item.pk, "status": "done"},
    )
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE


def test_the_pages_refuse_a_post(client_for, running, staff):
    """Each form posts to its own URL; a POST to the page itself (an old copy of it,
    a hand-made request) is refused, not answered with the page and nothing done."""
    motion = seconded_motion(running["meeting"], staff, running["people"])
    client = client_for("area_staff")
    with assert_nothing_written():
        for url in (manage_url(running["meeting"]), motion_url(motion)):
            for data in ({}, {"action": "agenda", "title": "x"}, {"action": "withdraw"}):
                assert client.post(url, data).status_code == 405


def test_staff_of_another_area_cannot_run_it(client_for, town, area_b, people):
    meeting = make_meeting(town=town, area=area_b, actor=people["secretariat"])
    people_b = sign_in_people(meeting, people["secretariat"], ["甲", "乙"])
    motion = seconded_motion(meeting, people["secretariat"], people_b)
    client = client_for("area_staff")
    assert client.get(manage_url(meeting)).status_code == 403
    with assert_nothing_written():
        assert (
            client.post(manage_url(meeting, "add_agenda_item"), {"title": "x"}).status_code == 403
        )
    with assert_nothing_written():
        assert client.post(motion_url(motion, "withdraw_motion")).status_code == 403
    assert not AgendaItem.objects.exists()
    assert client_for("secretariat").get(manage_url(meeting)).status_code == 200


def test_sign_me_in_only_for_invitees_during_the_meeting(client_for, town, area_a, staff, people):
    later = timezone.now() + timedelta(days=3)
    meeting = make_meeting(
        town=town, area=area_a, actor=staff, starts_at=later, ends_at=later + timedelta(hours=1)
    )
    services.invite(meeting=meeting, actor=staff, name="李居民", user=people["resident"])
    client = client_for("resident")
    assert "Sign me in" not in text(client.get(meeting.get_absolute_url()))
    client.post(reverse("meetings:sign_in", args=[town.slug, meeting.pk]))
    assert not Attendee.objects.get(user=people["resident"]).present
    outsider = client_for("partner")
    response = outsider.post(reverse("meetings:sign_in", args=[town.slug, meeting.pk]), follow=True)
    assert "You are not on this meeting&#x27;s list" in text(response)


# --- Adopting a proposal onto an agenda ---------------------------------------------


def test_adopt_a_proposal_onto_an_upcoming_meeting(client_for, town, area_a, area_b, people, staff):
    proposal = make_proposal(
        town=town, author=people["resident"], area=area_a, title="加装休闲座椅"
    )
    upcoming = make_meeting(town=town, area=area_a, actor=staff, title="下周自治会")
    other_area = make_meeting(town=town, area=area_b, actor=people["secretariat"], title="乙区会")
    held = decided_meeting(town=town, area=area_a, actor=staff, title="已开完的会")["meeting"]
    url = reverse("meetings:adopt_proposal", args=[town.slug, proposal.pk])
    client = client_for("area_staff")
    page = text(client.get(url))
    assert "下周自治会" in page and "乙区会" not in page and "已开完的会" not in page
    with assert_nothing_written():
        assert client.post(url, {"meeting": other_area.pk}).status_code == 400
    with assert_nothing_written():
        assert client.post(url, {"meeting": held.pk}).status_code == 400
    response = client.post(url, {"meeting": upcoming.pk, "title": ""})
    assert response.status_code == 302
    item = AgendaItem.objects.get(proposal=proposal)
    assert item.meeting == upcoming and item.title == "加装休闲座椅"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    # the meeting page links the proposal
    assert reverse("proposals:proposal", args=[town.slug, proposal.pk]) in text(
        client_for("anonymous").get(upcoming.get_absolute_url())
    )
    assert client_for("resident").get(url).status_code == 403


def test_staff_cancel_a_meeting_with_a_reason_but_not_one_that_decided(client_for, running, staff):
    client = client_for("area_staff")
    meeting = running["meeting"]
    with assert_nothing_written():
        assert client.post(manage_url(meeting, "cancel_meeting"), {"reason": ""}).status_code == 400
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    motion = seconded_motion(meeting, staff, running["people"])
    for person in running["people"]:
        services.cast_vote(motion=motion, actor=staff, attendee=person, choice="yes")
    services.decide_motion(motion=motion, actor=staff)
    with assert_nothing_written():
        refused = client.post(
            manage_url(meeting, "cancel_meeting"), {"reason": "下雨"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert refused.status_code == 409
    assert "cannot be cancelled" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_a_cancelled_meeting_leaves_the_public_list(client_for, town, area_a, staff):
    meeting = make_meeting(town=town, area=area_a, actor=staff, title="临时取消的会")
    client = client_for("area_staff")
    response = client.post(manage_url(meeting, "cancel_meeting"), {"reason": "台风预警"})
    assert response.status_code in (200, 302)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    listing = client_for("anonymous").get(reverse("meetings:meeting_list", args=[town.slug]))
    assert "临时取消的会" not in listing.content.decode()


# --- Editing a meeting until it decides ---------------------------------------------


def edit_url(meeting):
    return reverse("meetings:edit_meeting", args=[meeting.town.slug, meeting.pk])


def test_a_meeting_without_a_member_count_says_how_to_count_its_quorum(
    client_for, town, area_a, staff
):
    """Left blank with nobody invited, the quorum had nothing to count against and the
    meeting could never decide; the page says why, and editing the count fixes it."""
    meeting = make_meeting(town=town, area=area_a, actor=staff)
    # Two walk-ins (not invited): still nobody to count the quorum against.
    people = [services.sign_in(meeting=meeting, actor=staff, name=n) for n in ("甲", "乙")]
    client = client_for("area_staff")
    page = text(client.get(manage_url(meeting)))
    assert "The quorum cannot be counted" in page and edit_url(meeting) in page
    motion = seconded_motion(meeting, staff, people)
    for person in people:
        services.cast_vote(motion=motion, actor=staff, attendee=person, choice=Choice.YES)
    with assert_nothing_written(), pytest.raises(DomainError, match="quorum cannot be counted"):
        services.decide_motion(motion=motion, actor=staff)
    response = client.post(
        edit_url(meeting),
        form_data(area_a, title=meeting.title, member_count="3",
                  starts_at=timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
                  ends_at=timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M")),
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == manage_url(meeting)
    meeting.refresh_from_db()
    assert meeting.member_count == 3
    event = AuditEvent.objects.filter(verb="meeting.update").get()
    # (the form gives times to the minute, so the start and end are recorded too)
    assert event.before["member_count"] is None and event.after["member_count"] == 3
    assert "title" not in event.after and "venue" not in event.after
    assert services.decide_motion(motion=motion, actor=staff).status == MotionStatus.DECIDED
    # Once it has decided, its details stay as the decision found them.
    assert edit_url(meeting) not in text(client.get(manage_url(meeting)))
    with assert_nothing_written():
        response = client.post(edit_url(meeting), form_data(area_a, member_count="30"))
    assert response.status_code == 400 and "can no longer be changed" in text(response)


def test_editing_offers_only_the_staff_members_areas(client_for, town, area_a, area_b, staff):
    meeting = make_meeting(town=town, area=area_a, actor=staff, member_count=3)
    client = client_for("area_staff")
    page = text(client.get(edit_url(meeting)))
    assert area_a.name in page and area_b.name not in page
    with assert_nothing_written():
        assert client.post(edit_url(meeting), form_data(area_b)).status_code == 400
    with assert_nothing_written():
        assert client.post(edit_url(meeting), form_data(None)).status_code == 400
