"""Faults survived (issue 19, point 3), each caused for real:

- an upload the storage cannot take (a media or private root under a regular file,
  or on a tiny full tmpfs where this machine lets the test mount one): the person gets
  the form page with a clear message, never a 500, and no row is left;
- the task worker away, or the task backend unreachable when a task is queued: the
  task is kept and runs when the worker returns (the database backend of
  django-tasks, as in production); an SMS whose task was never queued is sent by the
  cron job;
- a gunicorn worker killed (SIGKILL) in the middle of a multi-row write (a survey
  answer: the response row written, its answers held back by a table lock the test
  takes): none of it is stored, and the master's new worker serves the next answer
  (PostgreSQL only: SQLite takes its write lock before the first row).
"""

import http.client
import importlib.util
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks.backends.base import BaseTaskBackend
from PIL import Image

from gongzhi.accounts.services import give_consent
from gongzhi.core.models import Notification, SmsMessage, SmsOutbox, SmsStatus
from gongzhi.core.sms import outgoing
from gongzhi.core.storage import UploadNotStored
from gongzhi.core.testing import assert_nothing_written, response_text
from gongzhi.events import services as event_services
from gongzhi.events.models import ActivityPhoto, Registration
from gongzhi.proposals.models import Proposal
from gongzhi.proposals.services import settings_for
from gongzhi.surveys.models import Answer, Response
from gongzhi.surveys.tests.builders import answers_for, build_survey
from gongzhi.tests.factories import ActivityFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def not_stored(language: str) -> str:
    """The message a person reading ``language`` is shown."""
    with translation.override(language):
        return UploadNotStored().message


