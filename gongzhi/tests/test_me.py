"""我的 (core/mine.py and each app's mine.py): the signed-in person's own records,
section by section, with a constant number of queries."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from gongzhi.core.testing import assert_constant_queries
from gongzhi.tests.factories import ActivityFactory, AreaFactory, UserFactory

_days = count(1)


@pytest.fixture
def client_for(english_client_for):
    """Pages in English: what is asserted here are the msgids."""
    return english_client_for


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


def _contest(town, area, staff, *, tag, status="open", stage="final", vote_hours=72):
    """A contest row of ``town`` with one site (no services: only its state matters)."""
    from gongzhi.contests.models import Contest
    from gongzhi.tests.factories import SiteFactory

    today = timezone.localdate()
    contest = Contest.objects.create(
        town=town,
        title=f"{tag}-contest-{next(_days)}",
        status=status,
        stage=stage,
        submission_opens=today - timedelta(days=60),
        submission_closes=today - timedelta(days=50),
        early_review_on=today - timedelta(days=40),
        midterm_review_on=today - timedelta(days=30),
        final_review_on=today - timedelta(days=20),
        public_vote_closes=timezone.now() + timedelta(hours=vote_hours),
        created_by=staff,
    )
    contest.sites.add(SiteFactory(town=town, area=area))
    return contest


def _entry(contest, user, *, title, **fields):
    from gongzhi.contests.models import Entry

    return Entry.objects.create(
        contest=contest,
        team_name=f"队{next(_days)}",
        site=contest.sites.get(),
        title=title,
        description="把转角变成小花园。",
        submitted_by=user,
        **fields,
    )


def give_records(person, area, *, n=1, tag="mine"):
    """For ``person``, n of each record 我的 lists: an activity to come they signed up
    for, a past one they attended (volunteer service, checked out), a proposal they
    wrote, one they support and comment on with an official reply, a survey they
    answered, a plan they follow
    whose consultation is open, where they commented and were answered, a contest
    entry of theirs that won an award and an entry they voted for in another
    contest's public vote. Returns the activities to come (later ones further out, so
    a list soonest-first shows the earlier ones) and the markers of the rest."""
    from gongzhi.contests.models import Award, PublicVote
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
        awarded = _contest(area.town, area, staff, tag=tag, status="awarded")
        entered = _entry(
            awarded, person, title=f"{tag}-entry-{day}", stage="final", status="advanced"
        )
        Award.objects.create(
            contest=awarded, entry=entered, title=f"{tag}-award", rank=1, combined_score=88
        )
        # A public contest (its title not the person's): voting in it is their record.
        voting = _contest(area.town, area, staff, tag="public")
        voted = _entry(voting, staff, title=f"{tag}-voted-{day}", stage="final")
        PublicVote.objects.create(contest=voting, entry=voted, user=person, cast_at=now)
        upcoming.append(coming)
        markers += [past, mine, theirs, survey, plan, entered, voted]
    return upcoming, markers


def test_me_lists_the_persons_own_records(client_for, people, area_a):
    upcoming, markers = give_records(people["resident"], area_a, tag="mine")
    give_records(people["partner"], area_a, tag="theirs")
    with override("en"):
        response = client_for("resident").get(reverse("me"))
    assert response.status_code == 200
    page = response.content.decode()
    records = [*upcoming, *markers]
    assert len(records) == 8
    for record in records:
        assert record.get_absolute_url() in page
    assert "mine-reply" in page and "mine-comment" in page
    assert "mine-award" in page  # the entry's award, not only its status
    assert "mine-consultation" in page and "mine-answer" in page
    plan = markers[4]
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
    are a member of now and n activities they are booked on (a commitment each, as
    events.formats writes it); and n openings matching weighs for partners of the
    town: an activity to help run, a contest's jury, a plan's drafts (public records,
    titled without the tag). Returns the teams."""
    from gongzhi.events.models import ActivityPartner
    from gongzhi.organisations.models import Membership, OrgUnit
    from gongzhi.partners.models import Application, Commitment, Partner
    from gongzhi.planning.tests.builders import process_at_step
    from gongzhi.tests.factories import PartnerFactory

    partner = Partner.objects.filter(user=user, town=town).first() or PartnerFactory(
        user=user, area=area
    )
    staff = UserFactory()
    now = timezone.now()
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
        # Hours apart, so that every one stays within matching's 30-day horizon.
        booked = ActivityFactory(
            area=area,
            town=town,
            title=f"activity-{day}",
            starts_at=now + timedelta(hours=day),
            ends_at=now + timedelta(hours=day, minutes=30),
        )
        commitment = Commitment.objects.create(
            partner=partner,
            starts_at=booked.starts_at,
            ends_at=booked.ends_at,
            what=f"{tag}-commitment-{day}",
        )
        ActivityPartner.objects.create(
            activity=booked, partner=partner, role="helper", commitment=commitment, added_by=staff
        )
        ActivityFactory(
            area=area,
            town=town,
            title=f"opening-{day}",
            starts_at=now + timedelta(hours=day, minutes=40),
            ends_at=now + timedelta(hours=day, minutes=50),
        )
        _contest(town, area, staff, tag="opening", stage="submission")
        plan_area = AreaFactory(town=town, name=f"opening-area-{day}")
        process_at_step(3, town=town, area=plan_area, actor=staff, title=f"opening-plan-{day}")
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


