"""Pages for the formats of an activity: the partners involved (hosts, helpers,
speakers) with matching, the World Café page and the charity market page."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from gongzhi.core.access import check_perm
from gongzhi.core.htmx import render_page
from gongzhi.core.validators import validate_upload_size
from gongzhi.core.views import attempt_submission, carry_out, form_page
from gongzhi.organisations.models import OrgUnit
from gongzhi.partners.forms import MatchForm
from gongzhi.partners.matching import rank_partners
from gongzhi.partners.models import Partner

from . import formats
from .counting import participation
from .models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    CafeTable,
    MarketStall,
    OfferKind,
    PartnerRole,
    Round,
    TableNote,
    WorldCafe,
)


def _activity(request, town_slug, pk, perm="events.manage_activity"):
    activity = get_object_or_404(
        Activity.objects.select_related("town", "area"), pk=pk, town__slug=town_slug
    )
    check_perm(request, perm, activity)
    return activity


def _active_partners(town):
    return Partner.objects.active().filter(town=town).by_pinyin()


# --- Partners involved --------------------------------------------------------------


class HostMatchForm(MatchForm):
    """The matching search, for an activity's time (so no time field)."""

    role = forms.ChoiceField(
        label=pgettext_lazy("activity role", "Role"),
        choices=PartnerRole.choices,
        initial=PartnerRole.HOST,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["at"]

    def need(self, **kwargs):
        self.cleaned_data.setdefault("at", None)
        return super().need(**kwargs)


class AddPartnerForm(forms.Form):
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"), queryset=Partner.objects.none())
    role = forms.ChoiceField(
        label=pgettext_lazy("activity role", "Role"), choices=PartnerRole.choices
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = _active_partners(town)


def hosts(request, town_slug, pk):
    """The organisers' panel: partners involved, and a matching search to add more
    (loaded into the activity page by htmx; a page of its own without JavaScript)."""
    activity = _activity(request, town_slug, pk)
    involved = list(
        activity.partners.select_related("partner", "partner__area").order_by(
            "role", "partner__name_sort", "partner__name", "pk"
        )
    )
    form = HostMatchForm(
        request.GET if "role" in request.GET else None,
        town=activity.town,
        initial={"modes": formats.HOST_MODES, "area": activity.area_id, "role": PartnerRole.HOST},
    )
    matches = None
    if form.is_bound and form.is_valid():
        need = form.need(
            town_id=activity.town_id, exclude_partner_ids=[i.partner_id for i in involved]
        )
        need.at, need.until = activity.starts_at, activity.ends_at
        matches = rank_partners(need)
    target = request.htmx.target if request.htmx else None
    return form_page(
        request,
        "events/hosts.html",
        {
            "town": activity.town,
            "activity": activity,
            "involved": involved,
            "form": form,
            "matches": matches,
            "add_url": reverse("events:add_partner", args=[activity.town.slug, activity.pk]),
            "add_role": form.cleaned_data["role"] if matches is not None else PartnerRole.HOST,
        },
        form,
        partial="results" if target == "results" else "panel",
    )


@require_POST
def add_partner(request, town_slug, pk):
    activity = _activity(request, town_slug, pk)
    form = AddPartnerForm(request.POST, town=activity.town)
    if not form.is_valid():
        messages.error(request, _("Choose a partner of this town and a role."))
    else:
        if carry_out(
            request,
            formats.add_activity_partner,
            activity=activity,
            actor=request.user,
            **form.cleaned_data,
        ):
            messages.success(
                request, _("%(name)s was added.") % {"name": form.cleaned_data["partner"].name}
            )
    return redirect(activity)


@require_POST
def remove_partner(request, town_slug, pk, involved_pk):
    activity = _activity(request, town_slug, pk)
    involved = get_object_or_404(ActivityPartner, pk=involved_pk, activity=activity)
    formats.remove_activity_partner(involved=involved, actor=request.user)
    messages.success(request, _("%(name)s was taken off.") % {"name": involved.partner.name})
    return redirect(activity)


# --- World Café ---------------------------------------------------------------------


class CafeSetupForm(forms.Form):
    question_1 = forms.CharField(label=gettext_lazy("Question of round 1"), max_length=200)
    question_2 = forms.CharField(
        label=gettext_lazy("Question of round 2"), max_length=200, required=False
    )
    question_3 = forms.CharField(
        label=gettext_lazy("Question of round 3"), max_length=200, required=False
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes per round"), min_value=20, max_value=30, initial=25
    )
    tables = forms.IntegerField(
        label=gettext_lazy("Tables"),
        min_value=1,
        max_value=formats.MAX_TABLES,
        initial=4,
        help_text=gettext_lazy("4 to 5 people at each table, with a host who stays."),
    )


class HostForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Table host"), queryset=Partner.objects.none(), required=False
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = _active_partners(town)


class NoteForm(forms.Form):
    table = forms.ModelChoiceField(label=gettext_lazy("Table"), queryset=CafeTable.objects.none())
    round = forms.ModelChoiceField(label=gettext_lazy("Round"), queryset=Round.objects.none())
    text = forms.CharField(label=gettext_lazy("Notes"), max_length=2000, widget=forms.Textarea)
    photo = forms.FileField(
        label=gettext_lazy("Photo"),
        required=False,
        validators=[validate_upload_size],
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, cafe, tables, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].queryset = CafeTable.objects.filter(cafe=cafe)
        self.fields["table"].choices = [("", "---------")] + [(t.pk, t.label) for t in tables]
        self.fields["round"].queryset = Round.objects.filter(cafe=cafe)
        self.fields["round"].choices = [("", "---------")] + [
            (r.pk, _("Round %(n)d") % {"n": r.number}) for r in rounds
        ]


class ThemeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Theme"), max_length=100)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), max_length=2000, required=False, widget=forms.Textarea
    )
    notes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("From the notes"),
        queryset=TableNote.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, cafe, notes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].queryset = TableNote.objects.filter(table__cafe=cafe)
        self.fields["notes"].choices = [
            (n.pk, f"{n.table.label} · {_('Round %(n)d') % {'n': n.round.number}}: {n.text[:40]}")
            for n in notes
        ]


