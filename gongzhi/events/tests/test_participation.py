"""Registration with a waiting list, QR check-in, head counts and the figures."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from gongzhi.core.errors import DomainError
from gongzhi.core.testing import all_at_once, assert_nothing_written
from gongzhi.events import services
from gongzhi.events.counting import participation
from gongzhi.events.models import Activity, Attendance, Registration
from gongzhi.tests.factories import ActivityFactory, UserFactory


@pytest.fixture
def activity(area_a):
    return ActivityFactory(area=area_a, capacity=2)


def during(activity, minutes=30):
    return activity.starts_at + timedelta(minutes=minutes)


def test_capacity_then_waiting_list_then_promotion(activity, django_capture_on_commit_callbacks):
    from gongzhi.core.models import Notification

    a, b, c = UserFactory.create_batch(3)
    assert services.register(activity=activity, user=a).status == "registered"
    assert services.register(activity=activity, user=b).status == "registered"
    waiting = services.register(activity=activity, user=c)
    assert waiting.status == "waitlisted"
    first = Registration.objects.get(activity=activity, user=a)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_registration(registration=first, user=a)
    assert promoted == waiting
    waiting.refresh_from_db()
    assert waiting.status == "registered"
    assert Notification.objects.filter(user=c).exists()


def test_double_registration_is_refused(activity):
    user = UserFactory()
    services.register(activity=activity, user=user)
    with (
        translation.override("en"),
        assert_nothing_written(),
        pytest.raises(DomainError, match="already signed up"),
    ):
        services.register(activity=activity, user=user)
    assert Registration.objects.filter(activity=activity, user=user).count() == 1


def test_no_sign_up_for_drafts_or_started_activities(area_a):
    draft = ActivityFactory(area=area_a, status="draft")
    stranger = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        services.register(activity=draft, user=stranger)
    started = ActivityFactory(
        area=area_a,
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    with assert_nothing_written(), pytest.raises(DomainError):
        services.register(activity=started, user=stranger)
    assert not Registration.objects.exists()


def test_qr_token_rotates_and_expires(activity):
    now = during(activity)
    token = services.checkin_token(activity, at=now)
    services.check_token(activity, token, at=now)
    services.check_token(activity, token, at=now + services.TOKEN_PERIOD)  # grace period
    with (
        translation.override("en"),
        assert_nothing_written(),
        pytest.raises(DomainError, match="expired"),
    ):
        services.check_token(activity, token, at=now + 2 * services.TOKEN_PERIOD)
    assert services.checkin_token(activity, at=now + 2 * services.TOKEN_PERIOD) != token


@pytest.mark.parametrize("forged", ["", "abc", "123-deadbeef", "9999999999-0000"])
def test_forged_token_is_refused(activity, forged):
    stranger = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        services.check_in_with_code(
            activity=activity, token=forged, user=stranger, at=during(activity)
        )
    assert not Attendance.objects.exists()


def test_token_of_another_activity_is_refused(activity, area_a):
    other = ActivityFactory(area=area_a)
    token = services.checkin_token(other, at=during(activity))
    stranger = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        services.check_in_with_code(
            activity=activity, token=token, user=stranger, at=during(activity)
        )


def test_check_in_window(activity, people):
    user, staff = UserFactory(), people["area_staff"]
    too_early = activity.starts_at - timedelta(hours=2)
    too_late = activity.ends_at + timedelta(hours=1)
    for moment in (too_early, too_late):
        with assert_nothing_written(), pytest.raises(DomainError):
            services.check_in_with_code(
                activity=activity,
                token=services.checkin_token(activity, at=moment),
                user=user,
                at=moment,
            )
    # Staff may still record from the paper sheet the same evening.
    _, created = services.check_in(
        activity=activity, user=user, method="roster", recorded_by=staff, at=too_late
    )
    assert created


def test_second_check_in_is_ignored_not_counted(activity):
    user = UserFactory()
    now = during(activity)
    token = services.checkin_token(activity, at=now)
    first, created = services.check_in_with_code(activity=activity, token=token, user=user, at=now)
    again, created_again = services.check_in_with_code(
        activity=activity, token=token, user=user, at=now
    )
    assert created and not created_again and first == again
    assert participation(Activity.objects.filter(pk=activity.pk)).person_times == 1


def test_quick_check_in_creates_an_account_without_password(activity):
    now = during(activity)
    token = services.checkin_token(activity, at=now)
    attendance, created = services.quick_check_in(
        activity=activity, token=token, phone="13711110000", name="路过的邻居", consent=True, at=now
    )
    assert created and attendance.method == "quick"
    assert not attendance.user.has_usable_password()
    with assert_nothing_written(), pytest.raises(DomainError):
        services.quick_check_in(
            activity=activity, token=token, phone="13711110001", name="x", consent=False, at=now
        )


def test_person_times_and_people_are_counted_separately(area_a, people):
    """50 people at 3 activities = 150 person-times, 50 people; walk-ins add person-times only."""
    crowd = UserFactory.create_batch(50)
    activities = ActivityFactory.create_batch(3, area=area_a, capacity=None)
    for activity in activities:
        for user in crowd:
            services.check_in(
                activity=activity,
                user=user,
                method="roster",
                recorded_by=people["area_staff"],
                at=during(activity),
            )
    services.record_walk_ins(activity=activities[0], actor=people["area_staff"], count=120)
    figures = participation(Activity.objects.filter(pk__in=[a.pk for a in activities]))
    assert (figures.person_times, figures.people, figures.walk_ins) == (270, 50, 120)
    annotated = Activity.objects.with_counts().get(pk=activities[0].pk)
    assert (annotated.attendance_count, annotated.people_count, annotated.walk_in_total) == (
        50,
        50,
        120,
    )


def test_walk_in_count_must_be_positive(activity, people):
    for bad in (0, -3, 10**7):
        with assert_nothing_written(), pytest.raises(DomainError):
            services.record_walk_ins(activity=activity, actor=people["area_staff"], count=bad)


def test_check_out_gives_the_time_and_cannot_repeat(activity, people):
    user, staff = UserFactory(), people["area_staff"]
    attendance, _ = services.check_in(
        activity=activity, user=user, method="roster", recorded_by=staff, at=during(activity, 0)
    )
    services.check_out(attendance=attendance, actor=staff, at=during(activity, 90))
    attendance.refresh_from_db()
    assert attendance.checked_out_at - attendance.checked_in_at == timedelta(minutes=90)
    with pytest.raises(DomainError):
        services.check_out(attendance=attendance, actor=staff, at=during(activity, 100))


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_concurrent_check_ins_loses_none_and_counts_none_twice():
    """220 check-ins at once: 200 distinct people, 20 of them scanning twice."""
    from gongzhi.tests.factories import AreaFactory

    activity = ActivityFactory(area=AreaFactory(), capacity=None)
    users = UserFactory.create_batch(200)
    now = during(activity)
    token = services.checkin_token(activity, at=now)
    attempts = users + users[:20]

    def scan(user):
        return services.check_in_with_code(activity=activity, token=token, user=user, at=now)[1]

    created = all_at_once(scan, attempts, threads=20, results=True)
    assert sum(created) == 200
    assert Attendance.objects.filter(activity=activity).count() == 200
    figures = participation(Activity.objects.filter(pk=activity.pk))
    assert (figures.person_times, figures.people) == (200, 200)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_take_exactly_the_places_there_are():
    """Twelve people sign up for three places at the same instant, four of them
    pressing twice: three are signed up, nine wait, and nobody is in twice. Without
    the activity's row lock every sign-up counts the same free places."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises every writer, so requests never "
            "overlap and the row lock under test is not exercised"
        )
    from gongzhi.tests.factories import AreaFactory

    activity = ActivityFactory(area=AreaFactory(), capacity=3)
    users = UserFactory.create_batch(12)
    attempts = [users[n // 2] if n < 8 else users[n - 4] for n in range(16)]  # 0,0,1,1,…
    outcomes = all_at_once(lambda user: services.register(activity=activity, user=user), attempts)
    assert outcomes.count("ok") == 12 and outcomes.count("refused") == 4
    statuses = list(Registration.objects.filter(activity=activity).values_list("status", flat=True))
    assert sorted(statuses) == ["registered"] * 3 + ["waitlisted"] * 9
    assert Registration.objects.filter(activity=activity).values("user").distinct().count() == 12
