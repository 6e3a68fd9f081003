from django import forms
from django.utils.translation import gettext_lazy as _


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
