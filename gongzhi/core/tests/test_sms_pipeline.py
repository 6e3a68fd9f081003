"""The SMS pipeline (issue 16, points 3 and 4): channels on notification kinds, each
person's choice and consent, one SMS per event per person, quiet hours, the town's
monthly budget, retries, delivery receipts, the staff's ledger and 待办, and codes
kept out of the logs."""

import json
import logging
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.services import give_consent, withdraw_consent
from gongzhi.core.models import (
    Notification,
    SmsBudget,
    SmsBudgetAlert,
    SmsMessage,
    SmsOutbox,
    SmsPreference,
    SmsStatus,
)
from gongzhi.core.notifications import SMS_PARAM_LIMIT, get_kind, sms_kinds
from gongzhi.core.services import notify, notify_all
from gongzhi.core.sms import outgoing
from gongzhi.core.sms.fakes import FakeAliyun
from gongzhi.core.testing import all_at_once
from gongzhi.tests.factories import ActivityFactory, UserFactory

CONSOLE = {
    "BACKEND": "gongzhi.core.sms.console.ConsoleBackend",
    "SIGN_NAME": "共治平台",
    "TEMPLATES": {},
    "RECEIPT_TOKEN": "receipt-secret",
    "TIMEOUT": 1,
    "MONTHLY_UNITS": 1000,
}
pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A moment in the deployment's time zone, ``day_offset`` days from today."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, datetime.min.time())).replace(
        hour=hour, minute=minute
    )


DAY = local(1, 10)  # tomorrow 10:00: not in the quiet hours
NOON = local(0, 12)  # today, in this month (what the ledger page shows)


@pytest.fixture(autouse=True)
def console(settings):
    settings.GONGZHI_SMS = dict(CONSOLE)
    return settings


@pytest.fixture
def deferred(settings):
    """Tasks recorded, not run: each test sends with an explicit ``now``."""
    settings.TASKS = DUMMY_TASKS
    from django_tasks import task_backends

    return task_backends["default"]


def texted(user=None, **fields):
    """A person who takes SMS: verified number and the SMS consent given."""
    user = user or UserFactory(**fields)
    give_consent(user=user, kind="sms_notifications")
    return user


def queue(user, *, kind="events.reminder", key="e1", now=DAY, town_id=None, **params):
    params = {"title": "社区花园共建日", "time": "09:30", "venue": "活动室", **params}
    return outgoing.queue_notification_sms(
        users=[user], kind=kind, params=params, event_key=key, now=now, town_id=town_id
    )


# --- Channels and choices ----------------------------------------------------------------


def test_the_must_not_miss_kinds_go_by_sms_and_the_others_stay_in_app():
    expected = {
        "events.reminder",
        "events.place_free",
        "partners.welcome",
        "partners.declined",
        "proposals.status",
        "planning.comment_replied",
        "planning.objection_replied",
        "meetings.invited",
        "renewal.built",
    }
    assert {kind.key for kind in sms_kinds()} == expected
    assert not get_kind("events.hours_approved").by_sms
    for kind in sms_kinds():
        values = kind.sms_values({**kind.sample, "title": "很" * 40})
        assert set(values) == set(kind.sms_params)
        assert all(len(value) <= SMS_PARAM_LIMIT for value in values.values())
        assert str(kind.label)


def test_notify_texts_only_sms_kinds_to_people_who_take_them(
    django_capture_on_commit_callbacks, deferred
):
    taker = texted()
    no_consent = UserFactory()
    unverified = texted(phone_verified=False)
    turned_off = texted()
    SmsPreference.objects.create(user=turned_off, kind="events.reminder", sms=False)
    params = {"title": "社区花园共建日", "time": "09:30", "venue": "活动室"}
    with django_capture_on_commit_callbacks(execute=True):
        for user in (taker, no_consent, unverified, turned_off):
            notify(user=user, kind="events.reminder", params=params)
        notify(user=taker, kind="events.hours_approved", params={"minutes": 9, "title": "x"})
    assert Notification.objects.count() == 5  # everyone is told in-app
    assert list(SmsMessage.objects.values_list("user", "kind")) == [(taker.pk, "events.reminder")]


