import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gongzhi.core.access import check_perm, get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.htmx import render_page
from gongzhi.core.scope import within_scope
from gongzhi.core.views import (
    attempt_submission,
    carry_out,
    error_page,
    form_page,
    submission_token,
)
from gongzhi.partners.forms import town_areas
from gongzhi.places.models import Town
from gongzhi.places.views import paginate
from gongzhi.venues.queries import bookable_venues

from . import formats, services
from .counting import participation
from .forms import ActivityForm, CancelActivityForm, PhotoForm, QuickCheckInForm, WalkInForm
from .models import Activity, ActivityKind, Attendance, Registration, RegistrationStatus


def _activity(town_slug, pk):
    return get_object_or_404(
        Activity.objects.select_related("town", "area", "organiser"), pk=pk, town__slug=town_slug
    )


def activity_list(request, town_slug):
    """Public activities of a town: upcoming first, or past ones with their figures."""
    town = get_object_or_404(Town, slug=town_slug)
    when = request.GET.get("when", "upcoming")
    activities = Activity.objects.public().filter(town=town).select_related("area").with_counts()
    now = timezone.now()
    if when == "past":
        activities = activities.filter(ends_at__lte=now).order_by("-starts_at", "pk")
    else:
        when = "upcoming"
        activities = activities.filter(ends_at__gt=now).order_by("starts_at", "pk")
    kind = request.GET.get("kind", "")
    if kind in ActivityKind.values:
        activities = activities.filter(kind=kind)
    page = paginate(request, activities)
    can_create = request.user.is_authenticated and request.user.has_perm(
        "events.create_activity", town
    )
    return render_page(
        request,
        "events/activity_list.html",
        {
            "town": town,
            "page": page,
            "when": when,
            "kind": kind,
            "kinds": ActivityKind.choices,
            "can_create": can_create,
        },
        partial="results",
    )


