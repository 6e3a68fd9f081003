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
from prometheus_client import Counter

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
