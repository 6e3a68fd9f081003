"""待办, the staff member's workbench (core/todo.py): what waits within the viewer's
scope only, counted in the header, constant queries, masked names, and a count that
drops when the work is done."""

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import override

from gongzhi.core.testing import assert_constant_queries
from gongzhi.core.todo import count_for
from gongzhi.partners import services as partner_services
from gongzhi.partners.models import Application
from gongzhi.planning import evidence_services as ev
from gongzhi.planning.models import ConsultationComment, Objection
from gongzhi.planning.tests.builders import draft, jump_to, start
from gongzhi.renewal.tests.builders import new_project
from gongzhi.tests.factories import AreaFactory, UserFactory

TODO = "/todo/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid4().hex[:8]}"


def application(town, area, name="李居民"):
    """One open application, each from its own applicant (one per person and town)."""
    return Application.objects.create(
        town=town, applicant=UserFactory(), area=area, name=name, channel="online"
    )


def consulting_and_noticing(town, area, actor):
    """A plan of ``area`` with an open consultation and an open notice (the test jumps
    steps without evidence: only the windows matter here)."""
    process = start(town, area, actor)
    jump_to(process, 3)
    first = draft(process, actor)
    jump_to(process, 8)
    now = timezone.now()
    consultation = ev.open_consultation(
        process=process,
        actor=actor,
        draft=first,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )
    jump_to(process, 11)
    notice = ev.post_notice(
        process=process,
        actor=actor,
        draft=first,
        text="中心花园更新方案现予公示。",
        starts_on=timezone.localdate(),
        period_days=7,
    )
    return consultation, notice


def test_staff_see_their_scope_and_nothing_beyond(
    client_for, people, town, other_town, area_a, area_b
):
    secretariat = people["secretariat"]
    other_area = AreaFactory(town=other_town)
    mine = consulting_and_noticing(town, area_a, secretariat)
    theirs = consulting_and_noticing(town, area_b, secretariat)
    elsewhere = consulting_and_noticing(other_town, other_area, people["other_secretariat"])
    resident = people["resident"]
    bodies = {}
    for key, (consultation, notice) in {"a": mine, "b": theirs, "other": elsewhere}.items():
        comment = ConsultationComment.objects.create(
            consultation=consultation, user=resident, body=unique(f"意见{key}")
        )
        objection = Objection.objects.create(
            notice=notice, user=resident, body=unique(f"异议{key}")
        )
        bodies[key] = (comment.body, objection.body)
    application(town, area_b)
    application(other_town, other_area)

    area_page = client_for("area_staff").get(TODO).content.decode()
    assert all(body in area_page for body in bodies["a"])
    assert not any(body in area_page for body in bodies["b"] + bodies["other"])
    # Applications are the secretariat's work, not area staff's.
    assert reverse("partners:review_queue", args=[town.slug]) not in area_page
    assert count_for(people["area_staff"]) == 2

    town_page = client_for("secretariat").get(TODO).content.decode()
    assert all(body in town_page for body in bodies["a"] + bodies["b"])
    assert not any(body in town_page for body in bodies["other"])
    assert count_for(secretariat) == 5  # 2 comments, 2 objections, 1 application

    other_page = client_for("other_secretariat").get(TODO).content.decode()
    assert all(body in other_page for body in bodies["other"])
    assert not any(body in other_page for body in bodies["a"] + bodies["b"])
    assert count_for(people["other_secretariat"]) == 3


def test_notices_ending_soon_within_scope(client_for, people, town, area_a, area_b):
    ending = timezone.localdate() + timedelta(days=1)
    urls = {}
    for area in (area_a, area_b):
        _consultation, notice = consulting_and_noticing(town, area, people["secretariat"])
        notice.ends_on = ending
        notice.save()
        process = notice.run.process
        urls[area.pk] = reverse("planning:notice", args=[town.slug, process.pk])
    page = client_for("area_staff").get(TODO)
    section = next(s for s in page.context["sections"] if s["key"] == "planning.notices")
    assert section["count"] == 1
    assert [row["url"] for row in section["rows"]] == [urls[area_a.pk]]
    # A notice whose result is published no longer waits.
    notice.result = "公示期满，无异议。"
    notice.save()
    town_page = client_for("secretariat").get(TODO)
    section = next(s for s in town_page.context["sections"] if s["key"] == "planning.notices")
    assert [row["url"] for row in section["rows"]] == [urls[area_a.pk]]


