"""Metrics in the Prometheus format, for the operator only (README, "Seeing it run").

Requests by view and status and their latency come from django-prometheus's
middleware; this module adds what only Gongzhi knows: background tasks (django-tasks'
signals) and text messages handed to the SMS provider (core/sms/outgoing.py). The
endpoint exists only when GONGZHI_METRICS_TOKEN is set and answers only to
``Authorization: Bearer <that token>``: the figures tell how busy the town is and
which pages fail, which is not for the public.
"""

import hmac

from django.conf import settings
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django_prometheus.exports import ExportToDjangoView
from django_tasks.signals import task_enqueued, task_finished
from prometheus_client import REGISTRY, Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

TASKS_ENQUEUED = Counter("gongzhi_tasks_enqueued_total", "Background tasks enqueued.", ["task"])
TASKS_FINISHED = Counter(
    "gongzhi_tasks_finished_total",
    "Background tasks finished, by outcome (SUCCESSFUL, FAILED).",
    ["task", "status"],
)
SMS_SENT = Counter(
    "gongzhi_sms_sent_total", "Text messages the provider accepted.", ["provider", "kind"]
)
SMS_FAILED = Counter(
    "gongzhi_sms_failed_attempts_total",
    "Attempts to hand a text message to the provider that failed (retried or given up).",
    ["kind"],
)


class TaskQueue(Collector):
    """How many background tasks wait in the database backend's queue, by queue, and
    how long the oldest has waited: a worker that stopped shows as a queue that only
    grows. Counted at each scrape (one grouped query); with another backend (the
    immediate one runs tasks at once) there is no queue to count. A database that
    cannot be reached leaves the figures out, and the endpoint still answers."""

    def collect(self):
        from django.db import DatabaseError
        from django.db.models import Count, Min
        from django.utils import timezone

        if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
            return
        from django_tasks_db.models import DBTaskResult

        try:
            rows = list(
                DBTaskResult.objects.ready()
                .values("queue_name")
                .annotate(n=Count("id"), oldest=Min("enqueued_at"))
                .order_by("queue_name")
            )
        except DatabaseError:
            return
        depth = GaugeMetricFamily(
            "gongzhi_tasks_queued", "Background tasks waiting to run, by queue.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "gongzhi_tasks_oldest_queued_seconds",
            "How long the oldest waiting task has waited, by queue.",
            labels=["queue"],
        )
        now = timezone.now()
        for row in rows:
            depth.add_metric([row["queue_name"]], row["n"])
            age.add_metric([row["queue_name"]], (now - row["oldest"]).total_seconds())
        yield depth
        yield age


REGISTRY.register(TaskQueue())


@receiver(task_enqueued)
def _count_enqueued(sender, task_result, **kwargs):
    TASKS_ENQUEUED.labels(task=task_result.task.module_path).inc()


@receiver(task_finished)
def _count_finished(sender, task_result, **kwargs):
    TASKS_FINISHED.labels(task=task_result.task.module_path, status=str(task_result.status)).inc()


def metrics(request):
    """The Prometheus endpoint: 404 when no token is configured, 401 without a bearer
    token, 403 with a wrong one. Reads no database, so it answers during an outage."""
    token = settings.GONGZHI_METRICS_TOKEN
    if not token:
        raise Http404
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        response = HttpResponse("bearer token required", content_type="text/plain", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        return HttpResponse("wrong token", content_type="text/plain", status=403)
    response = ExportToDjangoView(request)
    response["Cache-Control"] = "no-store"
    return response
