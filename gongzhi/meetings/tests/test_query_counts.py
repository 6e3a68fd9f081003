"""Query counts of the meeting pages do not grow with their rows."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.testing import assert_constant_queries
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    Speech,
)
from gongzhi.proposals.tests.builders import make_proposal

from .builders import (
    decided_meeting,
    make_meeting,
    manage_url,
    motion_url,
    seconded_motion,
    sign_in_people,
)

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
            proposal = make_proposal(town=town, area=area_a, title=f"提案{i}")
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


def test_adopt_page_queries_do_not_grow(client_for, town, area_a, staff):
    proposal = make_proposal(town=town, area=area_a, title="加装座椅")
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
