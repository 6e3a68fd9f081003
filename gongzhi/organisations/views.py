from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.access import check_perm, get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.views import attempt, carry_out, form_page
from gongzhi.partners.forms import MatchForm
from gongzhi.partners.matching import rank_partners
from gongzhi.places.models import Town

from . import services
from .forms import AddMemberForm, TeamForm
from .models import Membership, OrgUnit, UnitKind


def _current_member_count():
    today = timezone.localdate()
    return Count(
        "memberships",
        filter=Q(memberships__start_date__lte=today)
        & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gt=today)),
    )


def chart(request, town_slug):
    """The organisation chart: 1 secretariat, 5 committees, n teams."""
    town = get_object_or_404(Town, slug=town_slug)
    units = list(
        OrgUnit.objects.filter(town=town)
        .annotate(member_count=_current_member_count())
        .select_related("town", "leader")
        .order_by("kind", "mode", "name_sort", "name")
    )
    secretariat = next((u for u in units if u.kind == UnitKind.SECRETARIAT), None)
    committees = [u for u in units if u.kind == UnitKind.COMMITTEE]
    teams = [u for u in units if u.kind == UnitKind.TEAM]
    # Teams hang under their committee when they have one, else under the secretariat.
    for committee in committees:
        committee.teams = [t for t in teams if t.parent_id == committee.pk]
    loose_teams = [t for t in teams if t.parent_id not in {c.pk for c in committees}]
    return render(
        request,
        "organisations/chart.html",
        {
            "town": town,
            "secretariat": secretariat,
            "committees": committees,
            "loose_teams": loose_teams,
            "team_count": len(teams),
            "can_create_team": request.user.has_perm("organisations.create_team", town),
        },
    )


def unit_detail(request, town_slug, pk):
    unit = get_object_or_404(
        OrgUnit.objects.select_related("town", "parent", "leader").prefetch_related("areas"),
        pk=pk,
        town__slug=town_slug,
    )
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(unit=unit)
        .select_related("partner", "partner__area", "partner__user")
        .order_by("end_date", "role", "partner__name_sort", "partner__name", "pk")
    )
    current = [m for m in memberships if m.end_date is None or m.end_date > today]
    past = [m for m in memberships if m.end_date is not None and m.end_date <= today]
    can_manage = request.user.has_perm("organisations.manage_members", unit)
    for m in current + past:
        m.show_contact = can_manage or request.user.has_perm("partners.view_contact", m.partner)
    children = unit.children.annotate(member_count=_current_member_count()).order_by(
        "kind", "name_sort", "name"
    )
    match_form = MatchForm(town=unit.town, initial={"modes": [unit.mode] if unit.mode else []})
    return render(
        request,
        "organisations/unit.html",
        {
            "town": unit.town,
            "unit": unit,
            "current": current,
            "past": past,
            "children": children,
            "can_manage": can_manage,
            "match_form": match_form,
        },
    )


def unit_match(request, town_slug, pk):
    """Ranked suggestions of partners to add to a unit (htmx panel on the unit page)."""
    unit = get_checked(
        request,
        "organisations.manage_members",
        OrgUnit.objects.select_related("town"),
        pk=pk,
        town__slug=town_slug,
    )
    form = MatchForm(request.GET or None, town=unit.town)
    matches = None
    if form.is_valid():
        current_ids = unit.memberships.current().values_list("partner_id", flat=True)
        matches = rank_partners(form.need(town_id=unit.town_id, exclude_partner_ids=current_ids))
    return form_page(
        request,
        "organisations/unit_match.html",
        {
            "town": unit.town,
            "unit": unit,
            "form": form,
            "matches": matches,
            "add_url": reverse("organisations:add_member", args=[unit.town.slug, unit.pk]),
        },
        form,
        partial="results",
    )


@require_POST
def add_member(request, town_slug, pk):
    unit = get_checked(
        request,
        "organisations.manage_members",
        OrgUnit.objects.select_related("town"),
        pk=pk,
        town__slug=town_slug,
    )
    form = AddMemberForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            membership = services.add_member(
                unit=unit,
                partner=form.cleaned_data["partner"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s joined %(unit)s.")
                % {"name": membership.partner.name, "unit": unit.name},
            )
    else:
        messages.error(request, _("Choose a partner of this town and a role."))
    return redirect(unit)


@require_POST
def end_membership(request, town_slug, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("unit", "unit__town", "partner"),
        pk=pk,
        unit__town__slug=town_slug,
    )
    check_perm(request, "organisations.manage_members", membership.unit)
    if carry_out(request, services.end_membership, membership=membership, actor=request.user):
        messages.success(request, _("The membership has ended; it stays in the history."))
    return redirect(membership.unit)


def create_team(request, town_slug):
    town = get_checked(request, "organisations.create_team", Town, slug=town_slug)
    form = TeamForm(request.POST or None, town=town)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = attempt(
            form,
            services.create_team,
            town=town,
            actor=request.user,
            name=data["name"],
            basis=data["basis"],
            leader=data["leader"],
            group_name=data["group_name"],
            areas=data["areas"],
            description=data["description"],
        )
        if team is not None:
            messages.success(request, _("The team %(name)s was formed.") % {"name": team.name})
            return redirect(team)
    return form_page(request, "organisations/team_form.html", {"town": town, "form": form}, form)
