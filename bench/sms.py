"""The Django side of the SMS measurements of bench/run.py ("sms reminders", "code
burst"): run in a process of its own with the server's environment, it does one thing
and prints one line of JSON.

    .venv/bin/python bench/sms.py counts        # reminders due, SMS rows, task rows, outbox
    .venv/bin/python bench/sms.py remind        # the day-before reminders, timed
    .venv/bin/python bench/sms.py send --seconds 20
    .venv/bin/python bench/sms.py codes --since 2026-12-07T07:00:00+00:00
    .venv/bin/python bench/sms.py limits        # the code rate limit and the cache

``remind`` runs what the worker runs for the ``send_reminders`` task (``manage.py
send_reminders`` only enqueues that task when the task backend is the database one):
it claims the registrations and queues a notification, an SMS row and a
``deliver_sms`` task per person. Run it with GONGZHI_TASKS_BACKEND set to the
database backend, so that those tasks are enqueued and not run (no worker runs here).
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongzhi.core.models import Notification, SmsMessage, SmsOutbox, SmsStatus  # noqa: E402
from gongzhi.events.models import Registration, RegistrationStatus  # noqa: E402
from gongzhi.events.tasks import remind_tomorrow, tomorrow_window  # noqa: E402

REMINDER = "events.reminder"
DELIVER_TASK = "gongzhi.core.sms.outgoing.deliver_sms"


def backend() -> str:
    return settings.TASKS["default"]["BACKEND"]


def task_rows() -> int | None:
    """The deliver_sms tasks in the database queue (None without that backend's app)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the app is installed
        return None
    return DBTaskResult.objects.filter(task_path=DELIVER_TASK).count()


def counts() -> dict:
    start, end = tomorrow_window()
    tomorrow = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        activity__starts_at__gte=start,
        activity__starts_at__lt=end,
    )
    statuses = dict(
        SmsMessage.objects.filter(kind=REMINDER)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "registrations_tomorrow": tomorrow.count(),
        "reminders_due": tomorrow.filter(reminded_at__isnull=True).count(),
        "notifications": Notification.objects.filter(kind=REMINDER).count(),
        "sms_rows": sum(statuses.values()),
        "sms_statuses": statuses,
        "task_rows": task_rows(),
        "outbox": SmsOutbox.objects.count(),
        "tasks_backend": backend(),
    }


def remind() -> dict:
    started = time.perf_counter()
    reminded = remind_tomorrow()
    return {
        "reminded": reminded,
        "seconds": round(time.perf_counter() - started, 3),
        "tasks_backend": backend(),
    }


def send(seconds: float) -> dict:
    """``send_due`` (what ``manage.py send_due_sms`` runs, DUE_BATCH messages at a time)
    over and over until nothing is due or ``seconds`` have passed."""
    from gongzhi.core.sms.outgoing import quiet_until, send_due

    now = timezone.now()
    # In the quiet hours (21:00-08:00) every reminder is held until 08:00: send them
    # as at 08:00, when they become due.
    at = quiet_until(now)
    sent_before = SmsMessage.objects.filter(kind=REMINDER, status=SmsStatus.SENT).count()
    started = time.perf_counter()
    tried = 0
    stopped = False
    while True:
        if time.perf_counter() - started >= seconds:
            stopped = True
            break
        batch = send_due(now=at + (timezone.now() - now) if at else None)
        tried += batch
        if not batch:
            break
    elapsed = time.perf_counter() - started
    sent = SmsMessage.objects.filter(kind=REMINDER, status=SmsStatus.SENT).count() - sent_before
    left = SmsMessage.objects.filter(kind=REMINDER, status__in=[SmsStatus.QUEUED, SmsStatus.HELD])
    return {
        "tried": tried,
        "sent": sent,
        "seconds": round(elapsed, 3),
        "stopped_at_limit": stopped,
        "left": left.count(),
        "as_of": (at or now).isoformat(),
        "statuses": dict(
            SmsMessage.objects.filter(kind=REMINDER)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    }


def codes(since: datetime.datetime) -> dict:
    """The codes sent since ``since``: outbox rows (what reached a phone) per number."""
    per_phone = dict(
        SmsOutbox.objects.filter(created_at__gte=since, template="code")
        .values_list("phone")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "outbox_rows": sum(per_phone.values()),
        "phones": len(per_phone),
        "max_per_phone": max(per_phone.values(), default=0),
        "phones_over_one": sorted(p for p, n in per_phone.items() if n > 1),
        "sms_rows": SmsMessage.objects.filter(kind="code", created_at__gte=since).count(),
    }


def limits() -> dict:
    cache = settings.CACHES["default"]["BACKEND"]
    return {
        "request_login_code": settings.ACCOUNT_RATE_LIMITS.get("request_login_code", ""),
        "cache": cache,
        "shared": "locmem" not in cache.lower(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("counts")
    sub.add_parser("remind")
    send_parser = sub.add_parser("send")
    send_parser.add_argument("--seconds", type=float, default=20.0)
    codes_parser = sub.add_parser("codes")
    codes_parser.add_argument("--since", type=datetime.datetime.fromisoformat, required=True)
    sub.add_parser("limits")
    args = parser.parse_args()
    if args.command == "counts":
        result = counts()
    elif args.command == "remind":
        result = remind()
    elif args.command == "send":
        result = send(args.seconds)
    elif args.command == "codes":
        result = codes(args.since)
    else:
        result = limits()
    print("SMS-JSON " + json.dumps(result, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
