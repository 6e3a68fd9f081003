"""Volunteer hours: asking for manual hours, the organiser's decision, the person's
record and their printable certificate."""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongzhi.core.access import check_perm
from gongzhi.core.views import carry_out

from . import hours
from .models import Activity, HoursClaim


class ClaimForm(forms.Form):
    minutes = forms.IntegerField(label=gettext_lazy("Minutes"), min_value=1, max_value=24 * 60)
    reason = forms.CharField(label=gettext_lazy("What for"), max_length=200)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
@require_POST
def claim(request, town_slug, pk):
    activity = get_object_or_404(
        Activity.objects.select_related("town"), pk=pk, town__slug=town_slug
    )
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the minutes (1 or more) and what they were for."))
        return redirect(activity)
    if carry_out(
        request, hours.claim_hours, activity=activity, user=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Your request was sent to the organiser."))
    return redirect(activity)


@require_POST
def decide(request, town_slug, pk, claim_pk):
    claim = get_object_or_404(
        HoursClaim.objects.select_related("activity", "activity__town"),
        pk=claim_pk,
        activity_id=pk,
        activity__town__slug=town_slug,
    )
    check_perm(request, "events.manage_activity", claim.activity)
    if carry_out(
        request,
        hours.decide_claim,
        claim=claim,
        actor=request.user,
        approve=request.POST.get("approve") == "1",
    ):
        messages.success(request, _("Saved."))
    return redirect("events:roster", town_slug, pk)


@login_required
def my_hours(request):
    year = _year(request)
    lines, total = hours.service_record(request.user, year=year)
    return render(
        request,
        "events/my_hours.html",
        {"year": year, "lines": lines, "total_hours": round(total / 60, 2)},
    )


@login_required
def certificate(request):
    """A printable certificate: who, what service, how many hours, who issues it."""
    year = _year(request)
    lines, total = hours.service_record(request.user, year=year)
    towns = sorted({line.activity.town.name for line in lines})
    # A number that anyone holding the certificate can quote to the issuer.
    digest = hashlib.sha256(f"{request.user.pk}:{year}:{total}".encode()).hexdigest()[:10].upper()
    return render(
        request,
        "events/certificate.html",
        {
            "year": year,
            "lines": lines,
            "total_hours": round(total / 60, 2),
            "issuers": towns,
            "number": f"GZ-{year}-{request.user.pk:06d}-{digest}",
            "issued_on": timezone.localdate(),
        },
    )