def activity_detail(request, town_slug, pk):
    activity = _activity(town_slug, pk)
    can_manage = request.user.has_perm("events.manage_activity", activity)
    # A draft, or a draft called off before it was published, was never public.
    never_public = activity.status == "draft" or activity.cancelled_as_draft
    if never_public and not can_manage:
        return error_page(request, 404, _("Page not found"), _("There is no page at this address."))
    registration = attendance = None
    if request.user.is_authenticated:
        registration = (
            activity.registrations.filter(user=request.user)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        attendance = activity.attendances.filter(user=request.user).first()
    figures = participation(Activity.objects.filter(pk=activity.pk))
    signed_up = activity.registrations.filter(status=RegistrationStatus.REGISTERED).aggregate(
        all=Count("pk"), paper=Count("pk", filter=Q(paper_recorded_at__isnull=False))
    )
    registered = signed_up["all"]
    return render(
        request,
        "events/activity_detail.html",
        {
            "town": activity.town,
            "activity": activity,
            "registration": registration,
            "attendance": attendance,
            "photos": activity.photos.all(),
            "figures": figures,
            "registered": registered,
            # Sign-ups staff recorded from residents' paper forms, shown as such.
            "paper_registered": signed_up["paper"],
            "places_left": None
            if activity.capacity is None
            else max(activity.capacity - registered, 0),
            "can_manage": can_manage,
            # The confirmation asked before cancelling (views_manage.cancel_activity).
            "cancel_form": CancelActivityForm(auto_id="id_cancel_%s") if can_manage else None,
            # Everyone may know when check-in at the door opens and closes.
            "checkin_window": services.checkin_window(activity),
        },
    )


@login_required
@require_POST
def register(request, town_slug, pk):
    activity = _activity(town_slug, pk)
    try:
        registration = services.register(activity=activity, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.warning(request, _("The activity is full: you are on the waiting list."))
        else:
            messages.success(request, _("You are signed up. See you there!"))
    return redirect(activity)


@login_required
@require_POST
def cancel_registration(request, town_slug, pk):
    activity = _activity(town_slug, pk)
    registration = get_object_or_404(
        Registration.objects.exclude(status=RegistrationStatus.CANCELLED),
        activity=activity,
        user=request.user,
    )
    if carry_out(
        request, services.cancel_registration, registration=registration, user=request.user
    ):
        messages.success(request, _("Your sign-up was cancelled."))
    return redirect(activity)


def create_activity(request, town_slug):
    town = get_checked(request, "events.create_activity", Town, slug=town_slug)
    areas = within_scope(town_areas(town), request.user, town, area_field="pk")
    # Town-wide activities are the secretariat's: area staff are not offered the choice
    # (the service refuses it too).
    form = ActivityForm(
        request.POST or None,
        town=town,
        areas=areas,
        town_wide=request.user.has_perm("places.manage_town", town),
        venues=bookable_venues(request.user, town),
    )
    if request.method == "POST" and form.is_valid():
        activity = attempt_submission(
            request,
            form,
            services.create_activity,
            town=town,
            **form.cleaned_data,
        )
        if activity is not None:
            messages.success(
                request, _("The activity was saved as a draft. Publish it when ready.")
            )
            return redirect(activity)
    return form_page(request, "events/activity_form.html", {"town": town, "form": form}, form)


def add_photo(request, town_slug, pk):
    """Organisers add a photo with its ledger facts (time, place, content, people,
    photographer)."""
    activity = _activity(town_slug, pk)
    check_perm(request, "events.manage_activity", activity)
    form = PhotoForm(
        request.POST or None,
        request.FILES or None,
        initial={"taken_at": activity.starts_at, "place": activity.venue},
    )
    if request.method == "POST" and form.is_valid():
        try:
            formats.add_activity_photo(
                activity=activity,
                actor=request.user,
                submission_token=submission_token(request),
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error("image", error.message)
        else:
            messages.success(request, _("The photo was added."))
            return redirect(activity)
    return form_page(
        request,
        "events/photo_form.html",
        {"town": activity.town, "activity": activity, "form": form},
        form,
    )


@require_POST
def publish(request, town_slug, pk):
    activity = _activity(town_slug, pk)
    check_perm(request, "events.manage_activity", activity)
    if carry_out(request, services.publish_activity, activity=activity, actor=request.user):
        messages.success(request, _("The activity is published."))
    return redirect(activity)


def checkin_screen(request, town_slug, pk):
    """The QR code to show at the venue; its code changes every few minutes, and the
    page fetches the new one by itself (htmx)."""
    activity = _activity(town_slug, pk)
    check_perm(request, "events.manage_activity", activity)
    window = services.checkin_window(activity)
    context = {"town": activity.town, "activity": activity, "window": window}
    # Outside the window there is no live code to show: the page says when check-in
    # opens (and keeps polling, so the code appears by itself when it does).
    if window.state == "open":
        token = services.checkin_token(activity)
        context["url"] = request.build_absolute_uri(
            reverse("events:checkin", args=[activity.town.slug, activity.pk, token])
        )
        context["qr"] = segno.make(context["url"], error="m").svg_data_uri(scale=10, border=2)
    context["figures"] = participation(Activity.objects.filter(pk=activity.pk))
    return render_page(request, "events/checkin_screen.html", context, partial="code")


def checkin(request, town_slug, pk, token):
    """Where the QR code leads: signed-in residents confirm, others give a name and a
    mobile number. Checking in is a POST, so opening the link changes nothing."""
    activity = _activity(town_slug, pk)
    try:
        services.check_token(activity, token)
    except DomainError as error:
        return error_page(request, 410, _("Check-in code not usable"), error.message)
    form = None if request.user.is_authenticated else QuickCheckInForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                _attendance, created = services.check_in_with_code(
                    activity=activity, token=token, user=request.user
                )
            elif form.is_valid():
                _attendance, created = services.quick_check_in(
                    activity=activity, token=token, **form.cleaned_data
                )
            else:
                created = None
        except DomainError as error:
            return error_page(request, 409, _("Check-in not possible"), error.message)
        if created is not None:
            return render(
                request,
                "events/checked_in.html",
                {"town": activity.town, "activity": activity, "created": created},
            )
    return render(
        request,
        "events/checkin.html",
        {
            "town": activity.town,
            "activity": activity,
            "form": form,
            # Outside the window the page says when check-in opens or that it has
            # closed, and offers no button that the service would refuse.
            "window": services.checkin_window(activity),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_safe
def roster(request, town_slug, pk):
    """The organiser's roster: sign-ups, attendance (check in / out) and head counts.
    Its forms post to their own URLs; a POST here (an old copy of the page) is
    refused, not ignored."""
    activity = _activity(town_slug, pk)
    check_perm(request, "events.manage_activity", activity)
    walk_in_form = WalkInForm()
    attendances = {a.user_id: a for a in activity.attendances.all()}
    registrations = list(
        activity.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .order_by("status", "created_at", "pk")
    )
    for registration in registrations:
        registration.attendance = attendances.get(registration.user_id)
    others = (
        activity.attendances.exclude(user__in=[r.user_id for r in registrations])
        .select_related("user")
        .order_by("checked_in_at")
    )
    claims = activity.hours_claims.filter(status="pending").select_related("user")
    return render(
        request,
        "events/roster.html",
        {
            "claims": claims,
            "town": activity.town,
            "activity": activity,
            "registrations": registrations,
            "others": others,
            "walk_ins": activity.walk_ins.order_by("recorded_at"),
            "walk_in_form": walk_in_form,
            "figures": participation(Activity.objects.filter(pk=activity.pk)),
            "window": services.checkin_window(activity, roster=True),
        },
    )


# The roster's actions, one URL each: each calls the service and shows the roster
# again, saying what happened.


def _roster_act(request, town_slug, pk, act):
    """One action of the roster: ``act(activity)`` calls the service."""
    activity = _activity(town_slug, pk)
    check_perm(request, "events.manage_activity", activity)
    if carry_out(request, act, activity=activity):
        messages.success(request, _("Saved."))
    return redirect("events:roster", activity.town.slug, activity.pk)


@require_POST
def roster_check_in(request, town_slug, pk):
    def act(activity):
        registration = get_object_or_404(
            Registration, pk=request.POST.get("registration"), activity=activity
        )
        services.check_in(
            activity=activity, user=registration.user, method="roster", recorded_by=request.user
        )

    return _roster_act(request, town_slug, pk, act)


@require_POST
def roster_check_out(request, town_slug, pk):
    def act(activity):
        attendance = get_object_or_404(
            Attendance, pk=request.POST.get("attendance"), activity=activity
        )
        services.check_out(attendance=attendance, actor=request.user)

    return _roster_act(request, town_slug, pk, act)


@require_POST
def roster_walk_ins(request, town_slug, pk):
    def act(activity):
        walk_in_form = WalkInForm(request.POST)
        if not walk_in_form.is_valid():
            raise DomainError(_("Count at least one person."))
        services.record_walk_ins(
            activity=activity,
            actor=request.user,
            submission_token=submission_token(request),
            **walk_in_form.cleaned_data,
        )

    return _roster_act(request, town_slug, pk, act)
