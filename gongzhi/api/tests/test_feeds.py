"""iCalendar feeds of meetings: what they hold, masking, and the links to them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from gongzhi.core.testing import count_queries
from gongzhi.meetings import services as meeting_services
from gongzhi.meetings.tests.builders import make_meeting


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"].startswith("public")
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def meetings(town, other_town, area_a, area_b, people):
    secretary = people["secretariat"]
    now = timezone.now()
    in_a = make_meeting(
        town=town,
        area=area_a,
        actor=secretary,
        title="王小明提议的会",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
    )
    meeting_services.invite(meeting=in_a, actor=secretary, name="王小明")
    in_b = make_meeting(town=town, area=area_b, actor=secretary, title="第二居民区议事会")
    town_wide = make_meeting(
        town=town, area=None, actor=secretary, title="全镇委员会会议", kind="committee"
    )
    cancelled = make_meeting(town=town, area=area_a, actor=secretary, title="取消的会")
    meeting_services.cancel_meeting(meeting=cancelled, actor=secretary, reason="改期")
    old = make_meeting(
        town=town,
        area=area_a,
        actor=secretary,
        title="去年的会",
        starts_at=now - timedelta(days=400),
        ends_at=now - timedelta(days=400, hours=-2),
    )
    other_secretary = people["other_secretariat"]
    elsewhere = make_meeting(
        town=other_town, area=None, actor=other_secretary, title="另一镇的会", kind="committee"
    )
    return {
        "in_a": in_a,
        "in_b": in_b,
        "town_wide": town_wide,
        "cancelled": cancelled,
        "old": old,
        "elsewhere": elsewhere,
    }


def uid(meeting):
    return f"meeting-{meeting.pk}@{meeting.town.slug}.gongzhi"


def test_town_feed_lists_the_public_meetings(client, town, meetings):
    response = client.get(reverse("feeds:town_meetings", args=[town.slug]))
    events = _events(response)
    assert set(events) == {uid(meetings[k]) for k in ("in_a", "in_b", "town_wide")}
    event = events[uid(meetings["in_a"])]
    assert str(event["summary"]) == "王**提议的会"  # the names on its list are masked
    assert "王小明" not in response.content.decode()
    assert str(event["location"]) == "逸致议事厅, 逸景佳苑, 高境镇"
    assert str(event["url"]).endswith(meetings["in_a"].get_absolute_url())
    assert event.decoded("dtstart") == meetings["in_a"].starts_at.replace(microsecond=0)


def test_area_feed_has_the_area_and_town_wide_meetings(client, town, area_a, meetings):
    response = client.get(reverse("feeds:area_meetings", args=[town.slug, area_a.pk]))
    events = _events(response)
    assert set(events) == {uid(meetings["in_a"]), uid(meetings["town_wide"])}


def test_feed_name_is_translated(client, town, meetings):
    response = client.get(
        reverse("feeds:town_meetings", args=[town.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "Meetings · 高境镇"


def test_unknown_town_or_area_is_404(client, town, other_town, area_a):
    assert client.get(reverse("feeds:town_meetings", args=["nowhere"])).status_code == 404
    url = reverse("feeds:area_meetings", args=[other_town.slug, area_a.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("feeds:area_meetings", args=[town.slug, 999999])).status_code == 404


def test_feed_queries_do_not_grow(client, town, area_a, people):
    url = reverse("feeds:town_meetings", args=[town.slug])
    secretary = people["secretariat"]

    def add(n):
        for _i in range(n):
            meeting = make_meeting(town=town, area=area_a, actor=secretary)
            meeting_services.invite(meeting=meeting, actor=secretary, name="张三丰")

    add(2)
    count_queries(client, url)
    few, _ = count_queries(client, url)
    add(8)
    many, response = count_queries(client, url)
    assert few == many
    assert response.content.decode().count("BEGIN:VEVENT") == 10


# --- Links from the pages ------------------------------------------------------------------


def test_meeting_list_links_its_feed(client, town):
    html = client.get(
        reverse("meetings:meeting_list", args=[town.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert reverse("feeds:town_meetings", args=[town.slug]) in html
    assert "Subscribe (iCalendar)" in html


def test_activity_list_links_its_feed(client, town):
    html = client.get(reverse("events:activity_list", args=[town.slug])).content.decode()
    assert reverse("events:town_feed", args=[town.slug]) in html


def test_area_page_links_both_feeds(client, town, area_a):
    html = client.get(
        reverse("places:area", args=[town.slug, area_a.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert reverse("events:area_feed", args=[town.slug, area_a.pk]) in html
    assert reverse("feeds:area_meetings", args=[town.slug, area_a.pk]) in html
