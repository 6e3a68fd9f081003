"""我的 (core/mine.py and each app's mine.py): the signed-in person's own records,
section by section, with a constant number of queries."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from gongzhi.core.testing import assert_constant_queries
from gongzhi.factories import ActivityFactory, AreaFactory, UserFactory

_days = count(1)


@pytest.fixture
def client_for(client_for):
    """Pages in English: what is asserted here are the msgids. (translation.override
    does not reach a request: the locale middleware picks the language from the
    request, Chinese by default.)"""

    def make(role):
        made = client_for(role)
        made.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return made

    return make


def _proposal(town, area, author, **fields):
    from gongzhi.proposals.models import Proposal

    now = timezone.now()
    return Proposal.objects.create(
        town=town,
        area=area,
        author=author,
        title=fields.pop("title", f"提案{next(_days)}"),
        description="在小区门口增设休息座椅。",
        category=fields.pop("category", "public_space"),
        last_activity_at=now,
        **fields,
    )


def give_records(person, area, *, n=1, tag="mine"):
    """For ``person``, n of each record 我的 lists: an activity to come they signed up
    for, a past one they attended (volunteer service, checked out), a proposal they
    wrote, one they support and comment on with an official reply, a survey they
    answered, a plan they follow
    whose consultation is open, where they commented and were answered. Returns the
    activities to come (later ones further out, so a list soonest-first shows the
    earlier ones) and the markers of the rest."""
    from gongzhi.events.models import Attendance, Registration
    from gongzhi.planning.models import ConsultationComment, Follower
    from gongzhi.planning.tests.builders import _consultation_of, open_run, process_at_step
    from gongzhi.proposals.models import Comment, Support
    from gongzhi.surveys.models import Response, Survey

    now = timezone.now()
    staff = UserFactory()
    upcoming, markers = [], []
    for _ in range(n):
        day = next(_days)
        coming = ActivityFactory(
            area=area,
            town=area.town,
            title=f"{tag}-coming-{day}",
            starts_at=now + timedelta(days=day),
            ends_at=now + timedelta(days=day, hours=2),
        )
        Registration.objects.create(activity=coming, user=person, status="registered")
        past = ActivityFactory(
            area=area,
            town=area.town,
            kind="volunteer_service",
            title=f"{tag}-past-{day}",
            starts_at=now - timedelta(days=day, hours=3),
            ends_at=now - timedelta(days=day, hours=1),
        )
        Attendance.objects.create(
            activity=past,
            user=person,
            method="roster",
            checked_in_at=past.starts_at,
            checked_out_at=past.ends_at,
        )
        mine = _proposal(area.town, area, person, title=f"{tag}-proposal-{day}")
        theirs = _proposal(area.town, area, staff, title=f"{tag}-supported-{day}")
        Support.objects.create(proposal=theirs, user=person)
        comment = Comment.objects.create(proposal=theirs, author=person, body=f"{tag}-comment")
        Comment.objects.create(
            proposal=theirs, parent=comment, author=staff, body=f"{tag}-reply", is_official=True
        )
        # One active plan per area: each plan in an area of its own.
        plan_area = AreaFactory(town=area.town, name=f"{tag}-area-{day}")
        plan = process_at_step(8, town=area.town, area=plan_area, actor=staff)
        made = _consultation_of(
            open_run(plan), now, staff, None, {}, days=7, closes_at=now + timedelta(days=2)
        )
        Follower.objects.create(process=plan, user=person)
        ConsultationComment.objects.create(
            consultation=made["consultation"],
            user=person,
            body=f"{tag}-consultation",
            reply=f"{tag}-answer",
            replied_by=staff,
            replied_at=now,
        )
        survey = Survey.objects.create(
            town=area.town, area=area, title=f"{tag}-survey-{day}", status="open", created_by=staff
        )
        Response.objects.create(survey=survey, user=person)
        upcoming.append(coming)
        markers += [past, mine, theirs, survey, plan]
    return upcoming, markers


def test_me_lists_the_persons_own_records(client_for, people, area_a):
    upcoming, markers = give_records(people["resident"], area_a, tag="mine")
    give_records(people["partner"], area_a, tag="theirs")
    with override("en"):
        response = client_for("resident").get(reverse("me"))
    assert response.status_code == 200
    page = response.content.decode()
    records = [*upcoming, *markers]
    assert len(records) == 6
    for record in records:
        assert record.get_absolute_url() in page
    assert "mine-reply" in page and "mine-comment" in page
    assert "mine-consultation" in page and "mine-answer" in page
    plan = markers[-1]
    # The plan is in an open consultation: the follower is offered to comment now.
    assert reverse("planning:consultation", args=[plan.town.slug, plan.pk]) in page
    assert "theirs-" not in page


def test_me_query_count_is_constant(client_for, people, area_a):
    def make_rows(n):
        upcoming, _markers = give_records(people["resident"], area_a, n=n)
        return upcoming

    assert_constant_queries(client_for("resident"), reverse("me"), make_rows)


def give_partner_records(user, town, area, *, n=1, tag="mine"):
    """n declined partner applications of ``user`` and, as a partner, n teams they
    are a member of now. Returns the teams."""
    from gongzhi.factories import PartnerFactory
    from gongzhi.organisations.models import Membership, OrgUnit
    from gongzhi.partners.models import Application, Partner

    partner = Partner.objects.filter(user=user, town=town).first() or PartnerFactory(
        user=user, area=area
    )
    teams = []
    for _ in range(n):
        day = next(_days)
        Application.objects.create(
            town=town,
            applicant=user,
            area=area,
            name="王合伙人",
            channel="online",
            status="declined",
            decision_note=f"{tag}-declined-{day}",
        )
        team = OrgUnit.objects.create(
            town=town, kind="team", name=f"{tag}-team-{day}", basis="group", group_name="组"
        )
        Membership.objects.create(unit=team, partner=partner, role="member")
        teams.append(team)
    return teams


def test_me_lists_the_partners_own_applications_and_teams(client_for, people, town, area_a):
    teams = give_partner_records(people["partner"], town, area_a, tag="mine")
    give_partner_records(people["area_staff"], town, area_a, tag="theirs")
    with override("en"):
        page = client_for("partner").get(reverse("me")).content.decode()
    assert teams[0].get_absolute_url() in page
    assert "Declined" in page and "mine-team" in page
    assert "theirs-" not in page
    with override("en"):
        resident_page = client_for("resident").get(reverse("me")).content.decode()
    # Not a partner: no teams section, and the way to become one.
    assert 'id="mine-units"' not in resident_page
    assert reverse("partners:apply", args=[town.slug]) in resident_page


def test_me_partner_query_count_is_constant(client_for, people, town, area_a):
    def make_rows(n):
        return give_partner_records(people["partner"], town, area_a, n=n)

    assert_constant_queries(client_for("partner"), reverse("me"), make_rows)
