"""Forms of the project pages. They check the shape of the input (and offer only the
choices a user may make); the rules (which origin, which area, which status, the
budget, the photo's contents) stay in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.scope import within_scope
from gongzhi.core.validators import HAPPENED, PLANNED
from gongzhi.organisations.models import OrgUnit
from gongzhi.partners.models import Partner
from gongzhi.places.forms import area_choice
from gongzhi.places.models import ResidentialArea, Site

from .models import (
    MONEY_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    FundingSource,
    OriginKind,
    Phase,
    ProjectKind,
    ProjectStatus,
)
from .services import EARLIEST_DATE

# The browser's picker starts at the services' earliest date too (EARLIEST_DATE).
DATE = forms.DateInput(attrs={"type": "date", "min": EARLIEST_DATE.isoformat()}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "min": f"{EARLIEST_DATE.isoformat()}T00:00"},
    format="%Y-%m-%dT%H:%M",
)
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"
MAX_PARTNERS = 20
# Origins offered in the select, newest first: enough for a town's years of plans.
MAX_ORIGINS = 300


def _today():
    return timezone.localdate()


def date_field(label, *, plausible=PLANNED, **kwargs):
    """A date within the services' range (core.validators: PLANNED for plans, HAPPENED
    for what was done), so that a slip such as year 0001 or 9999 is a 400 on its field
    rather than a refusal of the whole form."""
    return forms.DateField(label=label, widget=DATE, validators=[plausible], **kwargs)


def money_field(label, **kwargs):
    return forms.DecimalField(
        label=label, max_digits=10, decimal_places=2, min_value=0, max_value=MONEY_MAX, **kwargs
    )


class ProjectFilterForm(forms.Form):
    area = area_choice(_("All areas"))
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        self.fields["area"].queryset = ResidentialArea.objects.choices_in(town)
        self.fields["kind"].choices = any_ + list(ProjectKind.choices)
        self.fields["status"].choices = any_ + list(ProjectStatus.choices)


# --- Creating and editing --------------------------------------------------------------


def eligible_origins(town, user) -> dict[str, list]:
    """The plans, proposals and contest entries of ``town`` that may become a project
    and that ``user`` works with (area staff: their own areas), newest first."""
    from gongzhi.contests.models import Entry
    from gongzhi.planning.models import PlanningProcess, ProcessStatus
    from gongzhi.proposals.models import Proposal, ProposalStatus

    processes = within_scope(
        PlanningProcess.objects.filter(town=town, status=ProcessStatus.COMPLETED), user, town
    ).select_related("area")
    proposals = within_scope(
        Proposal.objects.filter(town=town, status=ProposalStatus.ADOPTED), user, town
    ).select_related("area")
    entries = within_scope(
        Entry.objects.filter(contest__town=town, is_winner=True),
        user,
        town,
        area_field="site__area_id",
    ).select_related("contest", "site__area")
    return {
        OriginKind.PROCESS: list(processes.order_by("-completed_at", "-pk")[:MAX_ORIGINS]),
        OriginKind.PROPOSAL: list(proposals.order_by("-updated_at", "-pk")[:MAX_ORIGINS]),
        OriginKind.ENTRY: list(entries.order_by("-pk")[:MAX_ORIGINS]),
    }


def _origin_label(kind, origin) -> str:
    if kind == OriginKind.ENTRY:
        area = origin.site.area.name if origin.site and origin.site.area_id else ""
        return " · ".join(
            part for part in (origin.title, origin.team_name, origin.contest.title, area) if part
        )
    return f"{origin.title} · {origin.area.name}"


def town_sites(town, user):
    """Sites of the town's residential areas (area staff: of their own areas)."""
    sites = Site.objects.filter(town=town, area__isnull=False)
    return within_scope(sites, user, town).select_related("area").order_by("area__code", "name")


def town_partners(town):
    return Partner.objects.active().filter(town=town).by_pinyin()


