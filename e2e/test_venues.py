"""一客一厅: the area's staff book the deliberation hall for a meeting from the meeting
form (at 1280 px) and see a second, overlapping booking refused on the venue's booking
page; a resident reads the public venue page on a phone (360 px): the meeting's
title in its busy slot, the access facts, no names."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.demo.places import NAMED_AREA
from gongzhi.meetings.models import Meeting
from gongzhi.places.models import ResidentialArea
from gongzhi.venues.models import Booking
from gongzhi.venues.tests.builders import make_venue

from .browser import assert_touch_targets, check_page, log_in, new_page

pytestmark = pytest.mark.browser

AREA_STAFF = "13800000003"  # staff of 逸景佳苑
MEETING_TITLE = "逸景佳苑议事厅使用规则讨论会"
SUBMIT = 'main form[method="post"] button[type="submit"]'


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_staff_book_the_hall_for_a_meeting_and_an_overlap_is_refused(
    browser, live_server, demo_town
):
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    hall = make_venue(town=demo_town, area=area, name="逸致议事厅",
                      accessibility_notes="电梯直达二楼")  # fmt: skip
    day = timezone.localdate() + timedelta(days=3)
    starts = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
    starts += timedelta(hours=14)

    staff = new_page(browser, live_server, "desk")
    try:
        log_in(staff, AREA_STAFF, f"/t/{demo_town.slug}/meetings/new/", "venue-staff-login")
        check_page(staff, "venue-meeting-new")
        staff.select_option("#id_kind", "deliberation")
        staff.fill("#id_title", MEETING_TITLE)
        staff.select_option("#id_area", label=NAMED_AREA)
        staff.select_option("#id_booked_venue", label=hall.name)
        staff.fill("#id_starts_at", local_input(starts))
        staff.fill("#id_ends_at", local_input(starts + timedelta(hours=2)))
        staff.locator(SUBMIT).click()
        expect(staff.locator("main")).to_contain_text(MEETING_TITLE)
        meeting = Meeting.objects.get(title=MEETING_TITLE)
        booking = Booking.objects.get(meeting=meeting)
        assert booking.venue == hall and booking.status == "confirmed"
        assert meeting.venue == hall.name

        # A second booking overlapping the meeting's is refused, and nothing is stored.
        staff.goto(f"/t/{demo_town.slug}/venues/{hall.pk}/book/")
        check_page(staff, "venue-book")
        staff.fill("#id_starts_at", local_input(starts + timedelta(hours=1)))
        staff.fill("#id_ends_at", local_input(starts + timedelta(hours=3)))
        staff.fill("#id_purpose", "楼组长培训")
        staff.locator(SUBMIT).click()
        expect(staff.locator("main")).to_contain_text(re.compile("已被预订|already booked"))
        check_page(staff, "venue-book-refused")
        assert hall.bookings.count() == 1
    finally:
        staff.context.close()

    phone = new_page(browser, live_server, "phone")
    try:
        phone.goto(f"/t/{demo_town.slug}/venues/")
        check_page(phone, "venue-list")
        phone.get_by_role("link", name=re.compile(hall.name)).first.click()
        expect(phone.locator("main")).to_contain_text(MEETING_TITLE)
        expect(phone.locator("main")).to_contain_text(re.compile("无障碍通道|Step-free access"))
        expect(phone.locator("main")).not_to_contain_text("陈社工")
        check_page(phone, "venue-public")
    finally:
        phone.context.close()


SECRETARIAT = "13800000004"  # 赵秘书, the town's secretariat


def test_the_secretariat_registers_a_venue_on_a_phone(browser, live_server, demo_town, tmp_path):
    """From the menu to the register page at 360 px: a capacity of 0 is refused with its
    message and nothing stored; then the venue is registered with a photo, which shows
    on its page."""
    from gongzhi.venues.models import Venue
    from gongzhi.venues.tests.builders import png

    photo = tmp_path / "hall.png"
    photo.write_bytes(png().read())
    phone = new_page(browser, live_server, "phone")
    try:
        log_in(phone, SECRETARIAT, f"/t/{demo_town.slug}/", "venue-secretariat-login")
        phone.locator("nav.pillars").get_by_role("link", name=re.compile("场地|Venues")).click()
        phone.get_by_role("link", name=re.compile("登记场地|Register a venue")).click()
        check_page(phone, "venue-register")
        phone.fill("#id_name", "睦邻中心活动室")
        phone.select_option("#id_kind", "room")
        phone.fill("#id_capacity", "0")
        phone.fill("#id_opens_at", "08:30")
        phone.fill("#id_closes_at", "20:00")
        phone.locator("#id_photo").set_input_files(str(photo))
        phone.locator(SUBMIT).click()
        expect(phone.locator("#form-errors")).to_contain_text(
            re.compile("至少为 1 人|at least one person")
        )
        check_page(phone, "venue-register-refused")
        assert not Venue.objects.filter(name="睦邻中心活动室").exists()
        phone.fill("#id_capacity", "30")
        phone.locator("#id_photo").set_input_files(str(photo))
        phone.locator(SUBMIT).click()
        expect(phone.locator("h1")).to_have_text("睦邻中心活动室")
        check_page(phone, "venue-registered")
        venue = Venue.objects.get(name="睦邻中心活动室")
        assert venue.photo
        phone.get_by_role("link", name=re.compile("修改场地信息|Edit the venue")).click()
        check_page(phone, "venue-edit")
        assert_touch_targets(phone, "main")
    finally:
        phone.context.close()
