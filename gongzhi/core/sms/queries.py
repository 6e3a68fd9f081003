"""Reads of the SMS ledger shared by its page and the 待办 section."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from ..models import SMS_NOT_RECEIVED, SmsBudget, SmsBudgetAlert, SmsMessage
from ..todo import TodoScope
from .outgoing import ACCOUNT_NOTICES, CODE, DEFAULT_MONTHLY_UNITS, month_of

# How far back the 待办 looks for messages that did not arrive.
NOT_RECEIVED_DAYS = 14


def ledger_for(todo_scope: TodoScope):
    """The messages a staff member may see: the administrator all, the secretariat
    those its towns paid for, area staff those to the people of their areas."""
    return todo_scope.narrow(
        SmsMessage.objects.all(), town_field="town_id", area_field="user__residential_area_id"
    )


def not_received(todo_scope: TodoScope, *, now=None):
    """Notifications of the last NOT_RECEIVED_DAYS that did not reach a person who
    still has an account: staff reach them another way."""
    now = now or timezone.now()
    return (
        ledger_for(todo_scope)
        .filter(
            status__in=SMS_NOT_RECEIVED,
            created_at__gte=now - timedelta(days=NOT_RECEIVED_DAYS),
            user__isnull=False,
        )
        .exclude(kind__in=(CODE, *ACCOUNT_NOTICES))
    )


def budgets(town_ids, *, now=None) -> dict[int, dict]:
    """For each town: this month's units used, its budget and the alerts sent.
    Three queries whatever the number of towns."""
    from django.conf import settings

    now = now or timezone.now()
    start, end = month_of(now)
    town_ids = sorted(set(town_ids))
    default = int(settings.GONGZHI_SMS.get("MONTHLY_UNITS", DEFAULT_MONTHLY_UNITS))
    set_budgets = dict(
        SmsBudget.objects.filter(town_id__in=town_ids).values_list("town_id", "monthly_units")
    )
    used = dict(
        SmsMessage.objects.filter(town_id__in=town_ids, sent_at__gte=start, sent_at__lt=end)
        .values("town_id")
        .annotate(units=Sum("cost_units"))
        .values_list("town_id", "units")
    )
    alerts: dict[int, int] = {}
    for town_id, level in SmsBudgetAlert.objects.filter(
        town_id__in=town_ids, month=timezone.localtime(start).date()
    ).values_list("town_id", "level"):
        alerts[town_id] = max(level, alerts.get(town_id, 0))
    found = {}
    for town_id in town_ids:
        budget = set_budgets.get(town_id, default)
        units = used.get(town_id) or 0
        found[town_id] = {
            "used": units,
            "budget": budget,
            "percent": round(units * 100 / budget) if budget else 100,
            "alert": alerts.get(town_id, 0),
        }
    return found
