import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.errors import DomainError
from gongzhi.core.views import attempt, carry_out, form_page

from . import services
from .adapter import recently_logged_in_by_code
from .forms import DeleteAccountForm, ProfileForm, SetPasswordForm
from .models import ConsentRecord
from .privacy import NOTICE_VERSION, PURPOSES


def privacy_notice(request):
    """What is collected, why, for how long, and the person's rights (PIPL)."""
    return render(
        request,
        "accounts/privacy.html",
        {"purposes": PURPOSES, "notice_version": NOTICE_VERSION},
    )


def recover_password(request):
    """Forgot the password: prove the number by a code sent to it (log-in by code, or
    re-authentication by code when logged in), then choose a new password. allauth's
    own reset by code works by e-mail only."""
    # Logged in (forgot the current password): a code to one's own number instead.
    name = "account_request_reauthentication_code"
    if not request.user.is_authenticated:
        name = "account_request_login_code"
    return redirect(f"{reverse(name)}?{urlencode({'next': reverse('accounts:new_password')})}")


@login_required
def new_password(request):
    """Set a new password without the old one, right after logging in by code (the
    recovery); otherwise the person changes it knowing the old one."""
    if not recently_logged_in_by_code(request):
        return redirect("account_change_password")
    form = SetPasswordForm(data=request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your new password is set."))
        return redirect("me")
    return form_page(request, "account/new_password.html", {"form": form}, form)


@login_required
def my_data(request):
    """The person's own data: edit the profile, see consents, export, delete."""
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "display_name": user.display_name,
            "residential_area": user.residential_area_id,
            "age_band": user.age_band,
            "age_band_consent": user.consents.active().filter(kind="age_band").exists(),
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, services.update_profile, user=user, **form.cleaned_data)
        if saved is not None:
            messages.success(request, _("Your details were saved."))
            return redirect("accounts:my_data")
    context = {
        "form": form,
        "consents": user.consents.order_by("-given_at"),
        "delete_form": DeleteAccountForm(),
    }
    return form_page(request, "accounts/my_data.html", context, form)


@login_required
def export_my_data(request):
    data = services.export_personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="gongzhi-my-data-{stamp}.json"'
    return response


@login_required
@require_POST
def withdraw_consent(request, pk):
    consent = get_object_or_404(ConsentRecord, pk=pk, user=request.user)
    if carry_out(request, services.withdraw_consent, user=request.user, consent=consent):
        messages.success(request, _("Your consent was withdrawn."))
    return redirect("accounts:my_data")


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(user=request.user, password=form.cleaned_data["password"])
        except DomainError as error:
            form.add_error("password", error.message)
        else:
            logout(request)
            messages.success(request, _("Your account was deleted. Thank you for taking part."))
            return redirect("places:home")
    return form_page(request, "accounts/delete.html", {"form": form}, form)
