"""The demo lives today (seed_demo's present, counted from the moment it was seeded):
a plan open at every step and none overdue but the one meant to be, a consultation
and a public notice open now that a resident may comment on and object to, an
activity today with its check-in open, activities next week open for sign-up, a
meeting this week, proposals gathering supports; staff's 待办 holds a handful of
current things; the reports open on the latest year with records, and it has figures.

Everything is read against ``demo_year.seeded_at`` (the moment seed_demo counted
from), never the clock, so these hold at any hour. ``today_slot`` and
``this_week_slot`` are checked at every hour of every day of a week below, without
the demo.
"""

from datetime import datetime, time, timedelta

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.core.todo import sections_for
from gongzhi.demo import events as events_demo
from gongzhi.demo import meetings as meetings_demo
from gongzhi.demo import planning as planning_demo
from gongzhi.events import services as events
from gongzhi.events.models import Activity, Attendance, WalkInCount
from gongzhi.meetings.models import Meeting, MeetingStatus
from gongzhi.planning import evidence_services
from gongzhi.planning.models import (
    Consultation,
    ConsultationComment,
    Objection,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    StepRun,
)
from gongzhi.proposals.models import Proposal, ProposalStatus
from gongzhi.renewal.models import Milestone

RESIDENT = "13800000001"
AREA_STAFF = "13800000003"


@pytest.fixture
def now(demo_year):
    return demo_year.seeded_at


@pytest.fixture
def today(now):
    return timezone.localdate(now)


@pytest.fixture
def resident(demo_year):
    return User.objects.get(phone=RESIDENT)


def present_plans(town, today):
    return PlanningProcess.objects.filter(town=town, starts_on__gte=today - timedelta(days=200))


# --- Plans --------------------------------------------------------------------------


def test_a_plan_open_at_every_step_and_none_overdue_but_one(town, today):
    plans = present_plans(town, today)
    assert plans.count() == 11
    assert {p.status for p in plans} == {ProcessStatus.ACTIVE}
    assert sorted(plans.values_list("current_order", flat=True)) == list(range(1, 12))
    assert plans.values("area").distinct().count() == 11
    # Overdue: an open step of an active plan past its due day. Only the one meant
    # to show the case, eight days late; in the whole demo, history included.
    overdue = StepRun.objects.filter(
        process__town=town,
        process__status=ProcessStatus.ACTIVE,
        closed_at__isnull=True,
        due_on__lt=today,
    ).select_related("process")
    assert [run.process.title for run in overdue] == [planning_demo.OVERDUE_PLAN]
    assert (today - overdue.get().due_on).days == 8
    # Nor is a project's milestone late.
    late = Milestone.objects.filter(
        project__town=town, actual_end__isnull=True, planned_end__lt=today
    )
    assert not late.exists()
    # Every step before the open one was closed with its evidence, in the past.
    runs = StepRun.objects.filter(process__in=plans, closed_at__isnull=False)
    assert runs.count() == sum(range(11))
    assert all(run.closed_at < timezone.now() for run in runs)