def _cafe_page(request, activity, *, status=200, **bound):
    can_manage = request.user.has_perm("events.manage_activity", activity)
    cafe = WorldCafe.objects.filter(activity=activity).first()
    context = {"town": activity.town, "activity": activity, "cafe": cafe, "can_manage": can_manage}
    if cafe is None:
        if can_manage:
            context["setup_form"] = bound.get("setup_form") or CafeSetupForm(prefix="setup")
        return render_page(request, "events/cafe.html", context, status=status)
    rounds = list(cafe.rounds.all())
    tables = list(cafe.tables.select_related("host_partner", "host_user"))
    notes = list(
        TableNote.objects.filter(table__cafe=cafe).select_related("table", "round", "written_by")
    )
    by_cell = {}
    for note in notes:
        by_cell.setdefault((note.table_id, note.round_id), []).append(note)
    for table in tables:
        table.rows = [(r, by_cell.get((table.pk, r.pk), [])) for r in rounds]
    themes = cafe.themes.prefetch_related(
        Prefetch("notes", queryset=TableNote.objects.select_related("table", "round"))
    )
    context.update(rounds=rounds, tables=tables, notes=notes, themes=themes)
    if can_manage:
        suggestions = [m.partner for m in formats.suggest_hosts(activity, limit=10)]
        context["host_suggestions"] = suggestions
        context["note_form"] = bound.get("note_form") or NoteForm(
            prefix="note", cafe=cafe, tables=tables, rounds=rounds
        )
        context["theme_form"] = bound.get("theme_form") or ThemeForm(
            prefix="theme", cafe=cafe, notes=notes
        )
    return render_page(request, "events/cafe.html", context, status=status)


def cafe(request, town_slug, pk):
    """The World Café of an activity: questions, tables and hosts, notes, harvest."""
    activity = _activity(request, town_slug, pk, perm="events.view_activity")
    if activity.kind != ActivityKind.WORLD_CAFE:
        return redirect(activity)
    return _cafe_page(request, activity)


def _cafe_of(request, town_slug, pk) -> tuple[Activity, WorldCafe]:
    activity = _activity(request, town_slug, pk)
    return activity, get_object_or_404(WorldCafe, activity=activity)


@require_POST
def cafe_setup(request, town_slug, pk):
    activity = _activity(request, town_slug, pk)
    if WorldCafe.objects.filter(activity=activity).exists():
        # Set up from a second tab or a resubmitted form: the page no longer shows the
        # set-up form, so whatever was posted, the answer is the refusal as a message.
        messages.error(request, _("This World Café is already set up."))
        return _cafe_page(request, activity, status=409)
    form = CafeSetupForm(request.POST, prefix="setup")
    if form.is_valid():
        data = form.cleaned_data
        done = attempt_submission(
            request,
            form,
            formats.set_up_world_cafe,
            activity=activity,
            questions=[data["question_1"], data["question_2"], data["question_3"]],
            tables=data["tables"],
            minutes=data["minutes"],
        )
        if done is not None:
            messages.success(request, _("The World Café is set up."))
            return redirect("events:cafe", activity.town.slug, activity.pk)
    return _cafe_page(request, activity, setup_form=form, status=400)


@require_POST
def cafe_host(request, town_slug, pk, table_pk):
    activity, cafe_ = _cafe_of(request, town_slug, pk)
    table = get_object_or_404(CafeTable, pk=table_pk, cafe=cafe_)
    form = HostForm(request.POST, town=activity.town, prefix=f"host-{table.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a partner of this town."))
    else:
        if carry_out(
            request,
            formats.set_table_host,
            table=table,
            actor=request.user,
            partner=form.cleaned_data["partner"],
        ):
            messages.success(request, _("Saved."))
    return redirect("events:cafe", activity.town.slug, activity.pk)


