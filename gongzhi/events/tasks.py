"""Background work for activities: reminders the day before.

Run by the django-tasks worker (``manage.py db_worker`` in production; the immediate
backend in tests and the demo). ``manage.py send_reminders`` enqueues it; cron runs
that once a day.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks import task

from gongzhi.core.services import notify_each

from .models import ActivityStatus, Registration, RegistrationStatus

# Registrations claimed per transaction: bounds the locks held and the memory used.
BATCH = 500


def tomorrow_window(now=None) -> tuple[datetime, datetime]:
    """Start and end of tomorrow in the deployment's time zone (Asia/Shanghai)."""
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    return start, timezone.make_aware(datetime.combine(today + timedelta(days=2), time.min))


def remind_tomorrow(*, now=None) -> int:
    """Tell everyone signed up (not waiting) for a published activity that starts
    tomorrow, once. Returns how many were reminded.

    Each registration is claimed by setting ``reminded_at`` in the transaction that
    queues its notification, so running this twice, or twice at the same moment,
    reminds nobody twice: a second runner skips rows the first has locked
    (PostgreSQL) or waits for its write lock (SQLite), then finds them claimed.
    """
    now = now or timezone.now()
    start, end = tomorrow_window(now)
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at__isnull=True,
        activity__status=ActivityStatus.PUBLISHED,
        activity__starts_at__gte=start,
        activity__starts_at__lt=end,
    )
    reminded = 0
    # Notifications are written out in the reader's language when read; their
    # stored fallback text is in the site's language, not the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            with transaction.atomic():
                batch = list(
                    due.select_for_update(skip_locked=True, of=("self",))
                    .select_related("activity__town", "user")
                    .order_by("pk")[:BATCH]
                )
                if not batch:
                    break
                # The claim: only rows still unclaimed are taken (and counted).
                claimed = Registration.objects.filter(
                    pk__in=[r.pk for r in batch], reminded_at__isnull=True
                ).update(reminded_at=now)
                if claimed != len(batch):  # pragma: no cover - a racing runner on SQLite
                    raise RuntimeError("another runner claimed these reminders; rolled back")
                notify_each(
                    kind="events.reminder",
                    notes=[
                        (
                            r.user,
                            {
                                "title": r.activity.title,
                                "time": date_format(
                                    timezone.localtime(r.activity.starts_at), "H:i"
                                ),
                                "venue": r.activity.venue,
                            },
                            r.activity.get_absolute_url(),
                            # One SMS per registration even if it is ever reminded again.
                            f"events.reminder:{r.pk}",
                            r.activity.town_id,
                        )
                        for r in batch
                    ],
                )
                reminded += len(batch)
    return reminded


@task()
def send_reminders() -> int:
    """The day-before reminders (see remind_tomorrow)."""
    return remind_tomorrow()
