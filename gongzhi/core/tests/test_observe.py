"""Seeing it run: request ids in the logs, the response and the error pages; the
operator's Prometheus endpoint behind its token; errors sent to a Sentry-compatible
service (a fake ingestion endpoint on 127.0.0.1) with the request id and no phone."""

import io
import logging
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import include, path
from django_tasks import task

from config.urls import handler403, handler404, handler500  # noqa: F401 - this urlconf's too
from gongzhi.core.fake_sentry import FakeSentry
from gongzhi.core.sms.outgoing import send_code

logger = logging.getLogger("gongzhi.tests.observe")
PHONE, OTHER_PHONE = "13812345678", "13987654321"


def _chatty(request):
    from django.http import HttpResponse

    logger.info("working on it")
    logger.warning("still working")
    return HttpResponse("done")


def _broken(request):
    raise RuntimeError(f"could not notify {PHONE}")


urlpatterns = [
    path("chatty/", _chatty),
    path("broken/", _broken),
    path("", include("config.urls")),
]


@task()
def _counted_task():
    return 1


@pytest.fixture
def log_lines():
    """The lines the deployment's own handler (LOGGING's "stdout", with its request-id
    filter and format) writes while the test runs."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "stdout"]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        yield lambda: [line for line in stream.getvalue().splitlines() if line.strip()]
    finally:
        handler.setStream(old)


# --- request ids -----------------------------------------------------------------


def test_every_log_line_of_a_request_carries_its_id(settings, log_lines):
    settings.ROOT_URLCONF = __name__
    response = Client().get("/chatty/")
    request_id = response["X-Request-ID"]
    assert uuid.UUID(request_id)
    lines = log_lines()
    assert any("working on it" in line for line in lines)
    assert all(f"[{request_id}]" in line for line in lines), lines
    # Outside a request, a dash.
    logger.warning("between requests")
    assert log_lines()[-1].split(" ")[3] == "[-]"


def test_a_sane_incoming_id_is_kept_and_anything_else_replaced(db):
    given = str(uuid.uuid4())
    assert Client().get("/livez", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    for bad in ("<script>alert(1)</script>", "a" * 300, "12345"):
        made = Client().get("/livez", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert made != bad and uuid.UUID(made)
    one, two = (Client().get("/livez")["X-Request-ID"] for _ in range(2))
    assert one != two


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_error_page_shows_the_request_id(settings, language):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    for url, status in (("/no-such-page/", 404), ("/broken/", 500)):
        response = client.get(url)
        assert response.status_code == status
        request_id = response["X-Request-ID"]
        page = response.content.decode()
        assert request_id in page
        if language == "en":
            assert f"Please give the staff this number: {request_id}" in page


# --- metrics ---------------------------------------------------------------------


def test_without_a_token_there_is_no_metrics_endpoint(client, settings):
    settings.GONGZHI_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_metrics_need_the_operators_token(client_for, settings):
    settings.GONGZHI_METRICS_TOKEN = "operator-token-0123456789"
    for client in (Client(), client_for("administrator")):
        response = client.get("/metrics")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert b"django_http" not in response.content
        response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer operator-token-wrong")
        assert response.status_code == 403 and b"django_http" not in response.content
        response = client.get("/metrics", HTTP_AUTHORIZATION="Basic operator-token-0123456789")
        assert response.status_code == 401


def _scrape(settings) -> str:
    settings.GONGZHI_METRICS_TOKEN = "operator-token-0123456789"
    response = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer operator-token-0123456789")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def _value(text: str, prefix: str) -> float:
    return sum(float(line.split(" ")[-1]) for line in text.splitlines() if line.startswith(prefix))


def _series(name, **labels) -> str:
    """A series' line prefix as the Prometheus text format writes it (labels sorted)."""
    inside = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    return f"{name}{{{inside}}} "


@pytest.mark.django_db
def test_metrics_count_requests_latency_tasks_and_sms(settings):
    settings.ROOT_URLCONF = __name__
    task = f"{__name__}._counted_task"
    counted = {
        "responses": _series(
            "django_http_responses_total_by_status_view_method_total",
            method="GET", status="200", view="livez",
        ),
        "latency": _series(
            "django_http_requests_latency_seconds_by_view_method_count",
            method="GET", view="livez",
        ),
        "enqueued": _series("gongzhi_tasks_enqueued_total", task=task),
        "finished": _series("gongzhi_tasks_finished_total", task=task, status="SUCCESSFUL"),
        "sms": _series("gongzhi_sms_sent_total", kind="code", provider="console"),
    }  # fmt: skip
    before = _scrape(settings)
    Client().get("/livez")
    Client().get("/livez")
    _counted_task.enqueue()
    assert send_code(phone=PHONE, code="123456").status == "sent"
    after = _scrape(settings)
    grown = {key: _value(after, line) - _value(before, line) for key, line in counted.items()}
    assert grown == {"responses": 2, "latency": 2, "enqueued": 1, "finished": 1, "sms": 1}
    assert "django_http_requests_latency_seconds_by_view_method_bucket{" in after


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_metrics_show_the_task_queue_and_its_oldest_wait(settings):
    """With the database task backend and no worker, queued tasks show as the queue's
    depth; the immediate backend has no queue, so no series."""
    assert "gongzhi_tasks_queued{" not in _scrape(settings)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _ in range(3):
        _counted_task.enqueue()
    text = _scrape(settings)
    assert _value(text, _series("gongzhi_tasks_queued", queue="default")) == 3
    assert _value(text, _series("gongzhi_tasks_oldest_queued_seconds", queue="default")) >= 0
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    assert "gongzhi_tasks_queued{" not in _scrape(settings)


# --- Sentry ----------------------------------------------------------------------


@pytest.fixture
def fake_sentry():
    import sentry_sdk

    with FakeSentry() as server:
        try:
            yield server
        finally:
            sentry_sdk.get_client().close(timeout=2)
            sentry_sdk.init()  # no DSN: nothing is sent any more


@pytest.mark.django_db
def test_an_error_reaches_sentry_with_the_request_id_and_no_phone(settings, fake_sentry):
    import sentry_sdk

    from gongzhi.core.observe import init_sentry

    settings.ROOT_URLCONF = __name__
    init_sentry(fake_sentry.dsn, environment="test")
    request_id = str(uuid.uuid4())
    response = Client(raise_request_exception=False).post(
        f"/broken/?phone={OTHER_PHONE}&q=call+{OTHER_PHONE}",
        {"phone": OTHER_PHONE, "note": f"my number is +86 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}"},
        HTTP_X_REQUEST_ID=request_id,
        HTTP_COOKIE="sessionid=secret-session",
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    assert fake_sentry.received.wait(5), "no envelope reached the fake Sentry"
    events = fake_sentry.events()
    errors = [e for e in events if e.get("exception")]
    assert errors, events
    for event in errors:
        assert event["tags"]["request_id"] == request_id
    (value,) = {e["exception"]["values"][-1]["value"] for e in errors}
    assert value == "could not notify [phone]"
    raw = b"".join(fake_sentry.envelopes)
    for secret in (PHONE, OTHER_PHONE, PHONE[3:7] + " " + PHONE[7:], b"secret-session"):
        secret = secret if isinstance(secret, bytes) else secret.encode()
        assert secret not in raw
    assert all("user" not in e or not e["user"].get("ip_address") for e in errors)