class _DetailsForm(forms.Form):
    """The fields a project's creation and its editing share."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    description = forms.CharField(
        label=_("What will be built"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    budget = money_field(_("Budget (yuan)"))
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    contractor = forms.CharField(
        label=_("Contractor"),
        max_length=100,
        required=False,
        help_text=_("Needed before construction starts."),
    )
    planned_start = date_field(_("Planned start"))
    planned_end = date_field(_("Planned completion"))
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners (optional)"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = town_partners(town)
        # Formatted here, in the request's language (a lazy text formatted at import
        # would be fixed in the language active then).
        self.fields["partners"].help_text = _(
            "Active partners of the town; at most %(n)d. They may record progress and photos."
        ) % {"n": MAX_PARTNERS}

    def clean_partners(self):
        partners = self.cleaned_data["partners"]
        if len(partners) > MAX_PARTNERS:
            raise ValidationError(
                _("Choose at most %(n)d partners.") % {"n": MAX_PARTNERS}, code="too_many"
            )
        return list(partners)


class ProjectForm(_DetailsForm):
    """A new project: its origin (one select, grouped by kind), site and unit, and the
    details. Only origins and sites the user works with are offered."""

    origin = forms.ChoiceField(
        label=_("Comes from"),
        help_text=_("A completed plan, an adopted proposal or a winning contest entry."),
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        empty_label=_("Choose…"),
        help_text=_("A site of the residential area the origin belongs to."),
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=OrgUnit.objects.none(), empty_label=_("Choose…")
    )

    field_order = ["origin", "site", "kind", "title", "description", "responsible_unit"]

    def __init__(self, *args, town, user, **kwargs):
        super().__init__(*args, town=town, **kwargs)
        self.origins = {}
        groups = [("", _("— choose —"))]
        group_labels = {
            OriginKind.PROCESS: _("Completed plans"),
            OriginKind.PROPOSAL: _("Adopted proposals"),
            OriginKind.ENTRY: _("Winning contest entries"),
        }
        for kind, found in eligible_origins(town, user).items():
            options = []
            for origin in found:
                value = f"{kind}:{origin.pk}"
                self.origins[value] = (kind, origin)
                options.append((value, _origin_label(kind, origin)))
            if options:
                groups.append((group_labels[kind], options))
        self.fields["origin"].choices = groups
        self.fields["site"].queryset = town_sites(town, user)
        self.fields["site"].label_from_instance = lambda site: f"{site.area.name} · {site.name}"
        self.fields["responsible_unit"].queryset = OrgUnit.objects.filter(town=town).order_by(
            "kind", "name", "pk"
        )

    @property
    def has_origins(self) -> bool:
        return bool(self.origins)

    def preselect(self, kind: str, pk: int | None) -> None:
        """Start from ``?process=``, ``?proposal=`` or ``?entry=`` when it is offered;
        a contest entry also names its site, and the origin's title is a first title."""
        found = self.origins.get(f"{kind}:{pk}")
        if found is None:
            return
        _kind, origin = found
        self.initial["origin"] = f"{kind}:{pk}"
        self.initial.setdefault("title", origin.title[:TITLE_MAX])
        if kind == OriginKind.ENTRY and origin.site_id:
            self.initial.setdefault("site", origin.site_id)

    def clean_origin(self):
        value = self.cleaned_data["origin"]
        if value not in self.origins:
            raise ValidationError(_("Choose where the project comes from."), code="invalid")
        return self.origins[value]

    def service_arguments(self) -> dict:
        """The cleaned data as create_project takes it (the origin as its keyword)."""
        data = dict(self.cleaned_data)
        kind, origin = data.pop("origin")
        data[str(kind)] = origin
        return data


class EditProjectForm(_DetailsForm):
    """A project's details (its origin, site and unit stay as created)."""

    field_order = ["title", "kind", "description"]

    def __init__(self, *args, project, **kwargs):
        if not kwargs.get("data") and not args:
            kwargs.setdefault(
                "initial",
                {
                    "title": project.title,
                    "kind": project.kind,
                    "description": project.description,
                    "budget": project.budget,
                    "funding_source": project.funding_source,
                    "contractor": project.contractor,
                    "planned_start": project.planned_start,
                    "planned_end": project.planned_end,
                    "partners": [partner.pk for partner in project.partners.all()],
                },
            )
        super().__init__(*args, town=project.town, **kwargs)


# --- The workbench ---------------------------------------------------------------------


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=80)
    planned_start = date_field(_("Planned start"))
    planned_end = date_field(_("Planned end"))
    note = forms.CharField(
        label=pgettext_lazy("milestone", "Note (optional)"), max_length=200, required=False
    )


class MilestoneProgressForm(forms.Form):
    """The actual dates of one milestone (one form per open milestone, prefixed)."""

    actual_start = date_field(_("Started on"), plausible=HAPPENED)
    actual_end = date_field(
        _("Finished on"),
        plausible=HAPPENED,
        required=False,
        help_text=_("Leave empty while the work goes on."),
    )
    note = forms.CharField(
        label=pgettext_lazy("milestone", "Note (optional)"), max_length=200, required=False
    )


class SpendingForm(forms.Form):
    amount = money_field(_("Amount (yuan)"))
    spent_on = date_field(pgettext_lazy("spending", "Date"), plausible=HAPPENED)
    item = forms.CharField(label=pgettext_lazy("spending", "What for"), max_length=120)
    payee = forms.CharField(label=_("Paid to (optional)"), max_length=100, required=False)


class ApprovalForm(forms.Form):
    amount = money_field(_("Extra amount (yuan)"))
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    authority = forms.CharField(
        label=_("Approved by (meeting or document)"),
        max_length=120,
    )
    approved_on = date_field(_("Approved on"), plausible=HAPPENED)


class PhotoForm(forms.Form):
    """A ledger photo. Its contents (type, size) are checked, and it is re-encoded
    without location data, by services.add_photo."""

    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    image = forms.FileField(
        label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT})
    )
    content = forms.CharField(label=_("What it shows"), max_length=200)
    taken_at = forms.DateTimeField(label=_("Taken at"), widget=DATETIME, validators=[HAPPENED])
    place = forms.CharField(label=_("Place"), max_length=120)
    people = forms.CharField(
        label=_("People in it (optional)"),
        max_length=200,
        required=False,
        help_text=_("Shown only to staff."),
    )
    photographer = forms.CharField(label=_("Photographer"), max_length=40)


class DateForm(forms.Form):
    """A transition that needs only its date (start construction, resume)."""

    on = date_field(pgettext_lazy("transition", "Date"), plausible=HAPPENED)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": _today()})
        super().__init__(*args, **kwargs)


class SuspendForm(DateForm):
    reason = forms.CharField(
        label=_("Reason for suspension"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the project's public page."),
    )

    field_order = ["reason", "on"]


class CompleteForm(forms.Form):
    result = forms.CharField(
        label=_("What was built"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published on the project's page with the cost and the dates."),
    )
    completed_on = date_field(_("Completed on"), plausible=HAPPENED)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"completed_on": _today()})
        super().__init__(*args, **kwargs)


class MaintenanceForm(DateForm):
    maintained_by = forms.CharField(
        label=_("Maintained by"),
        max_length=100,
        # Shown on the public page unmasked, so it should name no private person.
        help_text=_("A unit or group, not a person's name: it is shown on the public page."),
    )

    field_order = ["maintained_by", "on"]
