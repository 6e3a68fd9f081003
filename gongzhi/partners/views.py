import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gongzhi.core.access import check_perm, get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.pagecache import kept_per_person
from gongzhi.core.scope import user_scope, within_scope
from gongzhi.core.views import attempt, error_page, form_page, qr_svg
from gongzhi.places.models import ResidentialArea, Town
from gongzhi.places.views import paginate

from . import services
from .forms import (
    AcceptForm,
    ApplicationForm,
    DeclineForm,
    DirectoryFilterForm,
    EditApplicationForm,
    ManagePartnerForm,
    MatchForm,
    MoreInfoForm,
    PartnerProfileForm,
    RecommendForm,
)
from .matching import rank_partners
from .models import Application, ApplicationStatus, Partner, Recommendation
from .profile import sections_for


def _town(town_slug):
    return get_object_or_404(Town, slug=town_slug)


# --- Residents ----------------------------------------------------------------------


def _application_sent(request, application):
    """After applying: a visitor is now logged in to their new account, and everyone
    lands on the page where the secretariat's answer will appear."""
    if not request.user.is_authenticated:
        login(
            request,
            application.applicant,
            backend="allauth.account.auth_backends.AuthenticationBackend",
        )
    messages.success(
        request, _("Thank you! Your application was sent. The secretariat will reply here.")
    )
    return redirect("partners:my_applications")


def apply(request, town_slug):
    """Online recruitment: anyone may apply, on a phone, logged in or not."""
    town = _town(town_slug)
    form = ApplicationForm(request.POST or None, town=town, user=request.user)
    if request.method == "POST" and form.is_valid():
        application = attempt(
            form, services.submit_application, town=town, user=request.user, **form.service_fields()
        )
        if application is not None:
            return _application_sent(request, application)
    return form_page(request, "partners/apply.html", {"town": town, "form": form}, form)


def apply_qr(request, town_slug):
    town = _town(town_slug)
    url = request.build_absolute_uri(reverse("partners:apply", args=[town.slug]))
    return qr_svg(url, filename=f"apply-{town.slug}-qr.svg")


@login_required
def my_applications(request):
    applications = (
        Application.objects.filter(applicant=request.user)
        .select_related("town", "area", "partner")
        .order_by("-created_at")
    )
    return render(request, "partners/my_applications.html", {"applications": applications})


