"""Reminders the day before: once per sign-up, also when run twice or at once."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongzhi.core.models import Notification
from gongzhi.core.testing import all_at_once
from gongzhi.events import services
from gongzhi.events.models import Registration
from gongzhi.events.tasks import remind_tomorrow, send_reminders, tomorrow_window
from gongzhi.tests.factories import ActivityFactory, AreaFactory, UserFactory


def local(day_offset, hour, minute=0):
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def sign_up(activity, *users):
    return [services.register(activity=activity, user=user) for user in users]


def test_tomorrow_is_the_local_day_in_shanghai():
    # 17:30 UTC is already 01:30 the next day in Shanghai.
    now = datetime(2026, 3, 9, 17, 30, tzinfo=UTC)
    start, end = tomorrow_window(now)
    assert timezone.localtime(start).isoformat() == "2026-03-11T00:00:00+08:00"
    assert end - start == timedelta(days=1)


def test_only_registered_people_of_published_activities_tomorrow_are_reminded(
    db, django_capture_on_commit_callbacks
):
    area = AreaFactory()
    tomorrow = ActivityFactory(area=area, starts_at=local(1, 23, 30), capacity=1, title="明日议事")
    early = ActivityFactory(area=area, starts_at=local(1, 0, 5))
    today = ActivityFactory(area=area, starts_at=local(0, 23, 59))
    day_after = ActivityFactory(area=area, starts_at=local(2, 0, 0))
    draft = ActivityFactory(area=area, starts_at=local(1, 10), status="published")
    signed, waiting, cancelled, at_early = UserFactory.create_batch(4)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(tomorrow, signed, waiting)
        (gone,) = sign_up(early, cancelled)
        services.cancel_registration(registration=gone, user=cancelled)
        sign_up(early, at_early)
        sign_up(draft, UserFactory())
        sign_up(today, UserFactory())
        sign_up(day_after, UserFactory())
    # Registering needs it published; a draft then (status changed behind its back).
    draft.status = "draft"
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = remind_tomorrow()
    assert reminded == 2
    assert {n.user for n in Notification.objects.all()} == {signed, at_early}
    message = Notification.objects.get(user=signed)
    assert "明日议事" in message.message and "23:30" in message.message
    assert message.url == tomorrow.get_absolute_url()
    assert Registration.objects.get(user=waiting).reminded_at is None  # waiting list
    assert Registration.objects.filter(reminded_at__isnull=False).count() == 2


def test_running_twice_reminds_nobody_twice(db, django_capture_on_commit_callbacks):
    activity = ActivityFactory(area=AreaFactory())
    sign_up(activity, *UserFactory.create_batch(3))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_tomorrow() == 3
        assert remind_tomorrow() == 0
    assert Notification.objects.count() == 3
    # Someone who signs up later the same day is still reminded by the next run.
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(activity, UserFactory())
        assert remind_tomorrow() == 1
    assert Notification.objects.count() == 4


def test_the_task_and_the_command(db, django_capture_on_commit_callbacks, capsys):
    activity = ActivityFactory(area=AreaFactory())
    sign_up(activity, UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders.enqueue()  # the immediate backend runs it now
    assert result.return_value == 1
    sign_up(activity, UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert "reminded: 1" in capsys.readouterr().out
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_remind_each_person_once():
    activity = ActivityFactory(area=AreaFactory(), capacity=None)
    users = UserFactory.create_batch(60)
    Registration.objects.bulk_create(
        Registration(activity=activity, user=user, status="registered") for user in users
    )
    counts = all_at_once(lambda _run: remind_tomorrow(), range(4), results=True)
    assert sum(counts) == 60
    assert Notification.objects.count() == 60
    assert Notification.objects.values("user").distinct().count() == 60
