"""The SMS pages: a person's choices (on 我的), the staff's ledger, the providers'
delivery receipts and the demo outbox."""

import hmac
import logging

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .access import check_perm
from .errors import DomainError
from .models import SMS_NOT_RECEIVED, SmsOutbox
from .scope import user_scope
from .sms import get_backend
from .sms.outgoing import record_receipts
from .sms.preferences import set_sms_choices
from .sms.queries import budgets, ledger_for
from .todo import TodoScope
from .views import error_page

logger = logging.getLogger("gongzhi.sms")

LEDGER_ROWS = 200
OUTBOX_ROWS = 100

# What each provider expects in answer to a delivery report it posted; anything
# else makes it post the report again.
RECEIPT_ANSWERS = {
    "aliyun": {"code": 0, "msg": "成功"},
    "tencent": {"result": 0, "errmsg": "OK"},
}


@login_required
@require_POST
def sms_choices(request):
    """Save which notifications the person takes by SMS (the checkboxes on 我的)."""
    try:
        chosen = set_sms_choices(user=request.user, kinds=request.POST.getlist("kind"))
    except DomainError as error:
        return error_page(request, 400, _("Bad request"), error.message)
    if chosen:
        messages.success(request, _("Saved: you will get these notifications by text message."))
    else:
        messages.success(
            request, _("Saved: you will get no notifications by text message (codes still come).")
        )
    return redirect(reverse("me") + "#sms")


@require_GET
def sms_ledger(request):
    """Every text message of the viewer's scope, newest first, with this month's
    units used against each town's budget (the secretariat's and the administrator's)."""
    check_perm(request, "core.view_sms_ledger")
    scope = user_scope(request.user)
    show = request.GET.get("show", "")
    rows = ledger_for(TodoScope(request.user, scope)).select_related("user")
    if show == "problems":
        rows = rows.filter(status__in=SMS_NOT_RECEIVED)
    rows = list(rows.order_by("-created_at", "-pk")[:LEDGER_ROWS])
    if scope.is_administrator:
        town_ids = list(apps.get_model("places", "Town").objects.values_list("pk", flat=True))
    else:
        town_ids = sorted(scope.secretariat_towns)
    # Core cannot import places (DESIGN.md): the towns' names are read by model label.
    names = dict(
        apps.get_model("places", "Town").objects.filter(pk__in=town_ids).values_list("pk", "name")
    )
    figures = [
        {"town": names.get(town_id, town_id), **figure}
        for town_id, figure in budgets(town_ids).items()
    ]
    return render(
        request,
        "core/sms_ledger.html",
        {
            "rows": rows,
            "budgets": figures,
            "show": show,
            "limit": LEDGER_ROWS,
            # The demo's administrator reads the codes there.
            "outbox_url": reverse("sms_outbox")
            if scope.is_administrator and get_backend().name == "console"
            else "",
        },
    )


@csrf_exempt
@require_POST
def sms_receipts(request, provider, token):
    """Delivery reports posted by the provider. The address carries a secret token
    (GONGZHI_SMS["RECEIPT_TOKEN"]) and the configured provider's name: anything else
    is refused, so a forged report cannot mark a message delivered or not."""
    expected = str(settings.GONGZHI_SMS.get("RECEIPT_TOKEN", ""))
    backend = get_backend()
    if (
        not expected
        or not hmac.compare_digest(token.encode(), expected.encode())
        or provider != backend.name
    ):
        return _unlogged(HttpResponse("forbidden", status=403, content_type="text/plain"))
    try:
        receipts = backend.parse_receipts(request.body)
    except ValueError:
        logger.warning("a delivery report from %s could not be read", backend.name)
        return _unlogged(
            HttpResponse("not a delivery report", status=400, content_type="text/plain")
        )
    record_receipts(provider=backend.name, receipts=receipts)
    return JsonResponse(
        RECEIPT_ANSWERS.get(backend.name, {"result": 0}), json_dumps_params={"ensure_ascii": False}
    )


def _unlogged(response):
    """Django logs every 4xx with its path, and this path holds the receipts' secret
    token: the view logs its own line instead (a Django flag that log_response reads)."""
    response._has_been_logged = True
    return response


@require_GET
def sms_outbox(request):
    """The demo outbox: what the console backend "sent" (codes included), for the
    administrator to sign in as a demo resident. Only with the console backend."""
    check_perm(request, "core.view_sms_outbox")
    if get_backend().name != "console":
        raise Http404
    rows = SmsOutbox.objects.order_by("-created_at", "-pk")[:OUTBOX_ROWS]
    return render(request, "core/sms_outbox.html", {"rows": rows, "limit": OUTBOX_ROWS})
