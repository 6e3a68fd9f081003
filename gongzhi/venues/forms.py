from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.validators import validate_upload_size
from gongzhi.places.forms import area_choice, offer_areas

from .models import ALL_WEEK, VenueKind, Weekday
from .queries import keepers_of

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
KEEPER_REFUSED = _(
    "The keeper must be staff of this town: its secretariat or the staff of one of its "
    "residential areas."
)


class KeeperChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class VenueForm(forms.Form):
    """A venue's facts as staff register or change them. Only the areas the person may
    register venues in, and only people who may keep a venue of the town, are offered
    (the service checks both again)."""

    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=VenueKind.choices)
    area = area_choice(_("Town-wide"))
    capacity = forms.IntegerField(
        label=_("Capacity (people)"), max_value=100_000,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )  # fmt: skip
    address = forms.CharField(label=_("Address"), max_length=120, required=False)
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Other accessibility facts"), max_length=200, required=False,
        help_text=_("E.g. a lift to the second floor, a wheelchair to borrow."),
    )  # fmt: skip
    equipment = forms.CharField(
        label=_("Equipment"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    opens_at = forms.TimeField(label=_("Opens at"), widget=TIME)
    closes_at = forms.TimeField(label=_("Closes at"), widget=TIME)
    open_days = forms.MultipleChoiceField(
        label=_("Open on"), choices=Weekday.choices, initial=list(ALL_WEEK),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    keeper = KeeperChoice(
        label=_("Keeper"), queryset=keepers_of(None).none(), required=False,
        empty_label=_("No keeper: the staff who book it directly decide requests"),
        help_text=_("Decides the requests to book the venue; staff of the town."),
        error_messages={"invalid_choice": KEEPER_REFUSED},
    )  # fmt: skip
    photo = forms.FileField(
        label=_("Photo"), required=False, validators=[validate_upload_size],
        help_text=_("JPEG, PNG or WebP; where it was taken is removed."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip

    def __init__(self, *args, town, areas, town_wide=True, **kwargs):
        """``areas``: those the person may register venues in; without ``town_wide``
        (area staff) one of them must be chosen."""
        super().__init__(*args, **kwargs)
        offer_areas(self, areas, town_wide=town_wide)
        self.fields["keeper"].queryset = keepers_of(town)

    def clean_open_days(self):
        return "".join(sorted(set(self.cleaned_data["open_days"])))


class BookingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=100)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=200, help_text=_("The requester reads it.")
    )


def offer_venues(form, venues, *, place_field: str = "venue") -> None:
    """Add to an activity's or meeting's ``form`` the choice of a venue of the register
    (only ``venues``, those the person may book directly: a choice a person may not
    make is not offered), besides the free-text place, which may then stay empty."""
    form.register_venues = {venue.pk: venue for venue in venues}
    if not form.register_venues:
        return
    choices = [("", _("None: only the place written above"))]
    choices += [(str(pk), venue.name) for pk, venue in form.register_venues.items()]
    form.fields["booked_venue"] = forms.TypedChoiceField(
        label=_("Book a venue of the register"),
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Books the venue for the whole time; refused if it is taken."),
    )
    form.fields[place_field].required = False
    form.venue_place_field = place_field


def chosen_venue(form, data: dict):
    """The venue chosen on ``form`` (a Venue in its cleaned ``data["booked_venue"]``),
    or None; the free-text place defaults to its name. Call from the form's ``clean``."""
    pk = data.get("booked_venue")
    venue = getattr(form, "register_venues", {}).get(pk) if pk else None
    place_field = getattr(form, "venue_place_field", "venue")
    if venue is not None and not (data.get(place_field) or "").strip():
        data[place_field] = venue.name
    if venue is None and place_field in form.fields and not (data.get(place_field) or "").strip():
        form.add_error(place_field, _("Write the place, or book a venue of the register."))
    data["booked_venue"] = venue
    return venue
