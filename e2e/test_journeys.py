"""One day of each role, end to end, as issue 14 ("Journeys") tells it:

* a resident, on a phone, signs up from the tab bar, finds the activity on 我的,
  is told when check-in opens, checks in when it does and sees the hours;
* a partner, on a phone, adds volunteer hours by hand that area staff approve from
  their 待办, and sees them counted;
* area staff, at a desk and on a phone, open 待办, answer an objection to a public
  notice and write and approve the minutes of a meeting, and see each row leave.

(The secretariat's day — reviewing an application from 待办 — is e2e/test_todo.py.)
Every page visited passes check_page: axe, no sideways scrolling and, on the phone,
no interactive element under 44 × 44 CSS px. Time passes between the steps of a day by
moving the records' times, as the day would. Assertions rely on data and stable
selectors, not on translated words.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import NAMED_AREA
from gongzhi.events import services as events
from gongzhi.events.models import Activity, Attendance, HoursClaim
from gongzhi.meetings.models import Attendee, Meeting, MeetingKind, Minutes
from gongzhi.places.models import ResidentialArea
from gongzhi.planning import evidence_services as ev
from gongzhi.planning.models import Objection
from gongzhi.planning.tests.test_evidence_services import draft, jump_to, start
from gongzhi.tests.factories import ActivityFactory

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
PARTNER = "13800000002"
AREA_STAFF = "13800000003"  # staff of 逸景佳苑 and 第二居民区
SECRETARIAT = "13800000004"


def shown(moment) -> str:
    """A moment as the Chinese pages write it (the browser asks for zh-CN)."""
    with translation.override("zh-hans"):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def tab(page, key_url: str):
    return page.locator(f'nav.tab-bar a[href="{key_url}"]')


def named_area(town):
    return ResidentialArea.objects.get(town=town, name=NAMED_AREA)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_residents_day_on_a_phone(page, demo_town):
    staff = User.objects.get(phone=AREA_STAFF)
    resident = User.objects.get(phone=RESIDENT)
    starts = timezone.localtime() + timedelta(hours=3)
    activity = ActivityFactory(
        area=named_area(demo_town),
        kind="volunteer_service",
        title="楼道清洁志愿服务",
        venue="逸景佳苑3号楼",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=20,
        created_by=staff,
    )
    detail = activity.get_absolute_url()
    town_home = reverse("places:town", args=[demo_town.slug])
    activities = reverse("events:activity_list", args=[demo_town.slug])

    # Morning: from the home page's tab bar to the activity, and sign up.
    log_in(page, RESIDENT, town_home, "journey-resident-01-login")
    check_page(page, "journey-resident-02-home")
    tab(page, activities).click()
    expect(page).to_have_url(re.compile(re.escape(activities) + "$"))
    expect(tab(page, activities)).to_have_attribute("aria-current", re.compile("."))
    check_page(page, "journey-resident-03-activities")
    page.locator(f'main a[href="{detail}"]').first.click()
    page.locator(f'main form[action$="{detail}register/"] button').click()
    expect(page.locator(f'main form[action$="{detail}cancel/"]')).to_be_visible()
    opens = (starts - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    # Resident pages write dates as a Chinese reader does (2026年12月7日 13:00).
    opens_shown = shown(starts - timedelta(hours=1))
    expect(page.locator("main .checkin-times")).to_contain_text(opens_shown)
    check_page(page, "journey-resident-04-signed-up")

    # 我的 lists it, with when check-in opens.
    tab(page, "/me/").click()
    section = page.locator("section[aria-labelledby=mine-events]")
    expect(section.locator(f'a[href="{detail}"]')).to_be_visible()
    expect(section).to_contain_text(opens_shown)
    check_page(page, "journey-resident-05-me")

    # Too early, the check-in link (a forwarded QR code) offers no live button.
    checkin = reverse(
        "events:checkin", args=[demo_town.slug, activity.pk, events.checkin_token(activity)]
    )
    page.goto(checkin)
    expect(page.locator("main .checkin-not-yet")).to_contain_text(opens)
    expect(page.locator('main button[type="submit"]')).to_have_count(0)
    check_page(page, "journey-resident-06-too-early")

    # Two and a half hours later the activity starts in half an hour: check-in is open.
    starts = timezone.localtime() + timedelta(minutes=30)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    page.goto(checkin)
    check_page(page, "journey-resident-07-check-in")
    page.locator('main form[method="post"] button[type="submit"]').click()
    expect(page.locator("main")).to_contain_text(activity.title)
    attendance = Attendance.objects.get(activity=activity, user=resident)
    assert attendance.method == "qr"

    # The activity took place (two hours, from the start); the organiser checks the
    # resident out at the end, and 我的 shows the two volunteer hours.
    starts = timezone.now() - timedelta(hours=2, minutes=10)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    Attendance.objects.filter(pk=attendance.pk).update(checked_in_at=starts)
    events.check_out(attendance=Attendance.objects.get(pk=attendance.pk), actor=staff)
    tab(page, "/me/").click()
    attended = section.locator("li", has=page.locator(f'a[href="{detail}"]'))
    expect(attended).to_contain_text(re.compile(r"(^|\s)2(\s|$)"))
    check_page(page, "journey-resident-08-hours")


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_partners_hours_approved_from_the_area_staffs_todo(page, open_page, demo_town):
    staff = User.objects.get(phone=AREA_STAFF)
    partner = User.objects.get(phone=PARTNER)
    starts = timezone.now() - timedelta(days=1, hours=3)
    activity = ActivityFactory(
        area=named_area(demo_town),
        kind="volunteer_service",
        title="睦邻点适老化改造志愿服务",
        venue="逸景佳苑睦邻点",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        created_by=staff,
    )
    # Checked in at the door yesterday; nobody checked them out, so no hours yet.
    Attendance.objects.create(
        activity=activity, user=partner, method="qr", checked_in_at=starts + timedelta(minutes=5)
    )
    detail = activity.get_absolute_url()

    log_in(page, PARTNER, "/me/", "journey-partner-01-login")
    attended = page.locator("section[aria-labelledby=mine-events] li", has_text=activity.title)
    expect(attended.locator(f'a[href="{detail}"]')).to_be_visible()
    check_page(page, "journey-partner-02-me")
    attended.locator(f'a[href="{detail}"]').click()
    page.locator("main details summary").click()
    page.fill("#claim-minutes", "90")
    page.fill("#claim-reason", "提前到场布置场地、搬运工具")
    page.locator(f'main form[action$="{detail}hours/claim/"] button').click()
    claim = HoursClaim.objects.get(activity=activity, user=partner)
    assert (claim.minutes, claim.status) == (90, "pending")
    check_page(page, "journey-partner-03-claimed")

    # The area staff member finds the claim on 待办 and approves it on the roster.
    desk = open_page()
    log_in(desk, AREA_STAFF, "/todo/", "journey-partner-04-staff-login")
    badge = desk.locator('.account-nav a[href="/todo/"] .badge')
    expect(badge).to_be_visible()
    before = int(re.sub(r"\D", "", badge.inner_text()))
    roster = reverse("events:roster", args=[demo_town.slug, activity.pk])
    row = desk.locator(f'#todo-events\\.hours a[href^="{roster}"]')
    expect(row).to_contain_text("90")
    check_page(desk, "journey-partner-05-staff-todo")
    row.click()
    decide = reverse("events:decide_hours", args=[demo_town.slug, activity.pk, claim.pk])
    desk.locator(
        f'main form[action="{decide}"]:has(input[name="approve"][value="1"]) button'
    ).click()
    claim.refresh_from_db()
    assert claim.status == "approved"
    desk.goto("/todo/")
    if before > 1:
        expect(badge).to_contain_text(str(before - 1))
    else:
        expect(badge).to_have_count(0)
    expect(desk.locator(f'#todo-events\\.hours a[href^="{roster}"]')).to_have_count(0)

    # Back on the phone, 我的 counts the hour and a half.
    page.goto("/me/")
    expect(attended).to_contain_text("1.5")
    check_page(page, "journey-partner-06-hours")


def test_area_staff_answer_an_objection_and_minute_a_meeting_from_todo(page, demo_town):
    staff = User.objects.get(phone=AREA_STAFF)
    secretariat = User.objects.get(phone=SECRETARIAT)
    resident = User.objects.get(phone=RESIDENT)
    area = named_area(demo_town)
    process = start(demo_town, area, secretariat)
    jump_to(process, 3)
    first = draft(process, secretariat)
    jump_to(process, 11)
    ev.post_notice(
        process=process,
        actor=secretariat,
        draft=first,
        text="逸景佳苑中心花园更新方案现予公示。",
        starts_on=timezone.localdate(),
        period_days=7,
    )
    objection = ev.object_to_notice(
        process=process, user=resident, body="座椅离3号楼窗户太近，晚上会吵。"
    )
    yesterday = timezone.localtime() - timedelta(days=1)
    meeting = Meeting.objects.create(
        town=demo_town,
        area=area,
        kind=MeetingKind.SELF_GOVERNANCE,
        title="逸景佳苑停车管理自治会议",
        venue="逸致议事厅",
        starts_at=yesterday.replace(hour=19, minute=0),
        ends_at=yesterday.replace(hour=20, minute=30),
        member_count=3,
        created_by=staff,
    )
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, name=name, present=True, signed_in_at=meeting.starts_at)
        for name in ["张阿姨", "陈伯伯"]
    )
    notice = reverse("planning:notice", args=[demo_town.slug, process.pk])
    manage = reverse("meetings:manage", args=[demo_town.slug, meeting.pk])

    log_in(page, AREA_STAFF, "/todo/", "journey-staff-01-login")
    badge = page.locator('.account-nav a[href="/todo/"] .badge')
    before = int(re.sub(r"\D", "", badge.inner_text()))
    check_page(page, "journey-staff-02-todo")

    # The objection: from its row to the notice, where the reply is written.
    page.locator(f'#todo-planning\\.objections a[href^="{notice}"]').first.click()
    reply = page.locator(f'main form:has(input[name="reply-target"][value="{objection.pk}"])')
    reply.locator("textarea").fill("感谢您的意见。座椅将向东移动5米，远离3号楼窗户。")
    reply.locator('button[type="submit"]').click()
    objection.refresh_from_db()
    assert objection.reply.startswith("感谢您的意见")
    check_page(page, "journey-staff-03-objection-answered")
    page.goto("/todo/")
    expect(page.locator(f'#todo-planning\\.objections a[href^="{notice}"]')).to_have_count(0)
    expect(badge).to_contain_text(str(before - 1))

    # The meeting: write the minutes, then approve them; the row leaves 待办.
    page.locator(f'#todo-meetings\\.without_minutes a[href^="{manage}"]').click()
    minutes = page.locator('main form[action$="/minutes/"]')
    minutes.locator("textarea").first.fill(
        "会议讨论了夜间停车秩序，同意由楼组长轮流值守，下月再议收费方案。"
    )
    minutes.locator('button[type="submit"]').click()
    assert Minutes.objects.get(meeting=meeting).status == "draft"
    page.goto("/todo/")
    expect(page.locator(f'#todo-meetings\\.draft_minutes a[href^="{manage}"]')).to_be_visible()
    page.locator(f'#todo-meetings\\.draft_minutes a[href^="{manage}"]').click()
    page.locator('main form[action$="/minutes/approve/"] button').click()
    assert Minutes.objects.get(meeting=meeting).status == "approved"
    check_page(page, "journey-staff-04-minutes-approved")
    page.goto("/todo/")
    expect(page.locator(f'a[href^="{manage}"]')).to_have_count(0)
    if before > 2:
        expect(badge).to_contain_text(str(before - 2))
    else:
        expect(badge).to_have_count(0)
    check_page(page, "journey-staff-05-todo-after")
    assert not Objection.objects.filter(pk=objection.pk, reply="").exists()
