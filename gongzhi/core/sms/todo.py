"""待办 (core/todo.py): notifications sent by SMS that did not reach the person in
the last two weeks (not delivered, failed, or stopped by the budget), with the
person's name, so staff can reach them another way (a call, a visit)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..todo import register_todo
from .queries import not_received


def not_received_rows(todo, limit):
    url = reverse("sms_ledger") + "?show=problems"
    rows = []
    for message in not_received(todo).select_related("user").order_by("-created_at", "-pk")[:limit]:
        rows.append(
            {
                "url": url,
                "title": _("%(person)s: %(kind)s")
                % {"person": message.user.display_name, "kind": message.kind_label},
                "detail": _("%(phone)s · %(status)s · %(date)s")
                % {
                    "phone": message.masked_phone,
                    "status": message.get_status_display(),
                    "date": timezone.localdate(message.created_at).isoformat(),
                },
            }
        )
    return rows


register_todo(
    key="core.sms_not_received",
    order=90,
    title=gettext_lazy("Text messages that did not arrive"),
    count=not_received,
    rows=not_received_rows,
)
