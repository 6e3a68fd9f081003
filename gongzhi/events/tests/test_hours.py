"""Volunteer hours: from check-in/out, manual additions capped and approved, certificate."""

from datetime import timedelta

import pytest
from django.urls import reverse

from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import assert_nothing_written
from gongzhi.events import hours, services
from gongzhi.events.models import HoursClaim
from gongzhi.tests.factories import ActivityFactory, UserFactory


@pytest.fixture
def service(area_a):
    """A two-hour volunteer service."""
    return ActivityFactory(area=area_a, kind="volunteer_service", title="楼道清洁志愿服务")


def organiser():
    """Whoever keeps the roster: the deployment's administrator will do."""
    return UserFactory._meta.model.objects.filter(is_superuser=True).first() or UserFactory(
        is_superuser=True
    )


def attend(activity, user, *, minutes_in=0, stay=90):
    attendance, _ = services.check_in(
        activity=activity,
        user=user,
        method="roster",
        recorded_by=organiser(),
        at=activity.starts_at + timedelta(minutes=minutes_in),
    )
    if stay is not None:
        services.check_out(
            attendance=attendance,
            actor=organiser(),
            at=attendance.checked_in_at + timedelta(minutes=stay),
        )
    return attendance


def test_hours_come_from_check_in_and_check_out(service):
    user = UserFactory()
    attend(service, user, stay=90)
    lines, total = hours.service_record(user, year=service.starts_at.year)
    assert total == 90 and [line.manual for line in lines] == [False]


def test_check_out_after_the_end_is_capped_at_the_activity(service):
    user = UserFactory()
    attendance = attend(service, user, stay=None)
    services.check_out(
        attendance=attendance, actor=organiser(), at=service.ends_at + timedelta(hours=5)
    )
    assert hours.service_record(user)[1] <= hours.activity_minutes(service) + 30


def test_workshops_are_not_volunteer_service(area_a):
    workshop = ActivityFactory(area=area_a, kind="workshop")
    user = UserFactory()
    attend(workshop, user)
    assert hours.service_record(user) == ([], 0)


def test_manual_hours_are_capped_flagged_and_need_approval(service, people):
    user = UserFactory()
    attend(service, user, stay=90)
    with pytest.raises(DomainError):
        hours.claim_hours(
            activity=service, user=user, minutes=31, reason="提前布置"
        )  # 90 + 31 > 120
    claim = hours.claim_hours(activity=service, user=user, minutes=30, reason="提前布置")
    assert hours.service_record(user)[1] == 90  # not counted until approved
    with pytest.raises(DomainError):
        hours.claim_hours(activity=service, user=user, minutes=10, reason="again")  # one pending
    hours.decide_claim(claim=claim, actor=people["area_staff"], approve=True)
    lines, total = hours.service_record(user)
    assert total == 120 and [line.manual for line in lines] == [False, True]
    assert AuditEvent.objects.filter(verb="hours.approve", actor=people["area_staff"]).exists()
    with pytest.raises(DomainError):
        hours.decide_claim(claim=claim, actor=people["area_staff"], approve=False)


def test_me_counts_each_activitys_hours_with_approved_additions(service, people):
    """我的 shows, per activity, the hours the service record counts: a volunteer whom
    nobody checked out still sees the hours added by hand once they are approved."""
    from gongzhi.events.mine import mine_context

    user = UserFactory()
    attend(service, user, stay=None)
    claim = hours.claim_hours(activity=service, user=user, minutes=90, reason="布置场地")
    assert [a.hours for a in mine_context(user)["attended"]] == [0]
    hours.decide_claim(claim=claim, actor=people["area_staff"], approve=True)
    context = mine_context(user)
    assert [a.hours for a in context["attended"]] == [1.5] and context["total_hours"] == 1.5


def test_only_participants_may_claim(service):
    stranger = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        hours.claim_hours(activity=service, user=stranger, minutes=30, reason="x")
    assert not HoursClaim.objects.exists()


def test_claim_page_and_roster_approval(client_for, people, service, town):
    resident = people["resident"]
    attend(service, resident, stay=60)
    client = client_for("resident")
    url = reverse("events:claim_hours", args=[town.slug, service.pk])
    client.post(url, {"minutes": "0", "reason": "x"})
    client.post(url, {"minutes": "500", "reason": "太多"})
    assert not HoursClaim.objects.exists()
    client.post(url, {"minutes": "45", "reason": "结束后整理"})
    claim = HoursClaim.objects.get()
    roster = client_for("area_staff").get(reverse("events:roster", args=[town.slug, service.pk]))
    assert "结束后整理" in roster.content.decode()
    decide = reverse("events:decide_hours", args=[town.slug, service.pk, claim.pk])
    with assert_nothing_written():
        assert client.post(decide, {"approve": "1"}).status_code == 403  # not the organiser
    client_for("area_staff").post(decide, {"approve": "1"})
    claim.refresh_from_db()
    assert claim.status == "approved"


def test_my_hours_and_certificate(client_for, people, service):
    attend(service, people["resident"], stay=90)
    client = client_for("resident")
    year = service.starts_at.year
    page = client.get(reverse("events:my_hours"), {"year": year})
    assert page.status_code == 200 and "1.5" in page.content.decode()
    cert = client.get(reverse("events:certificate"), {"year": year}).content.decode()
    assert "李居民" in cert and "楼道清洁志愿服务" in cert and "1.5" in cert and "高境镇" in cert
    assert f"GZ-{year}-" in cert
    assert client.get(reverse("events:my_hours"), {"year": "abc"}).status_code == 200