@login_required
def edit_application(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("town"), pk=pk, applicant=request.user
    )
    if application.status != ApplicationStatus.MORE_INFO:
        return error_page(
            request, 409, _("Cannot be changed"), _("This application cannot be changed now.")
        )
    initial = {
        "name": application.name,
        "area": application.area_id,
        "profession": application.profession,
        "skills": ", ".join(s.name for s in application.skills.all()),
        "modes": application.modes_wanted,
        "party_status": application.party_status,
        "availability": application.availability,
        "motivation": application.motivation,
    }
    form = EditApplicationForm(request.POST or None, town=application.town, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = attempt(
            form,
            services.update_application,
            application=application,
            user=request.user,
            **form.service_fields(),
        )
        if updated is not None:
            messages.success(request, _("Your application was sent again."))
            return redirect("partners:my_applications")
    return form_page(
        request,
        "partners/edit_application.html",
        {"application": application, "form": form},
        form,
    )


def recommendation(request, token):
    """The one-time link a recommended resident opens: they apply themselves."""
    try:
        rec = services.recommendation_for_token(token)
    except DomainError as error:
        return error_page(request, 410, _("Link not usable"), error.message)
    form = ApplicationForm(
        request.POST or None,
        town=rec.town,
        user=request.user,
        initial={"name": rec.name, "phone": rec.phone, "area": rec.area_id},
    )
    if request.method == "POST" and form.is_valid():
        application = attempt(
            form,
            services.confirm_recommendation,
            token=token,
            user=request.user,
            **form.service_fields(),
        )
        if application is not None:
            return _application_sent(request, application)
    return form_page(
        request,
        "partners/recommendation.html",
        {"rec": rec, "town": rec.town, "form": form},
        form,
    )


# --- Talent pool --------------------------------------------------------------------


@kept_per_person
def directory(request, town_slug):
    """The talent pool (资源库): everyone may browse; contacts masked unless allowed."""
    town = _town(town_slug)
    form = DirectoryFilterForm(request.GET or None, town=town)
    partners = Partner.objects.active().filter(town=town).for_directory().by_pinyin()
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"]
            partners = partners.filter(
                Q(name__icontains=q) | Q(profession__icontains=q) | Q(skills__name__icontains=q)
            )
        if data["mode"]:
            partners = partners.filter(modes__mode=data["mode"])
        if data["area"]:
            partners = partners.filter(area=data["area"])
        if data["skill"]:
            partners = partners.filter(skills__name__iexact=data["skill"].strip())
        if data["profession"]:
            partners = partners.filter(profession__icontains=data["profession"])
        if data["party"]:
            partners = partners.filter(party_status=data["party"])
        if data["slot"]:
            partners = partners.filter(**{data["slot"]: True})
        partners = partners.distinct()
    page = paginate(request, partners)
    for partner in page:
        partner.show_contact = request.user.has_perm("partners.view_contact", partner)
    return form_page(
        request,
        "partners/directory.html",
        {"town": town, "form": form, "page": page, "staff_links": _staff_links(request, town)},
        form,
        partial="results",
    )


def _staff_links(request, town) -> list[dict]:
    """The talent-pool tools this user may use in this town."""
    tools = [
        ("partners.review", "partners:review_queue", _("Applications to review")),
        ("partners.recommend_in_town", "partners:recommend", _("Recommend a resident")),
        ("partners.see_recommendations", "partners:recommendations", _("Recommendations")),
        ("partners.match", "partners:match", _("Find partners for a job")),
        ("partners.export_roster", "partners:roster_export", _("Download the partner roster")),
        ("partners.import", "partners:import", _("Import applications from Excel")),
    ]
    user = request.user
    return [
        {"url": reverse(name, args=[town.slug]), "label": label}
        for perm, name, label in tools
        if user.is_authenticated and user.has_perm(perm, town)
    ]


def edit_partner(request, town_slug, pk):
    """A partner updates their own profession, skills and availability."""
    partner = get_checked(
        request,
        "partners.edit_profile",
        Partner.objects.select_related("town"),
        pk=pk,
        town__slug=town_slug,
    )
    form = PartnerProfileForm(
        request.POST or None,
        initial={
            "profession": partner.profession,
            "skills": ", ".join(s.name for s in partner.skills.all()),
            "availability": partner.availability,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            services.update_partner_profile,
            partner=partner,
            actor=request.user,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("Your details were saved."))
            return redirect(partner)
    return form_page(
        request,
        "partners/partner_form.html",
        {
            "town": partner.town,
            "partner": partner,
            "form": form,
            "title": _("Edit my partner profile"),
        },
        form,
    )


def manage_partner(request, town_slug, pk):
    """The secretariat changes a partner's work modes or status."""
    partner = get_checked(
        request,
        "partners.manage",
        Partner.objects.select_related("town").prefetch_related("modes"),
        pk=pk,
        town__slug=town_slug,
    )
    form = ManagePartnerForm(
        request.POST or None,
        initial={
            "status": partner.status,
            "primary_mode": partner.primary_mode,
            "secondary_modes": partner.secondary_modes,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form, services.manage_partner, partner=partner, actor=request.user, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("The partner's record was updated."))
            return redirect(partner)
    return form_page(
        request,
        "partners/partner_form.html",
        {"town": partner.town, "partner": partner, "form": form, "title": _("Manage partner")},
        form,
    )


def partner_detail(request, town_slug, pk):
    partner = get_object_or_404(
        Partner.objects.for_directory().select_related("town"), pk=pk, town__slug=town_slug
    )
    context = {
        "town": partner.town,
        "partner": partner,
        "show_contact": request.user.has_perm("partners.view_contact", partner),
        "sections": sections_for(partner),
        "can_edit": request.user.has_perm("partners.edit_profile", partner),
        "can_manage": request.user.has_perm("partners.manage", partner),
    }
    return render(request, "partners/partner_detail.html", context)


# --- Staff --------------------------------------------------------------------------


def _recommendable_areas(request, town):
    areas = ResidentialArea.objects.filter(town=town).select_related("town").by_pinyin()
    if town.pk in user_scope(request.user).partner_towns:
        return areas  # a partner may recommend a neighbour anywhere in their town
    return within_scope(areas, request.user, town, area_field="pk")


def recommend(request, town_slug):
    """Community recommendation: staff or a partner names a resident; the resident
    gets a one-time link and nothing more happens until they apply through it."""
    town = get_checked(request, "partners.recommend_in_town", Town, slug=town_slug)
    areas = _recommendable_areas(request, town)
    form = RecommendForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        area = form.cleaned_data["area"]
        check_perm(request, "partners.recommend", area)
        recommended = attempt(
            form,
            services.recommend,
            town=town,
            area=area,
            actor=request.user,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            reason=form.cleaned_data["reason"],
        )
        if recommended is not None:
            rec, token = recommended
            link = request.build_absolute_uri(reverse("partners:recommendation", args=[token]))
            qr = segno.make(link, error="m").svg_data_uri(scale=6, border=2)
            # The link is shown once: only its hash is stored.
            return render(
                request,
                "partners/recommend_done.html",
                {"town": town, "rec": rec, "link": link, "qr": qr},
            )
    return form_page(request, "partners/recommend.html", {"town": town, "form": form}, form)


def recommendation_list(request, town_slug):
    town = get_checked(request, "partners.see_recommendations", Town, slug=town_slug)
    recs = within_scope(
        Recommendation.objects.filter(town=town).select_related("area", "recommended_by"),
        request.user,
        town,
    )
    page = paginate(request, recs.order_by("-created_at", "-pk"))
    return render(request, "partners/recommendations.html", {"town": town, "page": page})


def review_queue(request, town_slug):
    town = get_checked(request, "partners.review", Town, slug=town_slug)
    status = request.GET.get("status", "open")
    applications = (
        Application.objects.filter(town=town).select_related("area").prefetch_related("skills")
    )
    if status == "open":
        applications = applications.open()
    elif status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    else:
        status = "all"
    page = paginate(request, applications.order_by("created_at", "pk"))
    return render(
        request,
        "partners/review_queue.html",
        {"town": town, "page": page, "status": status, "statuses": ApplicationStatus.choices},
    )


# The review page shows one form per decision; each posts to its own URL and small
# POST view, which calls the service. A form that fails (or a decision the service
# refuses) shows the page again with that form bound and its errors: 400.


def _reviewed(request, town_slug, pk):
    town = get_checked(request, "partners.review", Town, slug=town_slug)
    application = get_object_or_404(
        Application.objects.select_related("area", "applicant", "decided_by", "recommendation"),
        pk=pk,
        town=town,
    )
    return town, application


def _review_forms(application, key=None, data=None):
    """The review page's forms; the one of ``key`` bound to ``data``."""

    def bound(name):
        return data if name == key else None

    wanted = application.modes_wanted
    return {
        "accept": AcceptForm(
            bound("accept"),
            # Every wanted mode is ticked, so choosing another primary drops none of
            # them; the service ignores the primary when it is ticked here too.
            initial={"primary_mode": wanted[0] if wanted else None, "secondary_modes": wanted},
        ),
        "decline": DeclineForm(bound("decline")),
        "more_info": MoreInfoForm(bound("more_info")),
    }


def _review_page(request, town, application, forms):
    bound_errors = any(f.is_bound and f.errors for f in forms.values())
    return render(
        request,
        "partners/review_application.html",
        {"town": town, "application": application, "forms": forms},
        status=400 if bound_errors else 200,
    )


@require_safe
def review_application(request, town_slug, pk):
    """The secretariat's page of an application. Its forms post to their own URLs; a
    POST here (an old copy of the page) is refused, not ignored."""
    town, application = _reviewed(request, town_slug, pk)
    return _review_page(request, town, application, _review_forms(application))


def _review_act(request, town_slug, pk, key, act):
    """One decision of the review page: ``act(application, data)`` calls the service
    and returns the message to show."""
    town, application = _reviewed(request, town_slug, pk)
    forms = _review_forms(application, key, request.POST)
    form = forms[key]
    if form.is_valid():
        done = attempt(form, act, application=application, data=form.cleaned_data)
        if done is not None:
            messages.success(request, done)
            return redirect("partners:review_queue", town.slug)
    return _review_page(request, town, application, forms)


@require_POST
def accept_application(request, town_slug, pk):
    def act(application, data):
        partner = services.accept_application(
            application=application,
            actor=request.user,
            primary_mode=data["primary_mode"],
            secondary_modes=data["secondary_modes"],
        )
        return _("%(name)s is now a community partner.") % {"name": partner.name}

    return _review_act(request, town_slug, pk, "accept", act)


@require_POST
def decline_application(request, town_slug, pk):
    def act(application, data):
        services.decline_application(
            application=application, actor=request.user, reason=data["reason"]
        )
        return _("The application was declined; the applicant is told.")

    return _review_act(request, town_slug, pk, "decline", act)


@require_POST
def ask_applicant(request, town_slug, pk):
    def act(application, data):
        services.request_more_info(
            application=application, actor=request.user, question=data["question"]
        )
        return _("Your question was sent to the applicant.")

    return _review_act(request, town_slug, pk, "more_info", act)


def match(request, town_slug):
    """Find partners for a job, ranked with the reasons (staff)."""
    town = get_checked(request, "partners.match", Town, slug=town_slug)
    form = MatchForm(request.GET or None, town=town)
    matches = None
    if form.is_valid():
        matches = rank_partners(form.need(town_id=town.pk))
    return form_page(
        request,
        "partners/match.html",
        {"town": town, "form": form, "matches": matches},
        form,
        partial="results",
    )
