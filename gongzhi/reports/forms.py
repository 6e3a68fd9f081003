"""The reports' filter: a year (or a range of dates) and a residential area."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gongzhi.core.errors import DomainError

from .figures import parse_period


class ReportFilterForm(forms.Form):
    """The period of the figures, as one of the years that have records or as a
    range of dates (the range wins when given), and the area (none: the whole
    town). ``period`` and ``area`` are set once the form is valid."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Or choose a range of dates instead of a year."),
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    area = forms.TypedChoiceField(
        label=gettext_lazy("Residential area"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data=None, *, years: list[int], areas: list, default_year: int):
        super().__init__(data, initial={"year": default_year})
        self.default_year = default_year
        self.fields["year"].choices = [("", _("—")), *((y, str(y)) for y in years)]
        self.fields["area"].choices = [
            ("", _("The whole town")),
            *((area.pk, area.name) for area in areas),
        ]
        self._areas = {area.pk: area for area in areas}
        self.period = None
        self.area = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = data.get("start"), data.get("end")
        try:
            if start or end:
                self.period = parse_period(start=start, end=end)
            else:
                self.period = parse_period(year=data.get("year") or self.default_year)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        self.area = self._areas.get(data.get("area"))
        return data


class AnnualAreaForm(forms.Form):
    """The annual report's only parameter: the area (none: the whole town)."""

    area = forms.TypedChoiceField(
        label=gettext_lazy("Residential area"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data=None, *, areas: list):
        super().__init__(data)
        self.fields["area"].choices = [
            ("", _("The whole town")),
            *((area.pk, area.name) for area in areas),
        ]
        self._areas = {area.pk: area for area in areas}
        self.area = None

    def clean(self):
        data = super().clean()
        self.area = self._areas.get(data.get("area"))
        return data