def png(name="photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 60)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


# --- An upload that cannot be stored -----------------------------------------------------


def _full_tmpfs(folder: Path) -> bool:
    """Mount a 64 KiB tmpfs on ``folder`` and fill it: False where this machine does
    not let the test mount one (not root, no CAP_SYS_ADMIN, no mount)."""
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        return False
    done = subprocess.run(  # noqa: S603
        [mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return False
    try:
        with open(folder / "filler", "wb") as filler:
            while True:
                filler.write(b"\0" * 4096)
                filler.flush()
    except OSError:
        pass  # full, as wanted
    return True


@pytest.fixture(params=["under_a_file", "disk_full"])
def storage_fault(request, settings, tmp_path):
    """The media and private roots where no file can be stored. "under_a_file": the
    root's parent is a regular file, so creating its folders fails (for root too,
    which ignores permissions). "disk_full": a tiny tmpfs, full (ENOSPC)."""
    if request.param == "under_a_file":
        blocker = tmp_path / "not-a-folder"
        blocker.write_bytes(b"")
        root = blocker / "files"
        mounted = None
    else:
        root = mounted = tmp_path / "full"
        root.mkdir()
        if not _full_tmpfs(root):
            pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    settings.MEDIA_ROOT = root / "media"
    settings.PRIVATE_ROOT = root / "private"
    if mounted is not None:
        (root / "media").mkdir()
        (root / "private").mkdir()
    yield request.param
    if mounted is not None:
        subprocess.run(["umount", "-l", str(mounted)], check=False)  # noqa: S603, S607


def _proposal(client, town, area, _target=None):
    return client.post(
        reverse("proposals:submit", args=[town.slug]),
        {
            "title": "给小区加装充电桩",
            "description": "电动车在楼道充电不安全。",
            "area": area.pk,
            "category": "safety",
            "photos": [png()],
        },
    )


def _activity_photo(client, town, area, activity):
    return client.post(
        reverse("events:add_photo", args=[town.slug, activity.pk]),
        {
            "content": "居民在花园种植",
            "taken_at": "2026-11-20T10:00",
            "place": "中心花园",
            "people": "居民和合伙人",
            "photographer": "陈社工",
            "image": png(),
        },
    )


def _paper_sign_up(client, town, area, activity):
    return client.post(
        reverse("paper:record_registration", args=[town.slug, activity.pk]),
        {
            "name": "王秀英（12号楼）",
            "phone": "",
            "reference": "YJ-2026-012",
            "consent": "on",
            "area": area.pk,
            "photo": png("paper.png"),
        },
    )


def _proposal_settings(town, area):
    settings_for(town)  # made on first use: not the refused action's write


def _activity(town, area):
    return ActivityFactory(area=area)


# (who, what exists before, the upload, the rows it would have made)
UPLOADS = {
    "proposal photo": ("resident", _proposal_settings, _proposal, Proposal),
    "activity photo": ("area_staff", _activity, _activity_photo, ActivityPhoto),
    "paper form photo": ("area_staff", _activity, _paper_sign_up, Registration),
}


@pytest.mark.parametrize("upload", list(UPLOADS))
def test_an_upload_that_cannot_be_stored_is_a_clear_message_and_stores_nothing(
    upload, storage_fault, client_for, town, area_a, caplog
):
    role, prepare, send, model = UPLOADS[upload]
    client = client_for(role)
    target = prepare(town, area_a)
    with assert_nothing_written():
        response = send(client, town, area_a, target)
    assert not model.objects.exists()
    assert response.status_code == 400
    assert not_stored("zh-hans") in response_text(response)
    assert "upload" in caplog.text and "not stored" in caplog.text


def test_the_message_is_in_english_for_an_english_reader(storage_fault, client_for, town, area_a):
    client = client_for("resident")
    client.cookies["django_language"] = "en"
    _proposal_settings(town, area_a)
    response = _proposal(client, town, area_a)
    assert response.status_code == 400
    assert "The file could not be saved" in not_stored("en")
    assert not_stored("en") in response_text(response)
    assert not Proposal.objects.exists()


# --- The task worker away, the task backend unreachable ------------------------------------

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class UnreachableBackend(BaseTaskBackend):
    """A task backend that cannot be reached: every enqueue fails."""

    supports_defer = True

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("task backend unreachable")


def test_a_task_queued_while_no_worker_runs_is_kept_and_runs_when_one_returns(
    transactional_db, settings, area_a, people
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    resident = people["resident"]
    activity = ActivityFactory(area=area_a)  # tomorrow morning
    registration = event_services.register(activity=activity, user=resident)
    # Cron queues tomorrow's reminders; no worker runs.
    call_command("send_reminders", stdout=io.StringIO())
    queued = DBTaskResult.objects.get(task_path="gongzhi.events.tasks.send_reminders")
    assert queued.status == "READY"
    registration.refresh_from_db()
    assert registration.reminded_at is None
    assert not Notification.objects.filter(user=resident, kind="events.reminder").exists()

    # The worker returns: it finds the task and runs it, once.
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == 1
    registration.refresh_from_db()
    assert registration.reminded_at is not None
    assert Notification.objects.filter(user=resident, kind="events.reminder").count() == 1


def test_an_sms_whose_task_could_not_be_queued_is_sent_by_the_cron_job(
    db, settings, django_capture_on_commit_callbacks, caplog
):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.UnreachableBackend"}}
    resident = UserFactory()
    give_consent(user=resident, kind="sms_notifications")
    day = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), datetime.min.time())
    ).replace(hour=10)  # tomorrow 10:00, outside the quiet hours
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = outgoing.queue_notification_sms(
            users=[resident],
            kind="events.reminder",
            params={"title": "社区花园共建日", "time": "09:30", "venue": "活动室"},
            event_key="faults",
            now=day,
        )
    # The enqueue failed, the message stays in the ledger, waiting.
    assert "task backend unreachable" in caplog.text
    message.refresh_from_db()
    assert message.status == SmsStatus.QUEUED and not SmsOutbox.objects.exists()

    # The backend is back; the cron job (send_due_sms) finds the message and sends it.
    settings.TASKS = DATABASE_TASKS
    assert outgoing.send_due(now=day + timedelta(minutes=1)) == 1
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert SmsOutbox.objects.get().phone == resident.phone
    assert SmsMessage.objects.count() == 1


# --- A gunicorn worker killed in the middle of a write ------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{db['NAME']}"


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _wait(condition, what: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Server:
    """gunicorn as production runs it (DEBUG off), on 127.0.0.1, one sync worker."""

    def __init__(self, tmp_path: Path):
        self.port = _free_port()
        self.log = tmp_path / "gunicorn.log"
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "GONGZHI_VAR_DIR": str(tmp_path / "var"),
            "GONGZHI_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "GONGZHI_LOG_LEVEL": "WARNING",
        }
        env.pop("REDIS_URL", None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--no-control-socket",
                    "--timeout",
                    "60",
                ],  # fmt: skip
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait(self._healthy, "gunicorn to answer /healthz")

    def _healthy(self) -> bool:
        assert self.process.poll() is None, f"gunicorn exited:\n{self.log.read_text()[-3000:]}"
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        conn = self.connect()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            answer = conn.getresponse()
            return answer.status, answer.getheader("Set-Cookie") or "", answer.read().decode()
        finally:
            conn.close()

    def workers(self) -> set[int]:
        return _children(self.process.pid)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _answer_form(server: Server, survey) -> tuple[str, dict]:
    """What a resident's phone sends to answer ``survey``: the POST body and headers
    (the CSRF cookie and token from the survey page)."""
    status, cookies, page = server.request("GET", survey.get_absolute_url())
    assert status == 200, page[-2000:]
    cookie = re.search(r"csrftoken=([^;]+)", cookies).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    fields = [("csrfmiddlewaretoken", token)]
    for pk, value in answers_for(survey).items():
        for item in value if isinstance(value, list) else [value]:
            fields.append((f"q{pk}", str(item)))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
    }
    return urlencode(fields), headers


