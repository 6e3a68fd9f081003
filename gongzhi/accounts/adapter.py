"""django-allauth connected to Gongzhi: the mobile number on our User is the login,
codes go out through the SMS gateway in core, and allauth's messages and errors are
our own words (so that the Chinese is the programme's, from our .po file).

allauth keeps no phone model of its own: it asks this adapter where the number and
whether it is verified live (``User.phone`` and ``User.phone_verified``)."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.contrib import messages
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.services import record_event

from . import services
from .models import User

# allauth's own messages (templates it names), written in our words.
MESSAGES = {
    "account/messages/logged_in.txt": _("Welcome, %(name)s. You are logged in."),
    "account/messages/logged_out.txt": _("You have logged out."),
    "account/messages/password_changed.txt": _("Your password was changed."),
    "account/messages/password_set.txt": _(
        "Your password is set. Next time you may log in with it or with a code."
    ),
    "account/messages/phone_verified.txt": _("Your mobile number is verified."),
    # "login_code_sent" and "phone_verification_sent" are left out: the page the
    # person lands on says it already.
}

# How long after logging in by code a person may set a new password without the old
# one (recovering a forgotten password).
RECOVERY_WINDOW = 10 * 60


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is not active."),
        "phone_password_mismatch": _("The mobile number or password is not correct."),
        "phone_taken": _("An account with this mobile number already exists."),
        "unknown_phone": _("No account uses this mobile number."),
        "incorrect_code": _("The code is not correct, or it has expired."),
        "incorrect_password": _("The password is not correct."),
        "enter_current_password": _("Enter your current password."),
        # allauth gives one error for its limits per number and per address.
        "too_many_login_attempts": _(
            "Too many attempts for this number or from this network. Please wait a few "
            "minutes and try again."
        ),
        "same_as_current": _("This is already your mobile number."),
        "rate_limited": _("Too many requests. Please wait a minute and try again."),
    }

    # --- Where the number lives ------------------------------------------------
    def phone_form_field(self, **kwargs):
        from .forms import PhoneField

        kwargs.pop("label", None)
        return PhoneField(**kwargs)

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone(self, user, phone, verified):
        """A new number (sign-up, or a change once its code was confirmed)."""
        old = user.phone
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])
            if old and old != phone:
                with transaction.atomic():
                    record_event(
                        actor=user,
                        verb="personal_data.correct",
                        target=user,
                        after={"fields": ["phone"]},
                        town_id=services.scope_town(user),
                    )
                from gongzhi.core.sms.outgoing import send_number_changed

                send_number_changed(old_phone=old, user=user)

    def set_phone_verified(self, user, phone):
        """The code sent to ``phone`` was entered. For a change of number this is
        the moment the new number replaces the old one: until its code is entered
        the person keeps logging in with the old."""
        if user.phone != phone:
            self.set_phone(user, phone, True)
        elif not user.phone_verified:
            user.phone_verified = True
            fields = ["phone_verified"]
            if user.has_usable_password() and _proved_by_code_alone(user):
                # The number is proved now, its password never was: whoever signed up
                # with this number may not be its owner. The owner chooses a new
                # password (get_login_redirect_url offers it) and the other's stops.
                user.set_unusable_password()
                fields.append("password")
            user.save(update_fields=fields)

    def get_user_by_phone(self, phone):
        return User.objects.filter(phone=phone, deleted_at__isnull=True).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        """Codes go out at once through the gateway; when the provider is slow or
        down the message is retried and the person told it may be delayed."""
        from gongzhi.core.models import SmsStatus
        from gongzhi.core.sms.outgoing import send_code

        row = send_code(phone=phone, code=code, user=user, valid_for=_code_validity())
        if self.request is None or kwargs.get("reauthentication") is False:
            # A log-in by code says nothing of how the sending went: an unknown number
            # sends nothing, so a "delayed" notice would tell registered numbers apart.
            return
        if row.status == SmsStatus.FAILED:
            messages.error(
                self.request,
                _(
                    "The text message could not be sent to this number. Check the number, "
                    "or ask your residents' committee for help."
                ),
            )
        elif row.status != SmsStatus.SENT:
            messages.warning(
                self.request,
                _(
                    "The text message may be delayed. If no code arrives within a few "
                    "minutes, ask for a new one."
                ),
            )

    def get_login_redirect_url(self, request):
        """An account made at the door or from a ledger has no password: once its
        owner has claimed it by code, offer to choose one."""
        if request.user.is_authenticated and not request.user.has_usable_password():
            return reverse("account_set_password")
        return super().get_login_redirect_url(request)

    def is_reauthentication_required(self, *, app, **kwargs):
        """Changing the number or choosing a password needs a proof of who one is
        from the last few minutes: a log-in, or a re-authentication (password or a
        code to one's number). A session kept for weeks ("remember me") on a shared
        phone is not enough to move the account to another number."""
        request = context.request
        if request is None or not request.user.is_authenticated:
            return True
        from allauth.account import app_settings

        records = get_authentication_records(request, request.user)
        return not any(
            time.time() - r.get("at", 0) < app_settings.REAUTHENTICATION_TIMEOUT for r in records
        )

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The key allauth counts failed log-ins under. Its own reads only e-mail or
        username, so with phone log-in every number would share one count (five wrong
        passwords for anyone would lock everyone out): count per number instead."""
        phone = credentials.get("phone")
        if phone:
            return f"phone:{phone}"
        return super()._get_login_attempts_cache_key(request, **credentials)

    def send_account_already_exists_sms(self, phone):
        """A sign-up with a registered number: its owner is told, the visitor shown
        the same page as for a new number (no enumeration)."""
        from gongzhi.core.sms.outgoing import send_account_exists

        user = self.get_user_by_phone(phone)
        if user is not None:
            send_account_exists(phone=phone, user=user)

    # --- Sign-up ---------------------------------------------------------------
    def save_user(self, request, user, form, commit=True):
        """Sign-up: the account and the consents the person gave, in one go."""
        data = form.cleaned_data
        return services.sign_up(
            user=user,
            phone=data["phone"],
            display_name=data["display_name"],
            password=data["password1"],
            residential_area=data.get("residential_area"),
            age_band=data.get("age_band", ""),
            privacy_consent=data["privacy_consent"],
            age_band_consent=data.get("age_band_consent", False),
            sms_consent=data.get("sms_consent", False),
        )

    # --- Messages ---------------------------------------------------------------
    def add_message(
        self,
        request,
        level,
        message_template=None,
        message_context=None,
        extra_tags="",
        message=None,
    ):
        if message is None and message_template is not None:
            text = MESSAGES.get(message_template)
            if text is None:  # a message of a part of allauth we do not use
                return
            context = message_context or {}
            message = str(text)
            if "%(name)s" in message:
                user = context.get("user") or request.user
                message = message % {"name": getattr(user, "display_name", "")}
        super().add_message(request, level, extra_tags=extra_tags, message=message)


def _code_validity() -> int:
    """How long a code stays valid, as its message says: the shorter of allauth's two
    timeouts (log-in by code, phone verification), both ten minutes in settings."""
    from allauth.account import app_settings

    return min(app_settings.LOGIN_BY_CODE_TIMEOUT, app_settings.PHONE_VERIFICATION_TIMEOUT)


def _proved_by_code_alone(user) -> bool:
    """Whether the log-in under way is by a code (allauth records how a session
    authenticated; a password log-in of an unverified number is followed by a code,
    and its last record is the password's)."""
    request = context.request
    records = get_authentication_records(request, user) if request is not None else []
    return bool(records) and records[-1].get("method") == "code"


def recently_logged_in_by_code(request) -> bool:
    """Whether this session's person logged in by an SMS code within the last ten
    minutes: they proved they hold the number, so they may set a new password without
    the old one (recovery). Reads allauth's record of how the session authenticated."""
    records = get_authentication_records(request, request.user)
    return any(
        r.get("method") == "code" and time.time() - r.get("at", 0) < RECOVERY_WINDOW
        for r in records
    )
