from datetime import UTC

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from gongzhi.core.access import get_checked
from gongzhi.core.scope import within_scope
from gongzhi.core.views import attempt, attempt_submission, carry_out, form_page, parse_id
from gongzhi.places.models import ResidentialArea, Town

from . import queries, services
from .counting import Year, last_year_of_use, venue_use
from .forms import BookingForm, DeclineForm, VenueForm
from .models import Booking, BookingStatus, Venue

FEED_MAX_AGE = 15 * 60


def venue_list(request, town_slug):
    """The town's venues (一客一厅 and others), with their accessibility facts."""
    town = get_object_or_404(Town, slug=town_slug)
    return render(
        request,
        "venues/venue_list.html",
        {
            "town": town,
            "venues": list(queries.venues_of(town)),
            "can_register": request.user.has_perm("venues.register_venue", town),
        },
    )


def _venue(town_slug, pk):
    return get_object_or_404(
        Venue.objects.select_related("town", "area"), pk=pk, town__slug=town_slug, active=True
    )


def _venue_page(request, venue, *, decline_forms=None, status=200):
    user = request.user
    year = parse_id(request.GET.get("year")) or last_year_of_use(venue)
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    may_see = user.has_perm("venues.view_bookings", venue)
    requests = list(queries.open_requests(venue)) if may_see else []
    decline_forms = decline_forms or {}
    for booking in requests:
        booking.decline_form = decline_forms.get(booking.pk) or DeclineForm(
            prefix=f"decline-{booking.pk}"
        )
    mine = []
    if user.is_authenticated:
        mine = list(
            venue.bookings.filter(requested_by=user, ends_at__gt=timezone.now())
            .exclude(status=BookingStatus.CANCELLED)
            .order_by("starts_at", "pk")
        )
    context = {
        "town": venue.town,
        "venue": venue,
        "slots": queries.busy_slots(venue),
        "use": venue_use(venue, Year(year)),
        "year": year,
        "requests": requests,
        "upcoming": list(queries.upcoming_bookings(venue)) if may_see else [],
        "mine": mine,
        "can_book": user.has_perm("venues.request_booking", venue),
        "books_directly": user.has_perm("venues.book_directly", venue),
        "can_manage": user.has_perm("venues.manage_venue", venue),
    }
    return render(request, "venues/venue_detail.html", context, status=status)


def venue_detail(request, town_slug, pk):
    """The public venue page: facts, accessibility, busy slots (no names), its use by
    month; for its keeper and staff also the requests to decide."""
    return _venue_page(request, _venue(town_slug, pk))