def test_notify_all_finds_the_takers_in_one_query(
    django_capture_on_commit_callbacks, deferred, django_assert_num_queries
):
    people = [texted() for _ in range(3)] + [UserFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        notify_all(users=people, kind="renewal.built", params={"title": "口袋花园"})
    assert SmsMessage.objects.filter(kind="renewal.built").count() == 3
    # A kind without SMS costs nothing more than the one insert.
    with django_capture_on_commit_callbacks(execute=True):
        notify_all(users=people, kind="contests.jury", params={"title": "大赛"})
    with django_assert_num_queries(1), django_capture_on_commit_callbacks(execute=True):
        notify_all(users=people, kind="contests.jury", params={"title": "大赛"})


def test_consent_withdrawn_stops_what_was_queued(deferred):
    user = texted()
    [message] = queue(user, now=local(0, 22))
    assert message.status == SmsStatus.HELD
    withdraw_consent(user=user, consent=user.consents.get(kind="sms_notifications"))
    outgoing.send_due(now=local(1, 8))
    message.refresh_from_db()
    assert message.status == SmsStatus.CANCELLED
    assert not SmsOutbox.objects.exists()
    assert queue(texted(phone_verified=False)) == []


def test_choices_on_me_give_and_withdraw_the_consent(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("me"))
    assert page.status_code == 200
    assert 'name="kind" value="events.reminder"' in page.content.decode()
    response = client.post(reverse("sms_choices"), {"kind": ["events.reminder", "renewal.built"]})
    assert response.status_code == 302
    assert user.consents.filter(kind="sms_notifications", withdrawn_at__isnull=True).exists()
    assert set(outgoing.takers("events.reminder").values_list("pk", flat=True)) == {user.pk}
    assert not outgoing.takers("events.place_free").filter(pk=user.pk).exists()
    client.post(reverse("sms_choices"), {})
    assert not user.consents.filter(kind="sms_notifications", withdrawn_at__isnull=True).exists()
    assert not outgoing.takers("events.reminder").filter(pk=user.pk).exists()


def test_an_unknown_kind_is_refused_and_nothing_is_kept(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("sms_choices"), {"kind": ["events.reminder", "nope"]})
    assert response.status_code == 400
    assert not SmsPreference.objects.exists()
    assert not user.consents.exists()
    assert client.get(reverse("sms_choices")).status_code == 405


def test_an_unverified_number_is_said_and_linked_on_me(client):
    user = UserFactory(phone_verified=False, phone="13912345678")
    client.force_login(user)
    text = client.get(reverse("me")).content.decode()
    assert "139****5678" in text and reverse("account_change_phone") in text


# --- One SMS per event, reminders -----------------------------------------------------


def test_the_reminder_run_twice_reaches_the_outbox_once_per_person(
    django_capture_on_commit_callbacks,
):
    from gongzhi.events.models import Registration
    from gongzhi.events.tasks import remind_tomorrow

    activity = ActivityFactory()
    people = [texted() for _ in range(3)]
    for user in people:
        Registration.objects.create(activity=activity, user=user, status="registered")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            remind_tomorrow()
        Registration.objects.update(reminded_at=None)  # as if the claim were lost
    # What the quiet hours held (the test may run at night) goes at 08:00.
    outgoing.send_due(now=local(1, 8, 1))
    phones = sorted(SmsOutbox.objects.values_list("phone", flat=True))
    assert phones == sorted(user.phone for user in people)
    assert SmsMessage.objects.filter(status=SmsStatus.SENT).count() == 3


def test_a_days_reminders_are_queued_in_a_fixed_number_of_queries(
    deferred, django_capture_on_commit_callbacks
):
    """The reminders of a whole day are queued a batch at a time: the queries do not
    grow with the number of people (the bench queues 10,000). The task rows are the
    task backend's; the dummy backend here keeps them in memory."""
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from gongzhi.events.models import Registration
    from gongzhi.events.tasks import remind_tomorrow

    def run(people: int) -> int:
        activity = ActivityFactory()
        for _ in range(people):
            Registration.objects.create(activity=activity, user=texted(), status="registered")
        with (
            CaptureQueriesContext(db) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert remind_tomorrow() == people
        return len(queries)

    few, many = run(3), run(30)
    assert many == few
    assert SmsMessage.objects.filter(kind="events.reminder").count() == 33
    # Each handed to the sending task (deferred to 08:00 when queued at night).
    assert len(deferred.results) == 33


def test_queueing_an_event_twice_keeps_one_row(deferred):
    user = texted()
    assert len(queue(user, key="same")) == 1
    assert queue(user, key="same") == []
    assert SmsMessage.objects.filter(user=user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_one_message_send_it_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so the claim never races")
    settings.TASKS = DUMMY_TASKS
    messages = [queue(texted(), key=f"race{n}")[0] for n in range(5)]
    outcomes = all_at_once(
        lambda message: outgoing.send_message(message_id=message.pk, now=DAY),
        [m for m in messages for _ in range(4)],
        results=True,
    )
    assert outcomes.count(SmsStatus.SENT) == 5 and outcomes.count(None) == 15
    assert SmsOutbox.objects.count() == 5


# --- Quiet hours -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "hour, held_until",
    [(21, local(1, 8)), (23, local(1, 8)), (7, local(0, 8)), (8, None), (20, None)],
)
def test_quiet_hours_hold_until_eight(
    hour, held_until, deferred, django_capture_on_commit_callbacks
):
    now = local(0, hour, 30 if hour in (7, 20, 21) else 0)
    with django_capture_on_commit_callbacks(execute=True):
        [message] = queue(texted(), now=now)
    if held_until is None:
        assert message.status == SmsStatus.QUEUED
        return
    assert (message.status, message.next_attempt_at) == (SmsStatus.HELD, held_until)
    # Deferred to 08:00 on a backend that can defer; cron sends it then otherwise.
    assert deferred.results[-1].task.run_after == held_until
    outgoing.send_due(now=held_until - timedelta(minutes=1))
    message.refresh_from_db()
    assert message.status == SmsStatus.HELD
    outgoing.send_due(now=held_until)
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT


def test_codes_go_out_in_the_quiet_hours():
    message = outgoing.send_code(phone="13900000001", code="482913", now=local(0, 23))
    assert message.status == SmsStatus.SENT
    assert "482913" in SmsOutbox.objects.get().text
    assert message.params == {} and "482913" not in message.text


# --- Budget ----------------------------------------------------------------------------


def test_budget_warns_the_secretariat_once_at_80_and_stops_at_100(
    people, town, area_a, deferred, django_capture_on_commit_callbacks
):
    SmsBudget.objects.create(town_id=town.pk, monthly_units=5)
    secretariat = people["secretariat"]
    # Lives in the town: the code below is counted in its budget.
    user = texted(residential_area=area_a)
    for n in range(4):
        queue(user, key=f"b{n}", town_id=town.pk, now=NOON)
        with django_capture_on_commit_callbacks(execute=True):
            outgoing.send_due(now=NOON)
    assert SmsBudgetAlert.objects.filter(town_id=town.pk, level=80).count() == 1
    warnings = Notification.objects.filter(user=secretariat, kind="core.sms_budget_warning")
    assert warnings.count() == 1
    assert not Notification.objects.filter(user=people["other_secretariat"]).exists()
    queue(user, key="b4", town_id=town.pk, now=NOON)
    with django_capture_on_commit_callbacks(execute=True):
        outgoing.send_due(now=NOON)
    assert (
        Notification.objects.filter(user=secretariat, kind="core.sms_budget_stopped").count() == 1
    )
    [stopped] = queue(user, key="b5", town_id=town.pk, now=NOON)
    assert stopped.status == SmsStatus.OVER_BUDGET
    assert warnings.count() == 1
    # Codes are never stopped (nobody could sign in), and they are counted.
    code = outgoing.send_code(phone=user.phone, code="111222", user=user, now=NOON)
    assert code.status == SmsStatus.SENT
    assert SmsOutbox.objects.count() == 6
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(secretariat)
    text = client.get(reverse("sms_ledger")).content.decode()
    # Five notifications of one unit each, and the code's units (its signed text's
    # segments, counted by the backend).
    used = 5 + code.cost_units
    assert code.cost_units >= 1
    assert f"{town.name}: {used} of 5 units used ({used * 20}%)." in text


# --- Retries, failures, codes ----------------------------------------------------------


@pytest.fixture
def fake_aliyun(settings):
    with FakeAliyun() as fake:
        options = fake.options(RECEIPT_TOKEN="receipt-secret")
        options["TEMPLATES"] = {**options["TEMPLATES"], "events.reminder": "SMS_460002"}
        settings.GONGZHI_SMS = options
        yield fake


def test_a_provider_down_is_retried_with_back_off_then_fails(
    fake_aliyun, deferred, django_capture_on_commit_callbacks
):
    [message] = queue(texted())
    for _ in range(outgoing.MAX_ATTEMPTS):
        fake_aliyun.answer_error("isp.SYSTEM_ERROR")
    now = DAY
    waits = []
    for _ in range(outgoing.MAX_ATTEMPTS - 1):
        with django_capture_on_commit_callbacks(execute=True):
            outgoing.send_message(message_id=message.pk, now=now)
        message.refresh_from_db()
        assert message.status == SmsStatus.RETRYING and message.delayed
        waits.append(message.next_attempt_at - now)
        assert outgoing.send_message(message_id=message.pk, now=now) is None  # not due yet
        now = message.next_attempt_at
    assert waits == list(outgoing.BACKOFF)
    assert deferred.results[-1].task.run_after == message.next_attempt_at
    outgoing.send_message(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert (message.status, message.error_code) == (SmsStatus.FAILED, "isp.SYSTEM_ERROR")
    assert message.attempts == outgoing.MAX_ATTEMPTS


def test_a_retry_that_succeeds_is_sent_once(fake_aliyun, deferred):
    [message] = queue(texted())
    fake_aliyun.answer_error("isv.BUSINESS_LIMIT_CONTROL")
    outgoing.send_due(now=DAY)
    outgoing.send_due(now=DAY + timedelta(minutes=1))
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.provider_id
    assert message.provider == "aliyun" and message.cost_units == 1


def test_a_refusal_fails_at_once(fake_aliyun, deferred):
    [message] = queue(texted())
    fake_aliyun.answer_error("isv.MOBILE_NUMBER_ILLEGAL")
    assert outgoing.send_message(message_id=message.pk, now=DAY) == SmsStatus.FAILED


def test_a_delayed_code_is_retried_and_never_logged(fake_aliyun, caplog):
    caplog.set_level(logging.DEBUG)
    fake_aliyun.answer_error("isp.SYSTEM_ERROR")
    message = outgoing.send_code(phone="13900000002", code="739164", now=DAY)
    assert message.status == SmsStatus.RETRYING and message.delayed
    assert message.params == {} and message.text == ""
    outgoing.send_due(now=DAY + timedelta(minutes=1))
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert fake_aliyun.requests[-1].params["TemplateParam"].count("739164") == 1
    refused = outgoing.send_code(phone="13900000003", code="551177", now=DAY)
    assert refused.status == SmsStatus.SENT
    fake_aliyun.answer_error("isv.MOBILE_NUMBER_ILLEGAL")
    failed = outgoing.send_code(phone="13900000004", code="662288", now=DAY)
    assert failed.status == SmsStatus.FAILED and not failed.delayed
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for code in ("739164", "551177", "662288", FakeAliyun.ACCESS_KEY_SECRET):
        assert code not in logged
    assert not SmsMessage.objects.filter(params__has_key="code").exists()


def test_a_code_that_expired_while_the_provider_was_down_is_not_sent(fake_aliyun):
    fake_aliyun.answer_error("isp.SYSTEM_ERROR")
    message = outgoing.send_code(phone="13900000005", code="123987", now=DAY)
    from django.core.cache import cache

    cache.clear()  # the code's time ran out
    outgoing.send_due(now=DAY + timedelta(minutes=1))
    message.refresh_from_db()
    assert (message.status, message.error_code) == (SmsStatus.FAILED, "code_expired")


def test_a_message_waiting_for_the_morning_is_not_sent_to_a_changed_number(deferred):
    """Held overnight, then the person changed their number: the text about them is
    not sent to the old number (whoever has it now)."""
    user = texted()
    [message] = queue(user, now=local(0, 22))
    assert message.status == SmsStatus.HELD
    user.phone = "13712340000"
    user.save(update_fields=["phone"])
    outgoing.send_due(now=local(1, 8))
    message.refresh_from_db()
    assert message.status == SmsStatus.CANCELLED
    assert not SmsOutbox.objects.exists()


def test_holding_for_the_quiet_hours_costs_no_attempt(deferred):
    """A retry due at night is held until 08:00: that is not one of its attempts."""
    [message] = queue(texted(), now=DAY)
    SmsMessage.objects.filter(pk=message.pk).update(
        status=SmsStatus.RETRYING, attempts=1, next_attempt_at=local(0, 22)
    )
    outgoing.send_due(now=local(0, 22))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (SmsStatus.HELD, 1)


# --- Delivery receipts -----------------------------------------------------------------


def _report(message, *, success=True):
    return json.dumps(
        [
            {
                "phone_number": message.phone,
                "send_time": "2026-12-07 10:00:00",
                "report_time": "2026-12-07 10:00:05",
                "success": success,
                "err_code": "DELIVERED" if success else "MK:0001",
                "err_msg": "",
                "sms_size": "1",
                "biz_id": message.provider_id,
                "out_id": "",
            }
        ]
    )


def test_receipts_update_the_row_on_a_signed_address_only(fake_aliyun, deferred, client):
    [delivered] = queue(texted(), key="r1")
    [lost] = queue(texted(), key="r2")
    outgoing.send_due(now=DAY)
    delivered.refresh_from_db()
    lost.refresh_from_db()
    url = reverse("sms_receipts", args=["aliyun", "receipt-secret"])
    post = lambda url, body: client.post(url, body, content_type="application/json")  # noqa: E731
    forged = reverse("sms_receipts", args=["aliyun", "guessed"])
    assert post(forged, _report(delivered)).status_code == 403
    assert (
        post(reverse("sms_receipts", args=["tencent", "receipt-secret"]), "[]").status_code == 403
    )
    assert post(url, "not json").status_code == 400
    delivered.refresh_from_db()
    assert delivered.status == SmsStatus.SENT
    response = post(url, _report(delivered))
    assert response.status_code == 200 and response.json() == {"code": 0, "msg": "成功"}
    assert post(url, _report(lost, success=False)).status_code == 200
    unknown = SmsMessage(phone="13900000009", provider_id="999999^0")
    assert post(url, _report(unknown)).status_code == 200  # ignored, not an error
    delivered.refresh_from_db()
    lost.refresh_from_db()
    assert delivered.status == SmsStatus.DELIVERED and delivered.reported_at
    assert (lost.status, lost.error_code) == (SmsStatus.UNDELIVERED, "MK:0001")
    assert client.get(url).status_code == 405


def test_the_receipts_token_never_reaches_the_log(fake_aliyun, client, caplog):
    """Django logs a 4xx with its path, and this path holds the secret token."""
    url = reverse("sms_receipts", args=["aliyun", "receipt-secret"])
    with caplog.at_level(logging.DEBUG):
        assert client.post(url, "not json", content_type="application/json").status_code == 400
        forged = reverse("sms_receipts", args=["aliyun", "guessed"])
        assert client.post(forged, "[]", content_type="application/json").status_code == 403
    assert "receipt-secret" not in caplog.text
    assert "could not be read" in caplog.text


def test_an_empty_receipt_token_refuses_everything(settings, client):
    settings.GONGZHI_SMS = {**CONSOLE, "RECEIPT_TOKEN": ""}
    url = reverse("sms_receipts", args=["console", "x"])
    assert client.post(url, "[]", content_type="application/json").status_code == 403


# --- Staff pages -----------------------------------------------------------------------


def _undelivered(user, town_id):
    return SmsMessage.objects.create(
        user=user,
        phone=user.phone,
        town_id=town_id,
        kind="events.reminder",
        event_key=f"u{user.pk}",
        template="events.reminder",
        status=SmsStatus.UNDELIVERED,
        provider="console",
        provider_id=f"console-{user.pk}",
        cost_units=1,
        sent_at=timezone.now(),
    )


def test_the_ledger_masks_numbers_and_keeps_to_the_viewers_scope(
    client_for, people, town, other_town, area_a, area_b
):
    mine = _undelivered(UserFactory(display_name="甲居民", residential_area=area_a), town.pk)
    theirs = _undelivered(UserFactory(display_name="乙居民", residential_area=area_b), town.pk)
    elsewhere = _undelivered(UserFactory(display_name="丙居民"), other_town.pk)
    seen = {
        "area_staff": {mine},
        "secretariat": {mine, theirs},
        "other_secretariat": {elsewhere},
        "administrator": {mine, theirs, elsewhere},
    }
    for role, expected in seen.items():
        client = client_for(role)
        response = client.get(reverse("sms_ledger") + "?show=problems")
        assert response.status_code == 200, role
        text = response.content.decode()
        for message in (mine, theirs, elsewhere):
            assert (message.user.display_name in text) == (message in expected), (role, message)
            assert message.phone not in text
        for message in expected:
            assert message.masked_phone in text
        todo = client.get(reverse("todo")).content.decode()
        for message in (mine, theirs, elsewhere):
            assert (message.user.display_name in todo) == (message in expected), (role, message)
    for role in ("resident", "partner"):
        assert client_for(role).get(reverse("sms_ledger")).status_code == 403
    assert client_for("anonymous").get(reverse("sms_ledger")).status_code == 302
    assert client_for("secretariat").post(reverse("sms_ledger")).status_code == 405


def test_the_demo_outbox_is_the_administrators_with_the_console_backend(client_for, settings):
    outgoing.send_code(phone="13900000007", code="246810", now=DAY)
    for role in ("resident", "partner", "area_staff", "secretariat", "other_secretariat"):
        assert client_for(role).get(reverse("sms_outbox")).status_code == 403
    assert client_for("anonymous").get(reverse("sms_outbox")).status_code == 302
    admin = client_for("administrator")
    assert "246810" in admin.get(reverse("sms_outbox")).content.decode()
    assert admin.post(reverse("sms_outbox")).status_code == 405
    with FakeAliyun() as fake:
        settings.GONGZHI_SMS = fake.options()
        assert admin.get(reverse("sms_outbox")).status_code == 404


def test_a_deleted_account_leaves_no_number_and_gets_nothing(deferred):
    from gongzhi.accounts.services import delete_account

    user = texted()
    user.set_password("pw-for-test-1")
    user.save()
    [message] = queue(user, now=local(0, 22))
    delete_account(user=user, password="pw-for-test-1")
    message.refresh_from_db()
    assert message.phone == ""
    outgoing.send_due(now=local(1, 8))
    message.refresh_from_db()
    assert message.status == SmsStatus.CANCELLED
    assert not SmsOutbox.objects.exists()


def test_a_meeting_invitation_is_texted_to_an_invited_resident(
    people, town, area_a, django_capture_on_commit_callbacks, deferred
):
    from gongzhi.meetings import services
    from gongzhi.meetings.tests.builders import make_meeting

    resident = texted(people["resident"])
    soon = timezone.now() + timedelta(days=2)
    meeting = make_meeting(
        town=town,
        area=area_a,
        actor=people["secretariat"],
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(meeting=meeting, actor=people["secretariat"], name="李居民", user=resident)
    message = SmsMessage.objects.get(user=resident)
    assert message.kind == "meetings.invited" and message.params["title"] == meeting.title[:20]
