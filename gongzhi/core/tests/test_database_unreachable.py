"""The database unreachable, caused for real: gunicorn serves the app with DEBUG off
and a database that is not there (a PostgreSQL port where nothing listens, as after
the server stopped; an SQLite file in a missing folder). Every page must answer the
503 page in the person's language with a retry hint, Retry-After and the request id;
/healthz says so; /livez still answers; the API answers in JSON; never a 500 or a
traceback. The run on PostgreSQL tries PostgreSQL's fault, the run on SQLite SQLite's."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(base, path, headers=None):
    request = urllib.request.Request(base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - 127.0.0.1
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


# The suite runs once on each (scripts/test.sh): each run tries its own database's fault.
SUITE_VENDOR = (
    "sqlite" if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else "postgresql"
)


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(vendor, marks=pytest.mark.skipif(
            vendor != SUITE_VENDOR, reason=f"the suite's run on {vendor} tries this one"
        ))
        for vendor in ("postgresql", "sqlite")
    ],
)  # fmt: skip
def unreachable(request, tmp_path_factory):
    """(base URL, server log path) of gunicorn whose database cannot be reached."""
    scratch = tmp_path_factory.mktemp("unreachable")
    if request.param == "postgresql":
        # Nothing listens on this port: what a stopped PostgreSQL looks like.
        database_url = f"postgres://postgres@127.0.0.1:{_free_port()}/gongzhi"
    else:
        database_url = f"sqlite:///{scratch / 'missing-folder' / 'gongzhi.sqlite3'}"
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "GONGZHI_VAR_DIR": str(scratch / "var"),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "GONGZHI_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "GONGZHI_SENTRY_DSN": "",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_path = scratch / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [str(GUNICORN), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, log_path.read_text()
            try:
                if _get(base, "/livez")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        yield base, log_path
    finally:
        # Its own process group: the arbiter and its worker go at once.
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=20)


PAGES = ["/", "/floor/", "/towns/no-such-town/", "/accounts/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_503_in_chinese_with_a_retry_hint(unreachable, path):
    base, log_path = unreachable
    request_id = str(uuid.uuid4())
    # A returning visitor: the session cookie makes even a page without queries
    # (the benchmark floor) read the database for the signed-in person.
    status, headers, body = _get(
        base, path, {"X-Request-ID": request_id, "Cookie": "sessionid=abcdefghijklmnop"}
    )
    assert status == 503, body[:2000]
    assert headers["Retry-After"] == "30"
    assert headers["X-Request-ID"] == request_id
    assert "系统暂时无法连接数据库，请稍后再试" in body
    assert f"请向工作人员提供此编号：{request_id}" in body
    assert 'lang="zh-Hans"' in body
    assert "Traceback" not in body and "OperationalError" not in body
    # The server's own log: the error, under the request's id.
    log = log_path.read_text()
    assert f"[{request_id}] django.request Service Unavailable: {path}" in log


def test_in_english_when_the_browser_asks_for_it(unreachable):
    base, _ = unreachable
    status, headers, body = _get(base, "/", {"Accept-Language": "en"})
    assert status == 503
    assert "The system cannot reach its database at the moment" in body
    assert "Wait about 30 seconds, then try again." in body
    assert headers["Content-Language"] == "en"
    assert f"Please give the staff this number: {headers['X-Request-ID']}" in body


def test_the_api_answers_503_in_json(unreachable):
    base, _ = unreachable
    status, headers, body = _get(base, "/api/v1/towns/no-such-town/areas")
    assert status == 503, body[:2000]
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Retry-After"] == "30"
    assert "数据库" in json.loads(body)["detail"] and "Traceback" not in body


def test_health_reports_the_database_and_liveness_does_not_need_it(unreachable):
    base, _ = unreachable
    status, headers, body = _get(base, "/healthz")
    assert (status, body) == (503, "database unreachable")
    assert _get(base, "/livez")[::2] == (200, "ok")