def venue_feed(request, town_slug, pk):
    """The venue's busy slots as an iCalendar feed (the public page's content)."""
    venue = _venue(town_slug, pk)
    calendar = Calendar()
    calendar.add("prodid", "-//Gongzhi//Venues//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{venue.name} · {venue.town.name}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now().astimezone(UTC)
    for slot in queries.busy_slots(venue):
        event = Event()
        event.add("uid", f"booking-{slot['pk']}@{venue.town.slug}.gongzhi")
        event.add("dtstamp", now)
        event.add("dtstart", slot["starts_at"].astimezone(UTC))
        event.add("dtend", slot["ends_at"].astimezone(UTC))
        event.add("summary", slot["title"])
        event.add("location", f"{venue.name}, {venue.town.name}")
        if slot["url"]:
            event.add("url", request.build_absolute_uri(slot["url"]))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{venue.town.slug}-venue-{venue.pk}.ics"'
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


def book(request, town_slug, pk):
    """Book the venue (staff of its area, the secretariat: confirmed at once) or ask
    for it (partners, staff of other areas: the keeper decides)."""
    venue = get_checked(
        request, "venues.request_booking", Venue.objects.select_related("town", "area"),
        pk=pk, town__slug=town_slug, active=True,
    )  # fmt: skip
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        booking = attempt(
            form, services.book_venue, venue=venue, actor=request.user, town=venue.town,
            **form.cleaned_data,
        )  # fmt: skip
        if booking is not None:
            if booking.status == BookingStatus.CONFIRMED:
                messages.success(request, _("The venue is booked."))
            else:
                messages.success(request, _("Your request was sent to the venue's keeper."))
            return redirect(venue.get_absolute_url())
    context = {
        "town": venue.town,
        "venue": venue,
        "form": form,
        "books_directly": request.user.has_perm("venues.book_directly", venue),
    }
    return form_page(request, "venues/book.html", context, form)


def _booking(request, town_slug, pk, perm):
    return get_checked(
        request, perm, Booking.objects.select_related("venue", "venue__town", "venue__area"),
        pk=pk, venue__town__slug=town_slug,
    )  # fmt: skip


@require_POST
def confirm(request, town_slug, pk):
    booking = _booking(request, town_slug, pk, "venues.decide_booking")
    if carry_out(request, services.confirm_booking, booking=booking, actor=request.user):
        messages.success(request, _("The booking is confirmed."))
    return redirect(booking.venue.get_absolute_url())


@require_POST
def decline(request, town_slug, pk):
    booking = _booking(request, town_slug, pk, "venues.decide_booking")
    form = DeclineForm(request.POST, prefix=f"decline-{booking.pk}")
    if form.is_valid():
        done = attempt(
            form, services.decline_booking, booking=booking, actor=request.user,
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("The request was declined; the requester reads why."))
            return redirect(booking.venue.get_absolute_url())
    return _venue_page(request, booking.venue, decline_forms={booking.pk: form}, status=400)


@require_POST
def cancel(request, town_slug, pk):
    booking = _booking(request, town_slug, pk, "venues.cancel_booking")
    if carry_out(request, services.cancel_booking, booking=booking, actor=request.user):
        messages.success(request, _("The booking is cancelled."))
    return redirect(booking.venue.get_absolute_url())


# --- The register: staff register, change and retire venues -------------------------


def _venue_form(request, town, **kwargs) -> VenueForm:
    """The venue form offering the areas the person may register venues in (the
    secretariat: every area, or none for a town-wide venue; area staff: their own)."""
    areas = within_scope(
        ResidentialArea.objects.choices_in(town), request.user, town, area_field="pk"
    )
    return VenueForm(
        request.POST or None,
        request.FILES or None,
        town=town,
        areas=areas,
        town_wide=request.user.has_perm("venues.manage_venue", town),
        **kwargs,
    )


def register_venue(request, town_slug):
    """Register a venue of the town (the secretariat: any; area staff: of their areas)."""
    town = get_checked(request, "venues.register_venue", Town, slug=town_slug)
    form = _venue_form(request, town)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        photo = fields.pop("photo") or None
        venue = attempt_submission(
            request, form, services.create_venue, town=town, photo=photo, **fields
        )
        if venue is not None:
            messages.success(request, _("The venue is registered."))
            return redirect(venue.get_absolute_url())
    context = {"town": town, "form": form, "venue": None}
    return form_page(request, "venues/venue_form.html", context, form)


def _managed_venue(request, town_slug, pk):
    return get_checked(
        request, "venues.manage_venue", Venue.objects.select_related("town", "area"),
        pk=pk, town__slug=town_slug, active=True,
    )  # fmt: skip


def edit_venue(request, town_slug, pk):
    """Change a venue's facts, opening hours, keeper or photo."""
    venue = _managed_venue(request, town_slug, pk)
    initial = {name: getattr(venue, name) for name in services.VENUE_FIELDS}
    initial["open_days"] = list(venue.open_days)
    form = _venue_form(request, venue.town, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        photo = fields.pop("photo") or None
        updated = attempt(
            form, services.update_venue, venue=venue, actor=request.user, photo=photo, **fields
        )
        if updated is not None:
            messages.success(request, _("The venue's details are saved."))
            return redirect(updated.get_absolute_url())
    context = {"town": venue.town, "form": form, "venue": venue}
    return form_page(request, "venues/venue_form.html", context, form)


@require_POST
def retire_venue(request, town_slug, pk):
    """Take the venue out of use (its bookings from now on are cancelled)."""
    venue = _managed_venue(request, town_slug, pk)
    if carry_out(request, services.retire_venue, venue=venue, actor=request.user):
        messages.success(
            request,
            _("%(venue)s is no longer in use; its bookings from now on are cancelled.")
            % {"venue": venue.name},
        )
        return redirect("venues:venue_list", venue.town.slug)
    return redirect(venue.get_absolute_url())