def test_me_partner_sees_commitments_and_matching_suggestions(client_for, people, town, area_a):
    """A partner's commitments link what they are booked for; the suggestions are the
    openings matching.assess finds for them, with its reasons, leaving out what they
    are already on, what clashes with a booking and a contest they entered."""
    from gongzhi.events import formats
    from gongzhi.planning.tests.builders import process_at_step
    from gongzhi.tests.factories import PartnerFactory

    partner = PartnerFactory(user=people["partner"], area=area_a, modes=["planning"])
    staff = people["secretariat"]
    soon = timezone.now() + timedelta(days=2)
    booked = ActivityFactory(
        town=town,
        area=area_a,
        title="已安排的工作坊",
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
    )
    formats.add_activity_partner(activity=booked, partner=partner, role="host", actor=staff)
    clash = ActivityFactory(
        town=town,
        area=area_a,
        title="同一时间的沙龙",
        starts_at=soon + timedelta(hours=1),
        ends_at=soon + timedelta(hours=3),
    )
    later = ActivityFactory(
        town=town,
        area=area_a,
        title="下周的世界咖啡馆",
        kind="world_cafe",
        starts_at=soon + timedelta(days=5),
        ends_at=soon + timedelta(days=5, hours=2),
    )
    jury = _contest(town, area_a, staff, tag="jury", stage="submission")
    entered = _contest(town, area_a, staff, tag="entered", stage="submission")
    _entry(entered, people["partner"], title="我们的方案")
    plan = process_at_step(
        3, town=town, area=AreaFactory(town=town), actor=staff, title="口袋花园规划"
    )

    page = client_for("partner").get(reverse("me")).content.decode()
    section = page[page.index('id="mine-partner-work"') :]
    section = section[: section.index("</section>")]
    # The commitment, linked to the activity it books the partner for.
    assert f'href="{booked.get_absolute_url()}">已安排的工作坊</a>' in section
    # Suggested, with matching's reasons.
    assert later.get_absolute_url() in section
    assert "Primary mode: Planning" in section and "Lives in the area" in section
    assert jury.get_absolute_url() in section
    assert plan.get_absolute_url() in section
    # Not suggested: what they are on, what clashes with it, a contest they entered.
    assert f"Help run “{booked.title}”" not in section
    assert clash.get_absolute_url() not in section
    assert entered.get_absolute_url() not in section

    resident_page = client_for("resident").get(reverse("me")).content.decode()
    assert 'id="mine-partner-work"' not in resident_page


def test_me_offers_what_a_follower_can_do_in_the_step_at_hand(client_for, people, town):
    """The survey of step 1 to answer (until answered), the drafts of step 4 to place a
    dot on (then to comment on), and comments on drafts with the version that
    answered them."""
    from gongzhi.planning.models import DotVote, DraftComment, Follower, SurveyLink
    from gongzhi.planning.tests.builders import make_draft, open_run, process_at_step, run_of
    from gongzhi.surveys.models import Response, Survey

    resident, staff = people["resident"], people["secretariat"]
    surveying = process_at_step(1, town=town, area=AreaFactory(town=town), actor=staff)
    survey = Survey.objects.create(
        town=town, area=surveying.area, title="社区需求问卷", status="open", created_by=staff
    )
    SurveyLink.objects.create(run=open_run(surveying), survey=survey)
    designing = process_at_step(4, town=town, area=AreaFactory(town=town), actor=staff)
    first = make_draft(run_of(designing, 3), actor=staff)
    second = make_draft(run_of(designing, 3), actor=staff)
    for plan in (surveying, designing):
        Follower.objects.create(process=plan, user=resident)
    comment = DraftComment.objects.create(
        draft=first, run=open_run(designing), user=resident, body="座椅再多一些"
    )
    second.answers_comments.add(comment)
    draft_url = reverse("planning:draft", args=[town.slug, designing.pk, second.pk])

    client = client_for("resident")
    page = client.get(reverse("me")).content.decode()
    assert f'href="{survey.get_absolute_url()}">Answer the survey<' in page
    assert f'href="{draft_url}">See the drafts and place your dot<' in page
    assert "座椅再多一些" in page and "Answered in version 2" in page

    Response.objects.create(survey=survey, user=resident)
    DotVote.objects.create(run=open_run(designing), draft=second, user=resident)
    page = client.get(reverse("me")).content.decode()
    assert "Answer the survey" not in page
    assert f'href="{draft_url}">Comment on the drafts<' in page


def test_me_contests_show_how_far_an_entry_went_and_the_votes_to_cast(
    client_for, people, town, area_a
):
    resident, staff = people["resident"], people["secretariat"]
    running = _contest(town, area_a, staff, tag="running", stage="early")
    competing = _entry(running, resident, title="还在评审的方案", status="advanced")
    out = _entry(
        _contest(town, area_a, staff, tag="out", stage="midterm"),
        resident,
        title="未晋级的方案",
        status="eliminated",
    )
    voting = _contest(town, area_a, staff, tag="voting")
    _entry(voting, staff, title="决赛方案", stage="final")
    closed = _contest(town, area_a, staff, tag="closed", vote_hours=-1)

    page = client_for("resident").get(reverse("me")).content.decode()
    section = page[page.index('id="mine-contests"') :]
    section = section[: section.index("</section>")]
    assert competing.get_absolute_url() in section and "Advanced" in section
    # The team adds drafts while its entry competes; an entry out of it cannot.
    assert f'href="{competing.get_absolute_url()}">Add drafts<' in section
    assert out.get_absolute_url() in section and "Not advanced" in section
    assert f'href="{out.get_absolute_url()}">Add drafts<' not in section
    # A public vote open in the person's town, not yet voted in; not one that closed.
    assert f"{voting.get_absolute_url()}#entries" in section
    assert closed.get_absolute_url() not in section