@pytest.fixture
def server(transactional_db, tmp_path):
    if importlib.util.find_spec("gunicorn") is None:
        pytest.skip("gunicorn is not installed")
    running = Server(tmp_path)
    yield running
    running.stop()


@pytest.mark.usefixtures("postgresql_only")
def test_a_worker_killed_in_the_middle_of_a_write_leaves_none_of_it(server, town, area_a, people):
    import psycopg

    survey = build_survey(town=town, area=area_a, actor=people["area_staff"], allows_anonymous=True)
    body, headers = _answer_form(server, survey)
    db = connection.settings_dict
    holder = psycopg.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER"),
        password=db.get("PASSWORD") or None,
        dbname=db["NAME"],
    )
    try:
        # Inserting answers waits on this lock; reading does not.
        holder.execute(f'LOCK TABLE "{Answer._meta.db_table}" IN EXCLUSIVE MODE')
        holder_pid = holder.info.backend_pid
        request = server.connect()
        request.request("POST", survey.get_absolute_url(), body=body, headers=headers)

        def stuck_writer():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                    [holder_pid],
                )
                row = cursor.fetchone()
            return row and row[0]

        writer = _wait(stuck_writer, "the answer to wait for the held table")
        with connection.cursor() as cursor:
            # Mid-transaction: the response row is written, its answers are not yet.
            cursor.execute(
                "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.pid = %s AND l.mode = 'RowExclusiveLock' AND l.granted",
                [writer],
            )
            assert Response._meta.db_table in {name for (name,) in cursor.fetchall()}
        (worker,) = server.workers()
        os.kill(worker, signal.SIGKILL)
        with pytest.raises((http.client.HTTPException, OSError)):
            request.getresponse()
        request.close()
    finally:
        holder.rollback()
        holder.close()

    def writer_gone():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [writer])
            return cursor.fetchone()[0] == 0

    _wait(writer_gone, "PostgreSQL to end the killed worker's session")
    assert not Response.objects.filter(survey=survey).exists()
    assert not Answer.objects.filter(question__survey=survey).exists()

    # The master started a new worker, which takes the next answer whole.
    new_worker = _wait(lambda: server.workers() - {worker}, "a new worker")
    assert worker not in new_worker
    body, headers = _answer_form(server, survey)
    status, _cookies, page = server.request("POST", survey.get_absolute_url(), body, headers)
    assert status == 302, page[-2000:]
    response = Response.objects.get(survey=survey)
    assert response.answers.count() == survey.questions.count()
