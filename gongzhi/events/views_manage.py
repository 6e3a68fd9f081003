"""Changing and cancelling an activity: the edit page and the cancel action, for those
who run it (its area's staff, the town's secretariat)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.access import check_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.scope import within_scope
from gongzhi.core.views import attempt, error_page, form_page
from gongzhi.places.forms import town_areas
from gongzhi.venues.models import Venue
from gongzhi.venues.queries import bookable_venues
from gongzhi.venues.services import booked_venue_ids

from . import services
from .forms import ActivityForm, CancelActivityForm
from .views import _activity


def _managed(request, town_slug, pk):
    activity = _activity(town_slug, pk)
    check_perm(request, "events.manage_activity", activity)
    return activity


def edit_activity(request, town_slug, pk):
    """The create form, filled in with the activity as it is. A cancelled or ended
    activity is not changed: the page says why instead of showing the form."""
    activity = _managed(request, town_slug, pk)
    try:
        services.check_editable(activity)
    except DomainError as error:
        return error_page(request, 409, _("The activity cannot be changed"), error.message)
    town = activity.town
    held = sorted(booked_venue_ids(activity=activity))
    venues = bookable_venues(request.user, town)
    # The venue it holds stays on offer even to someone who could not book it now, so
    # that saving the form unchanged keeps the booking.
    offered = {venue.pk for venue in venues}
    venues += [venue for venue in Venue.objects.filter(pk__in=held) if venue.pk not in offered]
    initial = {name: getattr(activity, name) for name in services.EDITABLE_FIELDS}
    initial["booked_venue"] = held[0] if held else None
    form = ActivityForm(
        request.POST or None,
        initial=initial,
        town=town,
        areas=within_scope(town_areas(town), request.user, town, area_field="pk"),
        town_wide=request.user.has_perm("places.manage_town", town),
        venues=venues,
    )
    if request.method == "POST" and form.is_valid():
        updated = attempt(
            form,
            services.update_activity,
            activity=activity,
            actor=request.user,
            **form.cleaned_data,
        )
        if updated is not None:
            messages.success(request, _("The activity's details are saved."))
            return redirect(updated)
    return form_page(
        request,
        "events/activity_form.html",
        {"town": town, "form": form, "activity": activity},
        form,
    )


@require_POST
def cancel_activity(request, town_slug, pk):
    """Call the activity off with a reason (the confirmation form on its page). A
    missing or too long reason, or an activity that can no longer be cancelled, shows
    the form again with the message, and nothing is changed."""
    activity = _managed(request, town_slug, pk)
    form = CancelActivityForm(request.POST)
    if form.is_valid():
        done = attempt(
            form,
            services.cancel_activity,
            activity=activity,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("The activity is cancelled; those signed up are told."))
            return redirect(done)
    # The form's own errors are bad input (400); the service's refusal a conflict (409).
    status = 409 if form.non_field_errors() and not form.has_error("reason") else 400
    return render(
        request,
        "events/activity_cancel.html",
        {"town": activity.town, "activity": activity, "form": form},
        status=status,
    )
