from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.accounts.forms import PhoneField
from gongzhi.accounts.privacy import PURPOSES
from gongzhi.core.validators import HAPPENED
from gongzhi.organisations.models import OrgUnit
from gongzhi.places.forms import area_choice, offer_areas, town_areas
from gongzhi.venues.forms import chosen_venue, offer_venues

from .models import ActivityKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    area = area_choice(_("Town-wide"))
    organiser = forms.ModelChoiceField(
        label=_("Organising unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("— choose —"),
    )
    venue = forms.CharField(label=_("Venue"), max_length=120)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    capacity = forms.IntegerField(
        label=pgettext_lazy("places left", "Places"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("Empty for an open event without sign-up limit."),
    )
    description = forms.CharField(
        label=pgettext_lazy("activity description", "Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, town, areas=None, town_wide=True, venues=(), **kwargs):
        """``town_wide``: whether the user may organise a town-wide activity (the
        secretariat); area staff are not offered it and choose one of their areas.
        ``venues``: the register's venues the user may book (venues.queries)."""
        super().__init__(*args, **kwargs)
        offer_areas(self, areas if areas is not None else town_areas(town), town_wide=town_wide)
        self.fields["organiser"].queryset = OrgUnit.objects.filter(town=town).order_by(
            "kind", "mode", "name"
        )
        offer_venues(self, venues)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The activity must end after it starts."))
        chosen_venue(self, data)
        return data


class QuickCheckInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    phone = PhoneField()
    consent = forms.BooleanField(
        label=_("I have read and agree to the privacy notice."),
        help_text=PURPOSES["privacy_notice"],
        error_messages={"required": _("You must agree to the privacy notice to check in.")},
    )


class WalkInForm(forms.Form):
    count = forms.IntegerField(label=_("People counted"), min_value=1, max_value=100_000)
    note = forms.CharField(label=_("Note"), max_length=100, required=False)


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"))
    content = forms.CharField(label=_("What it shows"), max_length=200)
    taken_at = forms.DateTimeField(label=_("Taken at"), widget=DATETIME, validators=[HAPPENED])
    place = forms.CharField(label=_("Place"), max_length=120)
    people = forms.CharField(label=_("People in it (optional)"), max_length=200, required=False)
    photographer = forms.CharField(label=_("Photographer"), max_length=40)


class CancelActivityForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
        help_text=_("Shown on the activity's page and sent to everyone signed up."),
        error_messages={"required": _("Say why the activity is cancelled.")},
    )
