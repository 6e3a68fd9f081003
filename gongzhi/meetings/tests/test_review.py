"""The review of issue 5: the self sign-in window, ids that are not numbers, bounds
of the owners' figures, invitations by phone, masking on public pages, query counts,
votes cast together, speech lengths, the logged ledger download and the services'
own permission checks."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from gongzhi.core.errors import DomainError
from gongzhi.core.ledgers import Column, Ledger, logged_download
from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import assert_constant_queries, assert_nothing_written
from gongzhi.meetings import minutes, services
from gongzhi.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendee,
    DecisionRule,
    Meeting,
    MeetingKind,
    Motion,
    Party,
    Speech,
    Vote,
    VoteMode,
)
from gongzhi.places.models import ResidentialArea
from gongzhi.proposals import services as proposal_services
from gongzhi.tests.factories import UserFactory

from .helpers import decided_meeting, make_meeting, seconded_motion, sign_in_people


@pytest.fixture
def client_for(client_for):
    def make(role):
        made = client_for(role)
        made.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return made

    return make


@pytest.fixture
def staff(people):
    return people["area_staff"]


@pytest.fixture
def meeting(town, area_a, staff):
    return make_meeting(town=town, area=area_a, actor=staff, member_count=3)


def manage_url(meeting, action="manage"):
    """The manage page, or with ``action`` the URL its form of that name posts to."""
    return reverse(f"meetings:{action}", args=[meeting.town.slug, meeting.pk])


def motion_url(motion, action="motion"):
    """The motion page, or with ``action`` the URL its form of that name posts to."""
    args = [motion.meeting.town.slug, motion.meeting_id, motion.pk]
    return reverse(f"meetings:{action}", args=args)


def text(response):
    return response.content.decode()


# --- 1. Self sign-in only from two hours before the start until the end --------------


@translation.override("en")
def test_self_sign_in_is_refused_after_the_meeting_ended(town, area_a, staff, people):
    now = timezone.now()
    ended = make_meeting(
        town=town,
        area=area_a,
        actor=staff,
        starts_at=now - timedelta(days=2, hours=2),
        ends_at=now - timedelta(days=2),
    )
    resident = people["resident"]
    services.invite(meeting=ended, actor=staff, name="李居民", user=resident)
    assert not services.self_sign_in_open(ended, now)
    with pytest.raises(DomainError, match="The meeting is over"):
        services.sign_in_self(meeting=ended, user=resident)
    assert not Attendee.objects.get(user=resident).present
    # staff may still record it afterwards
    attendee = Attendee.objects.get(user=resident)
    assert services.sign_in(meeting=ended, actor=staff, attendee=attendee).present


def test_self_sign_in_window_bounds(meeting):
    start, end = meeting.starts_at, meeting.ends_at
    assert not services.self_sign_in_open(meeting, start - timedelta(hours=2, seconds=1))
    assert services.self_sign_in_open(meeting, start - timedelta(hours=2))
    assert services.self_sign_in_open(meeting, end)
    assert not services.self_sign_in_open(meeting, end + timedelta(seconds=1))


# --- 2. Ids and numbers that are not plain digits -----------------------------------


def test_unicode_digits_are_not_ids(client_for, town, meeting, staff):
    client = client_for("area_staff")
    ledger = client.get(reverse("meetings:ledger", args=[town.slug]) + "?year=²")
    assert ledger.status_code == 200
    with assert_nothing_written():
        response = client.post(manage_url(meeting, "sign_in_attendee"), {"attendee": "²"})
    assert response.status_code == 409
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    motion = seconded_motion(meeting, staff, people)
    with assert_nothing_written():
        response = client.post(motion_url(motion, "cast_votes"), {"vote-²": "yes"})
    assert response.status_code == 409 and "Choose someone on this meeting" in text(response)
    huge = "9" * 30
    with assert_nothing_written():
        response = client.post(motion_url(motion, "cast_votes"), {f"vote-{huge}": "yes"})
    assert response.status_code == 409
    with assert_nothing_written():
        response = client.post(manage_url(meeting, "sign_in_attendee"), {"attendee": huge})
    assert response.status_code == 409
    assert not Vote.objects.exists()


# --- 3. Owners' figures are bounded -------------------------------------------------


def owners_motion(town, area_a, staff):
    meeting = make_meeting(
        town=town, area=area_a, actor=staff, decision_rule=DecisionRule.OWNERS_MAJOR
    )
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    return seconded_motion(meeting, staff, people, vote_mode=VoteMode.COUNTS)


def test_huge_owners_figures_are_a_form_error(client_for, town, area_a, staff):
    motion = owners_motion(town, area_a, staff)
    figures = {
        "total_area": "1000",
        "total_owners": str(10**12),
        "participating_area": "900",
        "participating_owners": str(10**12),
        "yes_area": "800",
        "yes_owners": str(10**11),
    }
    with assert_nothing_written():
        response = client_for("area_staff").post(motion_url(motion, "record_owners_count"), figures)
    assert response.status_code == 400
    motion.refresh_from_db()
    assert motion.total_owners is None


@translation.override("en")
def test_huge_owners_figures_are_refused_by_the_service(town, area_a, staff):
    motion = owners_motion(town, area_a, staff)
    with pytest.raises(DomainError, match="at most"):
        services.record_owners_count(
            motion=motion,
            actor=staff,
            total_area=Decimal("1000"),
            total_owners=10**12,
            participating_area=Decimal("900"),
            participating_owners=10**12,
            yes_area=Decimal("800"),
            yes_owners=10**11,
        )
    motion.refresh_from_db()
    assert motion.total_owners is None


# --- 4. Invitations by phone: this town's accounts only, the name typed ---------------


def test_invite_by_phone_reveals_no_account(client_for, town, other_town, meeting, people):
    from gongzhi.tests.factories import AreaFactory

    elsewhere = UserFactory(
        display_name="外镇的钱多多",
        phone="13900001111",
        residential_area=AreaFactory(town=other_town, name="外镇小区", code="91"),
    )
    client = client_for("area_staff")
    for phone in (elsewhere.phone, "18600000000"):
        response = client.post(
            manage_url(meeting, "invite"),
            {"name": "某人", "party": "resident", "phone": phone},
        )
        page = text(response)
        assert response.status_code == 400
        assert "No account registered in this town has this mobile number." in page
        assert "钱多多" not in page
    assert not Attendee.objects.exists()
    # the name is required even with an account: its own name is never copied
    with assert_nothing_written():
        response = client.post(
            manage_url(meeting, "invite"),
            {
                "name": "",
                "party": "resident",
                "phone": people["resident"].phone,
            },
        )
    assert response.status_code == 400 and not Attendee.objects.exists()
    response = client.post(
        manage_url(meeting, "invite"),
        {
            "name": "老李",
            "party": "resident",
            "phone": people["resident"].phone,
        },
    )
    assert response.status_code == 302
    assert Attendee.objects.get(user=people["resident"]).name == "老李"


def test_the_service_refuses_an_account_of_another_town(meeting, staff, other_town):
    from gongzhi.tests.factories import AreaFactory

    outsider = UserFactory(residential_area=AreaFactory(town=other_town, code="92"))
    with pytest.raises(DomainError):
        services.invite(meeting=meeting, actor=staff, name="某人", user=outsider)
    assert not Attendee.objects.exists()


# --- 5. One masking of public text --------------------------------------------------


def test_public_text_masks_names_and_mobile_numbers():
    masked = minutes.public_text("王小明（13812345678）发言；工单号 213812345678901。", ["王小明"])
    assert masked == "王**（138****5678）发言；工单号 213812345678901。"


def test_public_meeting_page_masks_every_text_staff_typed(client_for, town, area_a, staff):
    meeting = make_meeting(
        town=town, area=area_a, actor=staff, kind=MeetingKind.JOINT, member_count=3
    )
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    item = services.add_agenda_item(meeting=meeting, actor=staff, title="王小明反映的漏水问题")
    services.record_party(
        meeting=meeting,
        actor=staff,
        party=Party.OWNERS_COMMITTEE,
        present=True,
        note="代表张三丰 13812345678",
    )
    seconded_motion(meeting, staff, people, text="同意王小明的方案", agenda_item=item)
    services.add_action_item(
        meeting=meeting,
        actor=staff,
        title="张三丰联系物业",
        owner_name="王小明 13912345678",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    public = text(client_for("anonymous").get(meeting.get_absolute_url()))
    for full in ("王小明", "张三丰", "13812345678", "13912345678"):
        assert full not in public
    assert "王**反映的漏水问题" in public and "同意王**的方案" in public
    assert "张**联系物业" in public and "138****5678" in public
    area_page = text(client_for("anonymous").get(area_a.get_absolute_url()))
    assert "张**联系物业" in area_page and "张三丰" not in area_page
    assert "139****5678" in area_page
    # staff keep the full text
    staff_page = text(client_for("area_staff").get(manage_url(meeting)))
    assert "王小明反映的漏水问题" in staff_page and "张三丰联系物业" in staff_page


# --- 6/7. Query counts ---------------------------------------------------------------


def test_manage_page_queries_do_not_grow(client_for, town, area_a, staff):
    meeting = make_meeting(town=town, area=area_a, actor=staff, member_count=200)
    count = [0]

    def make(n):
        items = []
        for _ in range(n):
            count[0] += 1
            i = count[0]
            people = sign_in_people(meeting, staff, [f"甲{i}", f"乙{i}"])
            proposal, _author = proposal_in(town, area_a, f"提案{i}")
            items.append(f"议题{i}号")
            AgendaItem.objects.create(meeting=meeting, order=i, title=items[-1], proposal=proposal)
            services.move_motion(meeting=meeting, actor=staff, text=f"动议{i}", mover=people[0])
            ActionItem.objects.create(
                meeting=meeting, title=f"事项{i}", owner_name="物业", due_on=timezone.localdate()
            )
        return items

    assert_constant_queries(client_for("area_staff"), manage_url(meeting), make, 2, 12)


def test_motion_page_queries_do_not_grow(client_for, town, area_a, staff):
    meeting = make_meeting(
        town=town, area=area_a, actor=staff, member_count=200, speeches_per_person=10
    )
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    motion = seconded_motion(meeting, staff, people)
    count = [0]

    def make(n):
        speakers = []
        for _ in range(n):
            count[0] += 1
            (person,) = sign_in_people(meeting, staff, [f"丙{count[0]}号"])
            Speech.objects.create(motion=motion, attendee=person, stance="for", seconds=300)
            services.cast_vote(motion=motion, actor=staff, attendee=person, choice="yes")
            speakers.append(person.name)
        return speakers

    assert_constant_queries(client_for("area_staff"), motion_url(motion), make, 2, 12)


def proposal_in(town, area, title):
    author = UserFactory(residential_area=area)
    proposal = proposal_services.submit_proposal(
        town=town,
        author=author,
        area=area,
        title=title,
        description="希望改善。",
        category="facilities",
    )
    return proposal, author


def test_adopt_page_queries_do_not_grow(client_for, town, area_a, staff):
    proposal, _author = proposal_in(town, area_a, "加装座椅")
    url = reverse("meetings:adopt_proposal", args=[town.slug, proposal.pk])
    count = [0]

    def make(n):
        titles = []
        for _ in range(n):
            count[0] += 1
            later = timezone.now() + timedelta(days=count[0])
            titles.append(f"第{count[0]}次自治会")
            make_meeting(
                town=town,
                area=area_a,
                actor=staff,
                title=titles[-1],
                starts_at=later,
                ends_at=later + timedelta(hours=1),
            )
        return titles

    assert_constant_queries(client_for("area_staff"), url, make)


def test_meeting_list_counts_without_joining_attendees_and_motions(client_for, town, area_a, staff):
    client = client_for("anonymous")
    for _n in range(2):
        done = decided_meeting(town=town, area=area_a, actor=staff)
    url = reverse("meetings:meeting_list", args=[town.slug])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    page = response.content.decode()
    listing = [q["sql"] for q in ctx.captured_queries if 'FROM "meetings_meeting"' in q["sql"]]
    assert listing and not any(
        'JOIN "meetings_attendee"' in sql or 'JOIN "meetings_motion"' in sql for sql in listing
    )
    assert "3 present" in page and "1 decision" in page
    counted = Meeting.objects.with_counts().get(pk=done["meeting"].pk)
    assert (counted.present_count, counted.motion_count, counted.decided_count) == (3, 1, 1)


# --- 9/10. Scheduling --------------------------------------------------------------


def test_a_model_validation_error_is_a_domain_error(town, area_a, staff):
    with pytest.raises(DomainError):
        make_meeting(town=town, area=area_a, actor=staff, decision_rule="bogus")
    assert not Meeting.objects.exists()


def test_area_staff_are_not_offered_a_town_wide_meeting(client_for, town):
    page = text(client_for("area_staff").get(reverse("meetings:create_meeting", args=[town.slug])))
    assert "Town-wide" not in page
    page = text(client_for("secretariat").get(reverse("meetings:create_meeting", args=[town.slug])))
    assert "Town-wide" in page


# --- 11. Votes together, one ledger download, one list of areas -------------------------


def test_cast_votes_is_all_or_nothing(meeting, staff):
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    absent = services.invite(meeting=meeting, actor=staff, name="李四")
    motion = seconded_motion(meeting, staff, people)
    with pytest.raises(DomainError):
        services.cast_votes(
            motion=motion,
            actor=staff,
            votes={people[0].pk: "yes", people[1].pk: "no", absent.pk: "yes"},
        )
    assert not Vote.objects.exists()
    with pytest.raises(DomainError):
        services.cast_votes(motion=motion, actor=staff, votes={people[0].pk: "maybe"})
    assert not Vote.objects.exists()
    cast = services.cast_votes(
        motion=motion, actor=staff, votes={people[0].pk: "yes", people[1].pk: "no"}
    )
    assert len(cast) == 2 and Vote.objects.count() == 2


def test_logged_download_records_the_rows(town, people):
    ledger = Ledger("Sheet", "Title", [Column("A")], lambda: iter([[1], [2], [3]]))
    response = logged_download(
        [ledger],
        "台账.xlsx",
        "ledger.xlsx",
        actor=people["secretariat"],
        town=town,
        name="x",
        year=1,
    )
    assert response["Content-Disposition"].startswith('attachment; filename="ledger.xlsx"')
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.after == {"ledger": "x", "rows": 3, "year": 1}


def test_meeting_ledger_export_is_logged_with_its_rows(client_for, town, area_a, staff):
    decided_meeting(town=town, area=area_a, actor=staff)
    response = client_for("area_staff").get(reverse("meetings:ledger", args=[town.slug]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.after == {"ledger": "meetings", "rows": 1, "year": None}


def test_areas_for_choices_come_from_one_queryset_method(town, area_a, area_b):
    import gongzhi.proposals.forms as proposal_forms
    from gongzhi.partners.forms import town_areas

    assert not hasattr(proposal_forms, "town_areas")
    # In pinyin order: 第二居民区 (di) before 逸景佳苑 (yi).
    assert list(ResidentialArea.objects.choices_in(town)) == [area_b, area_a]
    assert list(town_areas(town)) == list(ResidentialArea.objects.choices_in(town))
    assert not ResidentialArea.objects.choices_in(None).exists()


# --- 12. Speech lengths ------------------------------------------------------------


@translation.override("en")
def test_a_speech_far_over_the_limit_is_refused_and_overruns_are_shown(client_for, meeting, staff):
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    motion = seconded_motion(meeting, staff, people)
    with pytest.raises(DomainError, match="three times"):
        services.record_speech(
            motion=motion, actor=staff, attendee=people[0], stance="for", seconds=3600
        )
    assert not Speech.objects.exists()
    services.record_speech(
        motion=motion, actor=staff, attendee=people[0], stance="for", seconds=360
    )
    services.record_speech(motion=motion, actor=staff, attendee=people[1], stance="for", seconds=60)
    page = text(client_for("area_staff").get(motion_url(motion)))
    assert page.count("over time") == 1
    with assert_nothing_written():
        response = client_for("area_staff").post(
            motion_url(motion, "record_speech"),
            {"attendee": people[1].pk, "stance": "against", "seconds": 3600},
        )
    assert response.status_code == 409 and Speech.objects.count() == 2


# --- 13. Translatable strings outside f-strings -------------------------------------


@pytest.mark.parametrize("app", ["meetings", "proposals"])
def test_no_translated_string_inside_an_f_string(app):
    root = Path(__file__).resolve().parents[2] / app
    paths = sorted(root.glob("*.py"))
    assert len(paths) > 5, root
    for path in paths:
        source = path.read_text()
        assert not re.search(r"""f["'][^"'\n]*\{_\(""", source), path


# --- 14. The services check permission themselves ---------------------------------


def test_meeting_writes_need_the_right_to_run_the_meeting(town, area_a, people, meeting, staff):
    resident = people["resident"]
    person = services.invite(meeting=meeting, actor=staff, name="王小明")
    attendees = sign_in_people(meeting, staff, ["张三丰", "李四"])
    motion = seconded_motion(meeting, staff, attendees)
    action = services.add_action_item(
        meeting=meeting,
        actor=staff,
        title="联系物业",
        owner_name="物业",
        due_on=timezone.localdate(),
    )
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
