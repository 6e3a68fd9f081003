"""The venue pages: public facts and busy slots without names, the feed, the use by
month, booking through the page and through the meeting form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.testing import assert_constant_queries, assert_nothing_written
from gongzhi.events.models import Attendance, WalkInCount
from gongzhi.meetings.tests.builders import make_meeting
from gongzhi.tests.factories import ActivityFactory, UserFactory
from gongzhi.venues import services
from gongzhi.venues.counting import Year, venue_use
from gongzhi.venues.models import Booking

from .builders import at, make_venue, request_booking

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_busy_slots_without_names(client, hall, people, area_a, town):
    request_booking(hall, people["partner"], purpose="王合伙人的私事")
    services.book_venue(
        venue=hall, actor=people["area_staff"], starts_at=at(1, 9), ends_at=at(1, 10),
        purpose="内部筹备会",
    )  # fmt: skip
    public = ActivityFactory(area=area_a, title="公开工作坊", starts_at=at(2, 14),
                             ends_at=at(2, 16))  # fmt: skip
    draft = ActivityFactory(area=area_a, title="草稿活动", status="draft", starts_at=at(3, 14),
                            ends_at=at(3, 16))  # fmt: skip
    for activity in (public, draft):
        services.book_venue(
            venue=hall, actor=people["area_staff"], starts_at=activity.starts_at,
            ends_at=activity.ends_at, purpose=activity.title, activity=activity,
        )  # fmt: skip
    page = client.get(hall.get_absolute_url()).content.decode()
    assert "公开工作坊" in page and public.get_absolute_url() in page
    for secret in ("草稿活动", "内部筹备会", "王合伙人", "陈社工"):
        assert secret not in page
    assert page.count("已预订") + page.count("Booked") >= 2
    assert "无障碍通道" in page or "Step-free access" in page
    feed = client.get(reverse("venues:feed", args=[town.slug, hall.pk]))
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "公开工作坊" in body and "草稿活动" not in body and "内部筹备会" not in body


def test_the_keeper_sees_requests_and_declines_with_a_reason(client_for, hall, people):
    booking = request_booking(hall, people["partner"], purpose="读书会")
    staff = client_for("area_staff")
    page = staff.get(hall.get_absolute_url()).content.decode()
    assert (
        "读书会" in page
        and reverse("venues:confirm_booking", args=[hall.town.slug, booking.pk]) in page
    )
    url = reverse("venues:decline_booking", args=[hall.town.slug, booking.pk])
    with assert_nothing_written():
        assert staff.post(url, {f"decline-{booking.pk}-reason": ""}).status_code == 400
    assert staff.post(url, {f"decline-{booking.pk}-reason": "当天检修"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == "declined"
    assert "读书会" not in client_for("resident").get(hall.get_absolute_url()).content.decode()


def test_booking_through_the_page_refuses_a_taken_slot(client_for, hall, people):
    staff = client_for("area_staff")
    url = reverse("venues:book", args=[hall.town.slug, hall.pk])
    data = {"starts_at": at(1, 14).strftime("%Y-%m-%d %H:%M"),
            "ends_at": at(1, 15).strftime("%Y-%m-%d %H:%M"), "purpose": "议事会"}  # fmt: skip
    assert staff.post(url, data).status_code == 302
    with assert_nothing_written():
        response = staff.post(url, data)
    assert response.status_code == 400
    assert "已被预订" in response.content.decode() or "already booked" in response.content.decode()


def test_the_meeting_form_offers_only_venues_the_person_may_book(
    client_for, town, area_a, area_b, hall, people
):
    other = make_venue(town=town, area=area_b, name="二居活动室")
    url = reverse("meetings:create_meeting", args=[town.slug])
    page = client_for("area_staff").get(url).content.decode()
    assert hall.name in page and other.name not in page
    page = client_for("secretariat").get(url).content.decode()
    assert hall.name in page and other.name in page


def test_use_is_counted_by_month_from_records(hall, people, area_a, town):
    staff = people["area_staff"]
    now = timezone.now()
    start = timezone.localtime(now - timedelta(days=40)).replace(hour=9, minute=0, second=0,
                                                                 microsecond=0)  # fmt: skip
    activity = ActivityFactory(area=area_a, starts_at=start, ends_at=start + timedelta(hours=2))
    services.book_venue(venue=hall, actor=staff, starts_at=activity.starts_at,
                        ends_at=activity.ends_at, purpose="x", activity=activity)  # fmt: skip
    for _n in range(3):
        Attendance.objects.create(activity=activity, user=UserFactory(), method="code",
                                  checked_in_at=start)  # fmt: skip
    WalkInCount.objects.create(activity=activity, count=5, recorded_by=staff)
    meeting = make_meeting(
        town=town, area=area_a, actor=staff, starts_at=start + timedelta(hours=3),
        ends_at=start + timedelta(hours=4), booked_venue=hall,
    )  # fmt: skip
    assert Booking.objects.get(meeting=meeting).status == "confirmed"
    # A cancelled booking and a future one count for nothing.
    cancelled = services.book_venue(venue=hall, actor=staff, starts_at=start + timedelta(hours=5),
                                    ends_at=start + timedelta(hours=6), purpose="y")  # fmt: skip
    services.cancel_booking(booking=cancelled, actor=staff)
    services.book_venue(venue=hall, actor=staff, starts_at=at(1, 9), ends_at=at(1, 10), purpose="z")
    use = venue_use(hall, Year(start.year))
    row = next(r for r in use.months if r["month"] == f"{start:%Y-%m}")
    assert row == {"month": f"{start:%Y-%m}", "hours": 3.0, "activities": 1, "meetings": 1,
                   "person_times": 8}  # fmt: skip


def test_venue_list_query_count_is_constant(client, town):
    def make_rows(n):
        start = town.venues.count()
        return [make_venue(town=town, name=f"场地{start + i}") for i in range(n)]

    assert_constant_queries(client, reverse("venues:venue_list", args=[town.slug]), make_rows)
