"""待办 (core/todo.py): notifications sent by SMS that did not reach the person in
the last two weeks (not delivered, failed, or stopped by the budget), with the
person's name, so staff can reach them another way (a call, a visit)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..todo import todo_section
from .queries import not_received


def not_received_newest_first(todo):
    return not_received(todo).select_related("user").order_by("-created_at", "-pk")


@todo_section(
    "core.sms_not_received",
    90,
    gettext_lazy("Text messages that did not arrive"),
    not_received_newest_first,
)
def not_received_row(message):
    return {
        "url": reverse("sms_ledger") + "?show=problems",
        "title": _("%(person)s: %(kind)s")
        % {"person": message.user.display_name, "kind": message.kind_label},
        "detail": _("%(phone)s · %(status)s · %(date)s")
        % {
            "phone": message.masked_phone,
            "status": message.get_status_display(),
            "date": timezone.localdate(message.created_at).isoformat(),
        },
    }
