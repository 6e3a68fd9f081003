from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gongzhi.places.models import ResidentialArea

from . import services
from .models import AgeBand, User, phone_validator
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


class SignUpForm(forms.Form):
    phone = PhoneField()
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=40,
        help_text=_("Shown to community workers; public pages show it masked."),
    )
    residential_area = area_field()
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
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
    privacy_consent = forms.BooleanField(
        label=_("I have read and agree to the privacy notice."),
        help_text=PURPOSES["privacy_notice"],
        required=True,
        error_messages={
            "required": _("You must agree to the privacy notice to create an account.")
        },
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("An account with this mobile number already exists."))
        return phone

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            probe = User(phone=data.get("phone"), display_name=data.get("display_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if data.get("age_band") and not data.get("age_band_consent"):
            self.add_error(
                "age_band_consent",
                _("To record your age band, tick the consent for age statistics."),
            )
        return data


class LoginForm(AuthenticationForm):
    username = PhoneField(widget=forms.TextInput(attrs={"autofocus": True}))

    error_messages = {
        "invalid_login": _("The mobile number or password is not correct."),
        "inactive": _("This account is not active."),
        "throttled": _(
            "Too many wrong passwords for this number. Please wait 15 minutes and try again."
        ),
    }

    def clean(self):
        phone = self.cleaned_data.get("username")
        if phone and services.login_blocked(phone):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if phone:
                services.note_failed_login(phone)
            raise
        if phone:
            services.clear_failed_logins(phone)
        return cleaned

    @property
    def throttled(self) -> bool:
        return any(e.code == "throttled" for e in self.non_field_errors().as_data())


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