def test_residents_and_partners_are_told_in_their_language(client_for):
    for role in ("resident", "partner"):
        with override("en"):
            response = client_for(role).get(TODO, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 403
        assert "to-do list is for area staff" in response.content.decode()
    anonymous = client_for("anonymous").get(TODO)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_the_header_shows_the_count_to_staff_only(client_for, people, town, area_a):
    application(town, area_a)
    application(town, area_a, name="王居民")
    page = client_for("secretariat").get(reverse("places:home")).content.decode()
    assert f'href="{TODO}"' in page
    assert '<span class="badge">2<' in page
    for role in ("resident", "partner", "anonymous"):
        assert f'href="{TODO}"' not in client_for(role).get(reverse("places:home")).content.decode()


def test_the_header_count_is_kept_until_the_next_write(client_for, people, town, area_a):
    """The badge is counted once and kept (core/pagecache.py) until a write: the next
    page costs none of the sections' COUNT queries, and a decision shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    waiting = application(town, area_a)
    application(town, area_a, name="王居民")
    client = client_for("secretariat")
    home = reverse("places:home")

    def badge():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(home).content.decode()
        found = re.search(rf'href="{TODO}">[^<]*<span class="badge">(\d+)<', page)
        return (int(found.group(1)) if found else 0), len(queries)

    count, counted = badge()
    assert count == 2
    count, kept = badge()
    assert count == 2 and kept < counted, (counted, kept)
    decline = reverse("partners:decline_application", args=[town.slug, waiting.pk])
    assert client.post(decline, {"reason": "名额已满"}).status_code == 302
    assert badge()[0] == 1


def test_names_are_masked(client_for, people, town, area_a):
    application(town, area_a, name="欧阳明月")
    page = client_for("secretariat").get(TODO).content.decode()
    assert "欧**" in page and "欧阳明月" not in page


def test_reviewing_an_application_makes_the_count_drop(client_for, people, town, area_a):
    waiting = application(town, area_a)
    application(town, area_a, name="王居民")
    client = client_for("secretariat")
    page = client.get(TODO)
    assert page.context["total"] == 2
    review = reverse("partners:review_application", args=[town.slug, waiting.pk])
    assert review in page.content.decode()
    decline = reverse("partners:decline_application", args=[town.slug, waiting.pk])
    response = client.post(decline, {"reason": "名额已满"})
    assert response.status_code == 302
    page = client.get(TODO)
    assert page.context["total"] == 1 and count_for(people["secretariat"]) == 1
    assert review not in page.content.decode()


def proposal(town, area, author):
    from gongzhi.proposals.models import Proposal

    return Proposal.objects.create(
        town=town,
        area=area,
        author=author,
        title=unique("加装扶手"),
        description="楼道加装扶手。",
        category="public_space",
        last_activity_at=timezone.now(),
    )


def meeting(town, area, actor, **fields):
    from gongzhi.meetings.models import Meeting

    now = timezone.now()
    values = {
        "kind": "joint",
        "title": unique("联席会议"),
        "venue": "议事厅",
        "starts_at": now - timedelta(hours=2),
        "ends_at": now - timedelta(hours=1),
        "status": "held",
    }
    return Meeting.objects.create(town=town, area=area, created_by=actor, **(values | fields))


def overdue_milestone(project, order):
    from gongzhi.renewal.models import Milestone

    today = timezone.localdate()
    return Milestone.objects.create(
        project=project,
        order=order,
        title=unique("铺装"),
        planned_start=today - timedelta(days=20),
        planned_end=today - timedelta(days=3),
    )


def test_the_other_sections_within_scope(client_for, people, town, area_a, area_b):
    """Reported and unanswered proposal comments, hours claims, meetings to minute and
    minutes to approve: area staff see those of their area, not of another."""
    from gongzhi.events.models import HoursClaim
    from gongzhi.meetings.models import Minutes
    from gongzhi.proposals.models import Comment, CommentReport
    from gongzhi.tests.factories import ActivityFactory

    resident = people["resident"]
    shown = {}
    for area in (area_a, area_b):
        item = proposal(town, area, resident)
        reported = Comment.objects.create(proposal=item, author=resident, body=unique("举报"))
        CommentReport.objects.create(comment=reported, reporter=people["partner"], reason="广告")
        waiting = Comment.objects.create(proposal=item, author=resident, body=unique("等待答复"))
        answered = Comment.objects.create(proposal=item, author=resident, body=unique("已答复"))
        Comment.objects.create(
            proposal=item,
            author=people["secretariat"],
            parent=answered,
            body="已安排",
            is_official=True,
        )
        activity = ActivityFactory(town=town, area=area, title=unique("清洁活动"))
        HoursClaim.objects.create(activity=activity, user=resident, minutes=90, reason="提前布置")
        unminuted = meeting(town, area, people["secretariat"])
        drafted = meeting(town, area, people["secretariat"])
        Minutes.objects.create(meeting=drafted, body="会议纪要")
        meeting(
            town,
            area,
            people["secretariat"],
            title=unique("未开"),
            starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=1, hours=1),
        )
        project = new_project(actor=people["secretariat"], area=area, title=unique("花园"))
        late = overdue_milestone(project, 1)
        shown[area.pk] = [
            late.title,
            reported.body,
            waiting.body,
            activity.title,
            unminuted.title,
            drafted.title,
        ]
        shown[f"not-{area.pk}"] = [answered.body]

    page = client_for("area_staff").get(TODO)
    text = page.content.decode()
    assert all(marker in text for marker in shown[area_a.pk])
    leaked = [m for m in shown[area_b.pk] + shown[f"not-{area_a.pk}"] if m in text]
    assert not leaked
    counts = {section["key"]: section["count"] for section in page.context["sections"]}
    assert counts == {
        "planning.comments": 0,
        "planning.objections": 0,
        "planning.notices": 0,
        "proposals.reported": 1,
        "proposals.comments": 2,  # the reported one waits for a reply too
        "events.hours": 1,
        "meetings.without_minutes": 1,
        "meetings.draft_minutes": 1,
        "renewal.milestones": 1,
        # test_plans_surveys_and_budgets_within_scope has these.
        "planning.surveys": 0,
        "planning.steps": 0,
        # test_sms_pipeline has this one.
        "core.sms_not_received": 0,
        # news/tests/test_review_work.py has this one.
        "news.waiting": 0,
        # venues/tests/test_follow.py has this one.
        "venues.requests": 0,
    }
    # Budgets are the town's to approve: area staff have no such section.
    assert "renewal.budgets" not in counts
    assert count_for(people["secretariat"]) == 14


def survey_at_target(town, actor, *, area=None, responses=2):
    """An active plan in an area of its own at step 1, its questionnaire open and
    linked, answered ``responses`` times (the step's target set to 2)."""
    from gongzhi.planning.models import SurveyLink
    from gongzhi.planning.services import ensure_default_template
    from gongzhi.planning.tests.builders import open_run, process_at_step
    from gongzhi.surveys.models import Response, Survey

    ensure_default_template().steps.filter(order=1).update(min_count=2)
    area = area or AreaFactory(town=town)
    plan = process_at_step(1, town=town, area=area, actor=actor, title=unique("问卷规划"))
    survey = Survey.objects.create(
        town=town, area=area, title=unique("需求问卷"), status="open", created_by=actor
    )
    SurveyLink.objects.create(run=open_run(plan), survey=survey)
    for _ in range(responses):
        Response.objects.create(survey=survey, user=UserFactory())
    return survey


def step_due(town, actor, *, area=None, days=2, order=2):
    """An active plan at step ``order`` (interviews: nothing recorded yet) due in
    ``days`` days (negative: overdue)."""
    from gongzhi.planning.tests.builders import open_run, process_at_step

    area = area or AreaFactory(town=town)
    plan = process_at_step(order, town=town, area=area, actor=actor, title=unique("规划"))
    run = open_run(plan)
    run.due_on = timezone.localdate() + timedelta(days=days)
    run.save()
    return plan


def budget_used_up(area, actor, *, spent="100.00", budget="100.00"):
    """A planned project of ``area`` that has spent ``spent`` of ``budget``."""
    from decimal import Decimal

    from gongzhi.renewal.models import Spending

    project = new_project(actor=actor, area=area, title=unique("门头"), budget=budget)
    Spending.objects.create(
        project=project,
        amount=Decimal(spent),
        spent_on=timezone.localdate(),
        item="材料",
        recorded_by=actor,
    )
    return project


def section_of(page, key):
    return next(s for s in page.context["sections"] if s["key"] == key)


def test_plans_surveys_and_budgets_within_scope(client_for, people, town, area_a, area_b):
    """Step-1 surveys at their target, plan steps overdue or due within a week with
    the evidence they lack (the evidence rule's own words), and projects that have
    spent their budget (the town's): each row leads where it is done."""
    from gongzhi.places.models import RoleGrant
    from gongzhi.planning.tests.builders import give_evidence, open_run

    secretariat = people["secretariat"]
    # Area staff serve a second area too (one active plan per area).
    area_c = AreaFactory(town=town)
    RoleGrant.objects.get(user=people["area_staff"], role="area_staff").areas.add(area_c)
    at_target = survey_at_target(town, secretariat, area=area_a)
    survey_at_target(town, secretariat, responses=1)  # below the target
    overdue = step_due(town, secretariat, area=area_c, days=-3)
    other = step_due(town, secretariat, area=area_b, days=1)
    ready = step_due(town, secretariat, days=5)
    give_evidence(open_run(ready), actor=secretariat)
    step_due(town, secretariat, days=30)  # due later: not yet on the list
    # (Their plans complete in areas of their own, beside the active plans above.)
    spent = budget_used_up(AreaFactory(town=town), secretariat)
    budget_used_up(AreaFactory(town=town), secretariat, spent="60.00")  # money left

    with override("en"):
        page = client_for("area_staff").get(TODO, HTTP_ACCEPT_LANGUAGE="en")
    surveys = section_of(page, "planning.surveys")
    assert surveys["count"] == 1
    (row,) = surveys["rows"]
    assert row["url"] == reverse("surveys:manage", args=[town.slug, at_target.pk])
    assert "2 responses, target 2" in row["title"]
    steps = section_of(page, "planning.steps")
    assert steps["count"] == 1
    (row,) = steps["rows"]
    assert row["url"] == reverse("planning:step", args=[town.slug, overdue.pk])
    assert "3 days overdue" in row["detail"]
    assert "At least 5 interview records with consent (0 so far)." in row["detail"]
    assert "renewal.budgets" not in {s["key"] for s in page.context["sections"]}

    with override("en"):
        page = client_for("secretariat").get(TODO, HTTP_ACCEPT_LANGUAGE="en")
    steps = section_of(page, "planning.steps")
    assert steps["count"] == 3
    by_url = {row["url"]: row for row in steps["rows"]}
    assert reverse("planning:step", args=[town.slug, other.pk]) in by_url
    # Nothing missing: the step is to be closed, on the plan's page.
    done = by_url[reverse("planning:process", args=[town.slug, ready.pk]) + "#work"]
    assert "Evidence complete: close the step" in done["detail"]
    assert "due in 5 days" in done["detail"]
    budgets = section_of(page, "renewal.budgets")
    assert budgets["count"] == 1
    (row,) = budgets["rows"]
    assert row["url"] == reverse("renewal:manage", args=[town.slug, spent.pk]) + "#money"
    assert "spent 100 of 100 yuan" in row["detail"]
    assert count_for(people["other_secretariat"]) == 0


def test_query_count_is_constant(client_for, people, town, area_a):
    # The project's plan is completed first: an area runs one active plan at a time.
    project = new_project(actor=people["secretariat"], area=area_a)
    consultation, notice = consulting_and_noticing(town, area_a, people["secretariat"])
    resident = people["resident"]
    counter = iter(range(10_000))

    from gongzhi.events.models import HoursClaim
    from gongzhi.meetings.models import Minutes
    from gongzhi.proposals.models import Comment, CommentReport
    from gongzhi.tests.factories import ActivityFactory

    item = proposal(town, area_a, resident)
    orders = iter(range(1, 10_000))

    def make_rows(n):
        shown = []
        for i in range(n):
            kind = i % 12
            if kind == 0:
                added = application(town, area_a)
                shown.append(reverse("partners:review_application", args=[town.slug, added.pk]))
            elif kind == 1:
                body = unique("增加坡道")
                ConsultationComment.objects.create(
                    consultation=consultation, user=resident, body=body
                )
                shown.append(Truncator(body).chars(40))
            elif kind == 2:
                body = unique("廊架挡光")
                Objection.objects.create(notice=notice, user=resident, body=body)
                shown.append(Truncator(body).chars(40))
            elif kind == 3:
                comment = Comment.objects.create(
                    proposal=item, author=resident, body=unique("等待")
                )
                shown.append(f"#comment-{comment.pk}")
            elif kind == 4:
                comment = Comment.objects.create(
                    proposal=item, author=resident, body=unique("举报")
                )
                CommentReport.objects.create(
                    comment=comment, reporter=people["partner"], reason="广告"
                )
                shown.append(comment.body)
            elif kind == 5:
                activity = ActivityFactory(town=town, area=area_a, title=unique("清洁"))
                HoursClaim.objects.create(
                    activity=activity, user=resident, minutes=60, reason="布置"
                )
                shown.append(activity.title)
            elif kind == 6:
                shown.append(meeting(town, area_a, people["secretariat"]).title)
            elif kind == 7:
                shown.append(overdue_milestone(project, next(orders)).title)
            elif kind == 9:
                shown.append(survey_at_target(town, people["secretariat"]).title)
            elif kind == 10:
                shown.append(step_due(town, people["secretariat"]).title)
            elif kind == 11:
                shown.append(budget_used_up(AreaFactory(town=town), people["secretariat"]).title)
            else:
                drafted = meeting(town, area_a, people["secretariat"])
                Minutes.objects.create(meeting=drafted, body="会议纪要")
                shown.append(drafted.title)
            # Recommendations grow too (their rows all read alike once masked).
            partner_services.recommend(
                town=town,
                area=area_a,
                actor=people["area_staff"],
                name="推荐人",
                phone=f"1350000{next(counter):04d}",
                reason="热心",
            )
        return shown

    # One of each kind first: a section with nothing waiting skips its rows query.
    make_rows(12)
    assert_constant_queries(client_for("secretariat"), TODO, make_rows)
