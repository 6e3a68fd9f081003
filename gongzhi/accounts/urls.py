from functools import wraps

from allauth.account import urls as allauth_urls
from allauth.account.views import RequestReauthenticationCodeView
from allauth.core.exceptions import RateLimited
from django.urls import path

from gongzhi.core.views import too_many_requests

from . import views
from .forms import RequestReauthenticationCodeForm

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
# (account_login, ...). Its e-mail and e-mail reset pages are left out: accounts here
# have no e-mail; a forgotten password is recovered by code.
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
    # Proving again who one is before changing the number (by password or by code).
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
}


def _bad_input_is_400(view):
    """allauth answers a form with errors with 200; Gongzhi answers bad input with
    400 everywhere (tests, the API and people's browsers rely on the status), and a
    rate limit with its 429 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except RateLimited:
            # allauth raises it where a code would be sent past its limit (a second
            # log-in within the minute of an unverified number): the 429 page says
            # to wait, instead of a 500.
            return too_many_requests(request)
        if request.method == "POST" and response.status_code == 200:
            context = getattr(response, "context_data", None) or {}
            forms = [context.get(name) for name in ("form", "verify_form", "change_form")]
            if any(form is not None and form.is_bound and form.errors for form in forms):
                response.status_code = 400
        return response

    return wrapped


# allauth's view of this page takes no form class from ACCOUNT_FORMS: ours is given.
_OWN_FORMS = {
    "account_request_reauthentication_code": RequestReauthenticationCodeView.as_view(
        form_class=RequestReauthenticationCodeForm
    ),
}

allauth_urlpatterns = [
    path(str(p.pattern), _bad_input_is_400(_OWN_FORMS.get(p.name, p.callback)), name=p.name)
    for p in allauth_urls.urlpatterns
    if p.name in ALLAUTH_PAGES
] + [
    # allauth's forms link "forgot your password?" here.
    path("password/reset/", views.recover_password, name="account_reset_password"),
]