@require_POST
def cafe_note(request, town_slug, pk):
    activity, cafe_ = _cafe_of(request, town_slug, pk)
    rounds = list(cafe_.rounds.all())
    tables = list(cafe_.tables.all())
    form = NoteForm(
        request.POST, request.FILES, prefix="note", cafe=cafe_, tables=tables, rounds=rounds
    )
    if form.is_valid():
        note = attempt_submission(
            request,
            form,
            formats.record_table_note,
            **form.cleaned_data,
        )
        if note is not None:
            messages.success(request, _("The note is saved."))
            return redirect("events:cafe", activity.town.slug, activity.pk)
    return _cafe_page(request, activity, note_form=form, status=400)


@require_POST
def cafe_theme(request, town_slug, pk):
    activity, cafe_ = _cafe_of(request, town_slug, pk)
    notes = list(TableNote.objects.filter(table__cafe=cafe_).select_related("table", "round"))
    form = ThemeForm(request.POST, prefix="theme", cafe=cafe_, notes=notes)
    if form.is_valid():
        theme = attempt_submission(
            request,
            form,
            formats.add_harvest_theme,
            cafe=cafe_,
            **form.cleaned_data,
        )
        if theme is not None:
            messages.success(request, _("The theme is added to the harvest."))
            return redirect("events:cafe", activity.town.slug, activity.pk)
    return _cafe_page(request, activity, theme_form=form, status=400)


# --- Charity market -----------------------------------------------------------------


class StallForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Run by a unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("No unit"),
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Run by a partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=gettext_lazy("No partner"),
    )
    offer = forms.CharField(label=gettext_lazy("What is offered"), max_length=200)
    offer_kind = forms.ChoiceField(
        label=gettext_lazy("Offered as"), choices=OfferKind.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(town=town).order_by(
            "kind", "name_sort", "name"
        )
        self.fields["partner"].queryset = _active_partners(town)

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("partner")):
            raise forms.ValidationError(_("A stall is run either by a unit or by a partner."))
        return data


class RaisedForm(forms.Form):
    raised_amount = forms.DecimalField(
        label=gettext_lazy("Funds raised (yuan)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
    )
    items_raised = forms.CharField(
        label=gettext_lazy("Items raised"), max_length=200, required=False
    )


def _market_page(request, activity, *, status=200, stall_form=None):
    can_manage = request.user.has_perm("events.manage_activity", activity)
    stalls = list(MarketStall.objects.filter(activity=activity).select_related("unit", "partner"))
    totals = MarketStall.objects.filter(activity=activity).aggregate(
        raised=Sum("raised_amount"), stalls=Count("pk")
    )
    context = {
        "town": activity.town,
        "activity": activity,
        "stalls": stalls,
        "totals": totals,
        "with_items": sum(1 for s in stalls if s.items_raised),
        "figures": participation(Activity.objects.filter(pk=activity.pk)),
        "can_manage": can_manage,
    }
    if can_manage:
        context["stall_form"] = stall_form or StallForm(town=activity.town, prefix="stall")
        for stall in stalls:
            stall.raised_form = RaisedForm(
                prefix=f"raised-{stall.pk}",
                initial={"raised_amount": stall.raised_amount, "items_raised": stall.items_raised},
            )
    return render_page(request, "events/market.html", context, status=status)


def market(request, town_slug, pk):
    """A charity market: stalls, what they raised (added up from the stalls) and the
    head count at the door."""
    activity = _activity(request, town_slug, pk, perm="events.view_activity")
    if activity.kind != ActivityKind.CHARITY_MARKET:
        return redirect(activity)
    return _market_page(request, activity)


@require_POST
def market_stall(request, town_slug, pk):
    activity = _activity(request, town_slug, pk)
    form = StallForm(request.POST, town=activity.town, prefix="stall")
    if form.is_valid():
        stall = attempt_submission(
            request,
            form,
            formats.add_market_stall,
            activity=activity,
            **form.cleaned_data,
        )
        if stall is not None:
            messages.success(request, _("The stall is added."))
            return redirect("events:market", activity.town.slug, activity.pk)
    return _market_page(request, activity, stall_form=form, status=400)


@require_POST
def market_raised(request, town_slug, pk, stall_pk):
    activity = _activity(request, town_slug, pk)
    stall = get_object_or_404(MarketStall, pk=stall_pk, activity=activity)
    form = RaisedForm(request.POST, prefix=f"raised-{stall.pk}")
    if not form.is_valid():
        messages.error(request, _("Give the funds raised as an amount in yuan, 0 or more."))
    else:
        if carry_out(
            request,
            formats.record_stall_raised,
            stall=stall,
            actor=request.user,
            **form.cleaned_data,
        ):
            messages.success(request, _("Saved."))
    return redirect("events:market", activity.town.slug, activity.pk)
