import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongzhi.core.errors import DomainError

from . import services
from .forms import DeleteAccountForm, LoginForm, ProfileForm, SignUpForm
from .models import ConsentRecord
from .privacy import NOTICE_VERSION, PURPOSES


def privacy_notice(request):
    """What is collected, why, for how long, and the person's rights (PIPL)."""
    return render(
        request,
        "accounts/privacy.html",
        {"purposes": PURPOSES, "notice_version": NOTICE_VERSION},
    )


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:my_data")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.sign_up(
                phone=data["phone"],
                display_name=data["display_name"],
                password=data["password1"],
                residential_area=data["residential_area"],
                age_band=data["age_band"],
                privacy_consent=data["privacy_consent"],
                age_band_consent=data["age_band_consent"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome, %(name)s. Your account is ready.") % {"name": user.display_name},
            )
            return redirect("places:home")
    return render(
        request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if form.throttled else 400
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:my_data")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


logout_view = auth_views.LogoutView.as_view()
login_view = LoginView.as_view()
password_change = PasswordChangeView.as_view(
    extra_context={"title": gettext_lazy("Change password")}
)


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
        try:
            services.update_profile(user=user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your details were saved."))
            return redirect("accounts:my_data")
    context = {
        "form": form,
        "consents": user.consents.order_by("-given_at"),
        "delete_form": DeleteAccountForm(),
    }
    return render(request, "accounts/my_data.html", context, status=400 if form.errors else 200)


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
    try:
        services.withdraw_consent(user=request.user, consent=consent)
    except DomainError as error:
        messages.error(request, error.message)
    else:
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
    return render(
        request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200
    )
