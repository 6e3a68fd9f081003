"""Participation figures: person-times (人次) and people (人数) per activity, area,
organising unit, month, age band and partner, over a year or a chosen period.

Public, like the activity list: the figures are aggregates; partners' names are
masked for those who may not see their contact details; age bands count only
people who consented to that use.
"""

from datetime import date, datetime, time, timedelta

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gongzhi.core.masking import mask_name
from gongzhi.places.models import Town
from gongzhi.places.views import paginate

from . import counting
from .models import Activity
from .services import OPENS_BEFORE

TOWN_WIDE = "town"
NO_UNIT = "none"
FIRST_YEAR, LAST_YEAR = 2000, 2100


class FiguresForm(forms.Form):
    """The period (a year, or from/to dates) and an optional area, unit or month."""

    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    area = forms.ChoiceField(label=gettext_lazy("Residential area"), required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Organising unit"), required=False)
    month = forms.RegexField(
        label=gettext_lazy("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": gettext_lazy("Give the month as YYYY-MM.")},
    )

    def __init__(self, data, *, town, areas, units):
        super().__init__(data)
        # "from" is a keyword in Python: these two are added by name.
        self.fields["from"] = forms.DateField(
            label=pgettext_lazy("period", "From"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        self.fields["to"] = forms.DateField(
            label=pgettext_lazy("period", "To"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        self.fields["area"].choices = [
            ("", _("All")),
            (TOWN_WIDE, _("Town-wide")),
            *((str(pk), name) for pk, name in areas),
        ]
        self.fields["unit"].choices = [
            ("", _("All")),
            (NO_UNIT, _("No organising unit")),
            *((str(pk), name) for pk, name in units),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end of the period must not come before its start."))
        return data

    def period(self) -> tuple[date, date]:
        """First and last day (inclusive) of the chosen period."""
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate()
        start, end = data.get("from"), data.get("to")
        if start or end:
            end = end or today
            return start or date(end.year, 1, 1), end
        year = data.get("year") or today.year
        return date(year, 1, 1), date(year, 12, 31)


def _day_start(day: date):
    return timezone.make_aware(datetime.combine(day, time.min))


def figures(request, town_slug):
    """The figures page; each figure links to the same page narrowed to it, whose
    list of activities is the list behind the figure."""
    town = get_object_or_404(Town, slug=town_slug)
    areas = list(town.areas.by_pinyin().values_list("pk", "name"))
    units = list(town.org_units.order_by("kind", "name_sort", "name").values_list("pk", "name"))
    form = FiguresForm(request.GET or None, town=town, areas=areas, units=units)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    first, last = form.period()
    activities = Activity.objects.public().filter(
        town=town,
        starts_at__gte=_day_start(first),
        starts_at__lt=_day_start(last + timedelta(days=1)),
        # What has happened or is under way (check-in open), not what is planned.
        starts_at__lte=timezone.now() + OPENS_BEFORE,
    )
    area, unit, month = data.get("area"), data.get("unit"), data.get("month")
    if area == TOWN_WIDE:
        activities = activities.filter(area__isnull=True)
    elif area:
        activities = activities.filter(area_id=int(area))
    if unit == NO_UNIT:
        activities = activities.filter(organiser__isnull=True)
    elif unit:
        activities = activities.filter(organiser_id=int(unit))
    if month:
        year_text, month_text = month.split("-")
        month_start = date(int(year_text), int(month_text), 1)
        next_month = (month_start + timedelta(days=32)).replace(day=1)
        activities = activities.filter(
            starts_at__gte=_day_start(month_start), starts_at__lt=_day_start(next_month)
        )

    # The query string of the period, kept by every link that narrows the figures.
    period = {
        key: request.GET[key] for key in ("year", "from", "to") if valid and request.GET.get(key)
    }

    def narrowed(**extra) -> str:
        kept = {k: v for k, v in {**period, **extra}.items() if v not in (None, "")}
        return "?" + urlencode(kept) + "#activities"

    by_area = counting.by_area(activities)
    for row in by_area:
        row_area = TOWN_WIDE if row.key is None else row.key
        row.url = narrowed(area=row_area, unit=unit)
    by_unit = counting.by_unit(activities)
    for row in by_unit:
        row.url = narrowed(area=area, unit=NO_UNIT if row.key is None else row.key)
    by_month = counting.by_month(activities)
    for row in by_month:
        row.url = narrowed(area=area, unit=unit, month=f"{timezone.localtime(row.key):%Y-%m}")
    partners = counting.by_partner(activities, town=town)
    for row in partners:
        shown = request.user.has_perm("partners.view_contact", row.partner)
        row.name = row.partner.name if shown else mask_name(row.partner.name)

    page = paginate(
        request,
        counting.by_activity(activities).select_related("area").order_by("-starts_at", "pk"),
    )
    narrowed_to = []  # what the figures are narrowed to, named for the heading
    for field, value in (("area", area), ("unit", unit)):
        if value:
            narrowed_to.append(dict(form.fields[field].choices)[value])
    if month:
        narrowed_to.append(month)
    return render(
        request,
        "events/figures.html",
        {
            "town": town,
            "form": form,
            "first": first,
            "last": last,
            "narrowed_to": narrowed_to,
            "clear_url": narrowed(),
            "total": counting.participation(activities),
            "by_area": by_area,
            "by_unit": by_unit,
            "by_month": by_month,
            "by_age_band": counting.by_age_band(activities),
            "partners": partners,
            "page": page,
        },
        status=400 if form.is_bound and not valid else 200,
    )