def test_a_consultation_open_now_that_a_resident_may_comment_on(town, now, resident, client):
    consultation = Consultation.objects.select_related("run__process").get(
        run__process__in=present_plans(town, timezone.localdate(now)),
        run__closed_at__isnull=True,
    )
    process = consultation.run.process
    assert process.area.name == "逸景佳苑" and process.current_order == 8
    assert consultation.run.closed_at is None
    assert consultation.opens_at <= now < consultation.closes_at
    assert consultation.closes_at - now > timedelta(days=5)
    assert evidence_services.consultation_is_open(consultation, now)
    # 李居民 lives there, follows the plan and may see it (the rules predicate)...
    assert resident.residential_area_id == process.area_id
    assert process.followers.filter(user=resident).exists()
    assert resident.has_perm("planning.view", process)
    # ... and comments on its consultation page.
    comments = ConsultationComment.objects.filter(consultation=consultation)
    # Three written online, one from an older resident's paper form (demo/paper.py).
    assert comments.count() == 4 and comments.filter(reply="").count() == 2
    assert comments.filter(paper_recorded_at__isnull=False).count() == 1
    client.force_login(resident)
    url = reverse("planning:consultation", args=[town.slug, process.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="comment-body"' in page.content.decode()
    comment_url = reverse("planning:consultation_comment", args=[town.slug, process.pk])
    response = client.post(comment_url, {"comment-body": "书架能不能再加一层？"})
    assert response.status_code == 302
    assert comments.filter(user=resident, body="书架能不能再加一层？").exists()


def test_a_notice_running_now_that_a_resident_may_object_to(town, now, resident):
    today = timezone.localdate(now)
    notice = PublicNotice.objects.select_related("run__process").get(
        run__process__in=present_plans(town, today), run__closed_at__isnull=True
    )
    process = notice.run.process
    assert process.area.code == "02" and process.current_order == 11
    assert notice.starts_on < today <= notice.ends_on <= today + timedelta(days=3)
    assert evidence_services.notice_is_running(notice, now)
    # One written online, one from a resident's paper form; neither answered yet.
    assert notice.objections.filter(reply="").count() == 2
    assert notice.objections.filter(paper_recorded_at__isnull=False).count() == 1
    assert resident.has_perm("planning.view", process)
    evidence_services.object_to_notice(
        process=process, user=resident, body="施工时间请避开晚上。", now=now
    )
    assert Objection.objects.filter(notice=notice, user=resident).exists()


# --- Activities ---------------------------------------------------------------------


def test_an_activity_today_under_way_with_check_in_open(town, now, resident):
    activity = Activity.objects.get(town=town, title=events_demo.TODAY[0])
    assert timezone.localdate(activity.starts_at) == timezone.localdate(now)
    assert activity.status == "published" and activity.starts_at <= now
    window = events.checkin_window(activity, now=now)
    assert window.state == "open"
    assert window.closes_at - now >= timedelta(hours=2, minutes=30)
    attended = Attendance.objects.filter(activity=activity)
    assert attended.count() == 14
    assert all(a.checked_in_at <= now for a in attended)
    # 李居民 arrives and scans.
    _attendance, created = events.check_in(activity=activity, user=resident, method="qr", at=now)
    assert created


def test_activities_next_week_open_for_sign_up(town, today, resident):
    monday = today + timedelta(days=7 - today.weekday())
    next_week = Activity.objects.filter(
        town=town,
        starts_at__gte=timezone.make_aware(datetime.combine(monday, time())),
        starts_at__lt=timezone.make_aware(datetime.combine(monday + timedelta(days=7), time())),
    )
    assert next_week.count() == 4
    for activity in next_week:
        assert activity.status == "published" and activity.starts_at > timezone.now()
        taken = activity.registrations.filter(status="registered").count()
        assert 0 < taken < activity.capacity, activity
    assert next_week.filter(registrations__user=resident).exists()
    salon = next_week.get(kind="salon")
    assert events.register(activity=salon, user=resident).status == "registered"


def test_the_present_has_its_own_activities_and_2023_keeps_its_figures(town, today):
    present = Activity.objects.filter(town=town, starts_at__date__gte=today - timedelta(days=200))
    assert present.count() == 14
    past = Activity.objects.filter(town=town, starts_at__year=2023)
    attended = Attendance.objects.filter(activity__in=past).count()
    walk_ins = WalkInCount.objects.filter(activity__in=past).aggregate(n=Sum("count"))["n"]
    assert attended + walk_ins == 6195


# --- Meetings and proposals ------------------------------------------------------------


def test_a_meeting_this_week_and_one_after(town, now, resident):
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    coming = Meeting.objects.filter(town=town, status=MeetingStatus.SCHEDULED).order_by("starts_at")
    assert coming.count() == 2
    this_week, later = coming
    assert this_week.title == meetings_demo.THIS_WEEK[0]
    assert monday <= timezone.localdate(this_week.starts_at) <= monday + timedelta(days=6)
    assert this_week.ends_at > now
    assert this_week.parties.count() == 0 and this_week.attendees.count() == 16
    assert this_week.attendees.filter(user=resident).exists()
    assert timezone.localdate(later.starts_at) == today + timedelta(days=14)
    # Held lately, with their minutes approved.
    recent = Meeting.objects.filter(
        town=town, starts_at__date__gte=today - timedelta(days=14), starts_at__date__lt=today
    )
    assert recent.count() >= 3
    assert all(m.status == MeetingStatus.HELD and m.minutes.is_approved for m in recent)


def test_proposals_gathering_supports(town, now, resident):
    recent = Proposal.objects.filter(town=town, created_at__gte=now - timedelta(days=21))
    assert recent.count() == 7
    assert all(p.created_at < now and p.last_activity_at <= now for p in recent)
    gathering = recent.filter(status=ProposalStatus.SUBMITTED)
    assert len(gathering) == 6
    assert all(0 < p.support_count < 10 for p in gathering)
    reviewed = recent.get(status=ProposalStatus.UNDER_REVIEW)
    assert reviewed.history.get().actor is None  # the threshold moved it
    assert recent.filter(author=resident).count() == 1
    assert recent.filter(supports__user=resident).count() == 1


# --- 待办 and reports ------------------------------------------------------------------


def test_staff_to_do_is_a_handful_of_current_things(town, today):
    sections = sections_for(User.objects.get(phone=AREA_STAFF))
    waiting = {s["key"]: s["count"] for s in sections if s["count"]}
    assert waiting == {
        # The online and the paper comment, the online and the paper objection.
        "planning.comments": 2,
        "planning.objections": 2,
        "planning.notices": 1,
        "proposals.comments": 1,
    }
    rows = [row for s in sections for row in s["rows"]]
    assert len(rows) == 6
    assert not any("2023" in f"{row['title']} {row['detail']}" for row in rows)


def test_the_reports_open_on_the_latest_year_and_it_has_figures(town, today, client):
    response = client.get(reverse("reports:dashboard", args=[town.slug]))
    assert response.status_code == 200
    year = response.context["period"].year
    assert year == today.year  # today's activity is a record of this year
    # The year's activities that have started and their sign-ins, counted here.
    started = Activity.objects.filter(
        town=town,
        status="published",
        starts_at__year=year,
        starts_at__lte=timezone.now(),
    )
    came = Attendance.objects.filter(activity__in=started).count()
    assert started.count() > 0 and came >= 14
    figures = response.context["result"].figures
    assert figures["activities"].value == started.count()
    assert figures["person_times"].value == came


# --- The hours and days of a week, without the demo ---------------------------------------

MONDAY = datetime(2026, 12, 7)  # a Monday
MOMENTS = [
    timezone.make_aware(MONDAY + timedelta(days=day, hours=hour, minutes=minute))
    for day in range(7)
    for hour in range(24)
    for minute in (0, 30, 59)
]


def test_todays_activity_has_its_check_in_open_at_any_hour():
    assert len(MOMENTS) == 7 * 24 * 3
    for moment in MOMENTS:
        starts, ends = events_demo.today_slot(moment)
        activity = Activity(starts_at=starts, ends_at=ends)
        assert timezone.localdate(starts) == timezone.localdate(moment), moment
        assert starts <= moment < ends
        for later in (moment, moment + timedelta(hours=2, minutes=29)):
            assert events.checkin_window(activity, now=later).state == "open", later


def test_this_weeks_meeting_falls_in_this_week_at_any_hour():
    assert len(MOMENTS) == 7 * 24 * 3
    for moment in MOMENTS:
        starts, ends = meetings_demo.this_week_slot(moment)
        today = timezone.localdate(moment)
        monday = today - timedelta(days=today.weekday())
        assert today <= timezone.localdate(starts) <= monday + timedelta(days=6), moment
        assert ends > moment + timedelta(minutes=30)
