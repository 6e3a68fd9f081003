from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.masking import mask_phone
from gongzhi.places.models import ResidentialArea

from .models import AgeBand, phone_validator
from .privacy import PURPOSES


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.town.name} · {obj.name}"


def area_field(required=False):
    return AreaChoiceField(
        queryset=ResidentialArea.objects.select_related("town").order_by(
            "town__name", "name_sort", "name"
        ),
        required=required,
        label=_("Residential area"),
        empty_label=_("— choose —"),
    )


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("validators", [phone_validator])
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "tel", "pattern": "1[0-9]{10}"})
        return attrs

    def to_python(self, value):
        # People paste numbers with spaces or dashes; keep only the digits' shape.
        value = super().to_python(value)
        return value.replace(" ", "").replace("-", "") if value else value


def _relabel(form, labels: dict) -> None:
    """allauth's forms with our labels (our words, from our .po file)."""
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label


class _SamePasswordTwice:
    """allauth's "type the same password" error, in our words."""

    def clean(self):
        data = super().clean()
        # allauth drops password2 from cleaned_data with its error: compare what was sent.
        p1, p2 = (self.data.get(self.add_prefix(name)) for name in ("password1", "password2"))
        if p1 and p2 and p1 != p2 and "password2" in self.errors:
            self.errors["password2"] = self.error_class([str(_("The two passwords do not match."))])
        return data


class SignUpForm(_SamePasswordTwice, allauth_forms.SignupForm):
    """allauth's sign-up (number and password) with what Gongzhi asks besides: a
    display name, the residential area, and the consents, each separate (PIPL)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=40,
        help_text=_("Shown to community workers; public pages show it masked."),
    )
    residential_area = area_field()
    age_band = forms.ChoiceField(
        label=_("Age band (optional)"),
        choices=[("", _("— prefer not to say —")), *AgeBand.choices],
        required=False,
    )
    age_band_consent = forms.BooleanField(
        label=_("I agree that my age band is used for anonymous participation statistics."),
        help_text=PURPOSES["age_band"],
        required=False,
    )
    sms_consent = forms.BooleanField(
        label=_("Send me text messages about what I take part in (optional)."),
        help_text=PURPOSES["sms_notifications"],
        required=False,
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read and agree to the privacy notice."),
        help_text=PURPOSES["privacy_notice"],
        required=True,
        error_messages={
            "required": _("You must agree to the privacy notice to create an account.")
        },
    )

    field_order = [
        "phone",
        "display_name",
        "residential_area",
        "password1",
        "password2",
        "age_band",
        "age_band_consent",
        "sms_consent",
        "privacy_consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": _("Password"), "password2": _("Password again")})
        self.fields["password1"].help_text = _(
            "At least 8 characters, not only digits, not a common password."
        )
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        if data.get("age_band") and not data.get("age_band_consent"):
            self.add_error(
                "age_band_consent",
                _("To record your age band, tick the consent for age statistics."),
            )
        return data


class LoginForm(allauth_forms.LoginForm):
    """Log in with the mobile number and password (allauth: its rate limits count
    failures per number and per address in the shared cache)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"login": _("Mobile number"), "password": _("Password")})
        self.fields["login"].widget.attrs["autofocus"] = True
        # allauth's "forgot your password?" help links to its e-mail reset; the
        # page offers recovery by code instead. Its placeholder repeats the label.
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"phone": _("Mobile number")})


class _CodeField:
    """Six digits typed from a text message: a numeric keypad, and the phone may
    offer the code from the message itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("Verification code")
        field.widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": "7",
                "placeholder": "",
            }
        )


class ConfirmLoginCodeForm(_CodeField, allauth_forms.ConfirmLoginCodeForm):
    pass


class VerifyPhoneForm(_CodeField, allauth_forms.VerifyPhoneForm):
    pass


class ConfirmReauthenticationCodeForm(_CodeField, allauth_forms.ConfirmReauthenticationCodeForm):
    pass


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"password": _("Your password")})
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)


class RequestReauthenticationCodeForm(allauth_forms.RequestReauthenticationCodeForm):
    """The code goes to the person's own number, shown masked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["recipient"]
        field.label = _("Send the code to")
        field.choices = [(value, mask_phone(value)) for value, _label in field.choices]
        field.widget = forms.RadioSelect(choices=field.choices)
        if len(field.choices) == 1:
            field.initial = field.choices[0][0]


class ChangePhoneForm(allauth_forms.ChangePhoneForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"phone": _("New mobile number")})


class ChangePasswordForm(_SamePasswordTwice, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {
                "oldpassword": _("Current password"),
                "password1": _("New password"),
                "password2": _("New password again"),
            },
        )
        self.fields["oldpassword"].help_text = ""


class SetPasswordForm(_SamePasswordTwice, allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": _("New password"), "password2": _("New password again")})
        self.fields["password1"].help_text = _(
            "At least 8 characters, not only digits, not a common password."
        )


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=40)
    residential_area = area_field()
    age_band = forms.ChoiceField(
        label=_("Age band (optional)"),
        choices=[("", _("— prefer not to say —")), *AgeBand.choices],
        required=False,
    )
    age_band_consent = forms.BooleanField(
        label=_("I agree that my age band is used for anonymous participation statistics."),
        help_text=PURPOSES["age_band"],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("age_band") and not data.get("age_band_consent"):
            self.add_error(
                "age_band_consent",
                _("To record your age band, tick the consent for age statistics."),
            )
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be deleted."),
        required=True,
    )
