"""iCalendar feeds of public activities, checked by parsing them with icalendar."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from gongzhi.events.feeds import uid
from gongzhi.tests.factories import ActivityFactory


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "lines folded at 75 octets"
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def activities(town, area_a, area_b):
    now = timezone.now()
    return {
        "a": ActivityFactory(
            area=area_a,
            title="楼道微更新议事会",
            description="带上你的想法。\n第二行",
            venue="议事厅",
        ),
        "b": ActivityFactory(area=area_b, title="乙区活动"),
        "town": ActivityFactory(town=town, area=None, title="全镇市集"),
        "draft": ActivityFactory(area=area_a, status="draft", title="草稿"),
        "old": ActivityFactory(
            area=area_a,
            starts_at=now - timedelta(days=40),
            ends_at=now - timedelta(days=40) + timedelta(hours=2),
        ),
        "recent": ActivityFactory(
            area=area_a,
            starts_at=now - timedelta(days=3),
            ends_at=now - timedelta(days=3) + timedelta(hours=2),
        ),
    }


def test_town_feed_lists_public_activities_from_a_month_back(client, town, activities):
    events = parse(client.get(reverse("events:town_feed", args=[town.slug])))
    expected = {"a", "b", "town", "recent"}
    assert set(events) == {uid(activities[k]) for k in expected}
    a = activities["a"]
    event = events[uid(a)]
    assert str(event["SUMMARY"]) == "楼道微更新议事会"
    assert event.decoded("DTSTART") == a.starts_at
    assert event.decoded("DTEND") == a.ends_at
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert "议事厅" in str(event["LOCATION"]) and a.area.name in str(event["LOCATION"])
    assert "第二行" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(a.get_absolute_url())
    assert str(event["URL"]).startswith("http")
    assert event.decoded("LAST-MODIFIED") == a.updated_at.replace(microsecond=0)
    assert event["DTSTAMP"]


def test_uid_is_stable_when_the_activity_changes(client, town, activities):
    url = reverse("events:town_feed", args=[town.slug])
    before = parse(client.get(url))
    activity = activities["a"]
    activity.title = "改名后的议事会"
    activity.starts_at += timedelta(hours=1)
    activity.ends_at += timedelta(hours=1)
    activity.save()
    after = parse(client.get(url))
    assert set(before) == set(after)
    assert str(after[uid(activity)]["SUMMARY"]) == "改名后的议事会"


def test_area_feed_has_the_area_and_town_wide_activities(client, town, area_a, activities):
    events = parse(client.get(reverse("events:area_feed", args=[town.slug, area_a.pk])))
    assert set(events) == {uid(activities[k]) for k in ("a", "town", "recent")}


def test_area_of_another_town_is_not_found(client, other_town, area_a):
    assert (
        client.get(reverse("events:area_feed", args=[other_town.slug, area_a.pk])).status_code
        == 404
    )
    assert client.get(reverse("events:town_feed", args=["no-such-town"])).status_code == 404


def test_empty_feed_is_still_a_valid_calendar(client, other_town):
    assert parse(client.get(reverse("events:town_feed", args=[other_town.slug]))) == {}


def test_activity_list_links_the_feed(client, town):
    page = client.get(reverse("events:activity_list", args=[town.slug])).content.decode()
    assert reverse("events:town_feed", args=[town.slug]) in page
    assert reverse("events:figures", args=[town.slug]) in page
