"""The residential-area choice that most forms carry, declared once.

A form names the area a record or a filter is about. The field is declared with an
empty queryset (no query runs when a form class is defined); the form's ``__init__``
offers the town's areas, or only the user's own, with ``offer_areas``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ResidentialArea


def town_areas(town):
    """The town's areas in pinyin order, for a choice (none when ``town`` is None)."""
    return ResidentialArea.objects.choices_in(town)


def area_choice(empty_label, *, required=False, **kwargs):
    """A "Residential area" choice; ``empty_label`` says what no choice means here
    (all areas in a filter, town-wide for a record)."""
    return forms.ModelChoiceField(
        label=_("Residential area"),
        queryset=ResidentialArea.objects.none(),
        required=required,
        empty_label=empty_label,
        **kwargs,
    )


def offer_areas(form, areas, *, town_wide=True) -> None:
    """Offer ``areas`` in ``form``'s ``area`` field. Without ``town_wide`` (area staff,
    who may not act for the whole town) one of them must be chosen."""
    field = form.fields["area"]
    field.queryset = areas
    if not town_wide:
        field.required = True
        field.empty_label = None
