from functools import wraps

from allauth.account import urls as allauth_urls
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("privacy/", views.privacy_notice, name="privacy"),
    path("password/new/", views.new_password, name="new_password"),
    path("me/", views.my_data, name="my_data"),
    path("me/export.json", views.export_my_data, name="export"),
    path("me/consents/<int:pk>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("me/delete/", views.delete_account, name="delete"),
]

# django-allauth's pages that Gongzhi uses (log-in by password or code, sign-up, phone
# verification and change, password change and set), under their own URL names
# (account_login, ...). Its e-mail, e-mail reset and re-authentication pages are left
# out: accounts here have no e-mail; a forgotten password is recovered by code.
ALLAUTH_PAGES = {
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_change_password",
    "account_set_password",
    "account_request_login_code",
    "account_confirm_login_code",
    "account_verify_phone",
    "account_change_phone",
}


def _bad_input_is_400(view):
    """allauth answers a form with errors with 200; Gongzhi answers bad input with
    400 everywhere (tests, the API and people's browsers rely on the status)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST" and response.status_code == 200:
            context = getattr(response, "context_data", None) or {}
            forms = [context.get(name) for name in ("form", "verify_form", "change_form")]
            if any(form is not None and form.is_bound and form.errors for form in forms):
                response.status_code = 400
        return response

    return wrapped


allauth_urlpatterns = [
    path(str(p.pattern), _bad_input_is_400(p.callback), name=p.name)
    for p in allauth_urls.urlpatterns
    if p.name in ALLAUTH_PAGES
] + [
    # allauth's forms link "forgot your password?" here.
    path("password/reset/", views.recover_password, name="account_reset_password"),
]
