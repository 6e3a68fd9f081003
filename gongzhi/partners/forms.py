from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.forms import AreaChoiceField, PhoneField
from gongzhi.accounts.privacy import PURPOSES
from gongzhi.places.forms import area_choice, town_areas
from gongzhi.places.models import ResidentialArea

from .matching import Need, nearby_areas, split_tags
from .models import Mode, PartnerStatus, PartyStatus, Slot


class TagsField(forms.CharField):
    """Free-text tags separated by commas or 、; cleaned to a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        tags = split_tags(super().clean(value) or "")
        if any(len(tag) > 30 for tag in tags):
            raise forms.ValidationError(_("Each skill may be at most 30 characters."))
        if len(tags) > 15:
            raise forms.ValidationError(_("Name at most 15 skills."))
        return tags


def skills_field():
    return TagsField(
        label=_("Skills"), help_text=_("Separate with commas, e.g. gardening, photography.")
    )


def availability_field():
    return forms.MultipleChoiceField(
        label=_("When can you usually help?"),
        choices=Slot.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ApplicationForm(forms.Form):
    """The partner application; for a visitor who is not logged in it also creates
    their account (mobile number and password)."""

    name = forms.CharField(label=_("Name"), max_length=40)
    phone = PhoneField()
    password1 = forms.CharField(
        label=_("Password for your new account"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    area = AreaChoiceField(
        queryset=ResidentialArea.objects.none(),
        label=_("Residential area"),
        empty_label=_("— choose —"),
    )
    profession = forms.CharField(
        label=_("Profession"), max_length=40, help_text=_("For example: doctor, teacher, retired.")
    )
    skills = skills_field()
    modes = forms.MultipleChoiceField(
        label=_("Work modes you would like"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one work mode.")},
    )
    party_status = forms.ChoiceField(
        label=_("Party membership"), choices=PartyStatus.choices, initial=PartyStatus.NONE
    )
    availability = availability_field()
    motivation = forms.CharField(
        label=_("Why would you like to take part? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the information above is used as described."),
        help_text=PURPOSES["partner_profile"],
        error_messages={"required": _("You must agree to the privacy notice to apply.")},
    )

    def __init__(self, *args, town, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = town_areas(town)
        self.user = user
        if user is not None and user.is_authenticated:
            # A signed-in resident applies with their own account and number.
            del self.fields["password1"], self.fields["password2"]
            self.fields["phone"].disabled = True
            self.initial.setdefault("phone", user.phone)
            self.initial.setdefault("name", user.display_name)
            self.initial.setdefault("area", user.residential_area_id)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if "password1" in self.fields and p1:
            if p1 != p2:
                self.add_error("password2", _("The two passwords do not match."))
            else:
                try:
                    password_validation.validate_password(p1)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "phone": data["phone"],
            "password": data.get("password1"),
            "name": data["name"],
            "area": data["area"],
            "profession": data["profession"],
            "skills": data["skills"],
            "modes": data["modes"],
            "party_status": data["party_status"],
            "availability": data["availability"],
            "motivation": data["motivation"],
            "consent": data["consent"],
        }


class EditApplicationForm(ApplicationForm):
    """Answering a request for more information: no account fields."""

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, town=town, user=None, **kwargs)
        for name in ["phone", "password1", "password2", "consent"]:
            del self.fields[name]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in [
                "name",
                "area",
                "profession",
                "skills",
                "modes",
                "party_status",
                "availability",
                "motivation",
            ]
        }


class RecommendForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    phone = PhoneField()
    area = AreaChoiceField(
        queryset=ResidentialArea.objects.none(),
        label=_("Residential area"),
        empty_label=_("— choose —"),
    )
    reason = forms.CharField(
        label=_("Why do you recommend this resident?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class AcceptForm(forms.Form):
    primary_mode = forms.ChoiceField(label=_("Primary work mode"), choices=Mode.choices)
    secondary_modes = forms.MultipleChoiceField(
        label=_("Other work modes"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the applicant sees it)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MoreInfoForm(forms.Form):
    question = forms.CharField(
        label=_("What do you need to know?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PartnerProfileForm(forms.Form):
    profession = forms.CharField(label=_("Profession"), max_length=40)
    skills = skills_field()
    availability = availability_field()


class ManagePartnerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PartnerStatus.choices)
    primary_mode = forms.ChoiceField(label=_("Primary work mode"), choices=Mode.choices)
    secondary_modes = forms.MultipleChoiceField(
        label=_("Other work modes"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Why (required when pausing or leaving)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search name, profession or skill"), required=False, max_length=40)
    mode = forms.ChoiceField(label=_("Work mode"), required=False)
    area = area_choice(_("All areas"))
    skill = forms.CharField(label=_("Skill"), required=False, max_length=30)
    profession = forms.CharField(label=_("Profession"), required=False, max_length=40)
    party = forms.ChoiceField(label=_("Party membership"), required=False)
    slot = forms.ChoiceField(label=_("Available"), required=False)

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        self.fields["mode"].choices = any_ + list(Mode.choices)
        self.fields["party"].choices = any_ + list(PartyStatus.choices)
        self.fields["slot"].choices = any_ + list(Slot.choices)
        self.fields["area"].queryset = town_areas(town)


class MatchForm(forms.Form):
    modes = forms.MultipleChoiceField(
        label=_("Work modes"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills = TagsField(label=_("Skills"))
    profession = forms.CharField(label=_("Profession"), required=False, max_length=40)
    area = area_choice(_("Any area"))
    at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = town_areas(town)

    def need(self, *, town_id: int, exclude_partner_ids=()) -> Need:
        """The matching need the valid form describes."""
        data = self.cleaned_data
        return Need(
            town_id=town_id,
            modes=data["modes"],
            skills=data["skills"],
            profession=data["profession"],
            area_id=data["area"].pk if data["area"] else None,
            nearby_area_ids=nearby_areas(data["area"]),
            at=data["at"],
            exclude_partner_ids=list(exclude_partner_ids),
        )

    def clean(self):
        data = super().clean()
        if not (
            data.get("modes") or data.get("skills") or data.get("profession") or data.get("area")
        ):
            raise forms.ValidationError(
                _("Describe the need: a work mode, a skill, a profession or an area.")
            )
        return data
