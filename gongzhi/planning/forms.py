"""Forms of the process pages, the board, batch launch and templates. They check the
shape of the input; the rules (which area, which state, which step) stay in
services.py."""

from django import forms
from django.db.models import Q
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _

from gongzhi.organisations.models import OrgUnit, UnitKind
from gongzhi.partners.models import Partner
from gongzhi.places.forms import area_choice
from gongzhi.places.models import ResidentialArea, Site

from .models import REASON_MAX, ProcessStatus, TemplateStep, WorkflowTemplate

MAX_STEPS = 30


def town_areas(town):
    return ResidentialArea.objects.filter(town=town).by_pinyin()


def town_teams(town):
    return OrgUnit.objects.filter(town=town, kind=UnitKind.TEAM).order_by("name_sort", "name", "pk")


def town_templates(town):
    return WorkflowTemplate.objects.filter(Q(town=town) | Q(town__isnull=True)).order_by(
        "-is_default", "name", "-version"
    )


def step_choices():
    """The steps to filter by: the default template's titles (steps of a copied
    template keep their order numbers)."""
    titles = {
        step.order: step.display_title
        for step in TemplateStep.objects.filter(template__is_default=True).only(
            "order", "kind", "title_zh", "title_en"
        )
    }
    last = max([11, *titles])
    return [(str(n), f"{n}. {titles[n]}" if n in titles else str(n)) for n in range(1, last + 1)]


class ProcessFilterForm(forms.Form):
    area = area_choice(_("All areas"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    step = forms.TypedChoiceField(label=_("Current step"), required=False, coerce=int)

    statuses = [s for s in ProcessStatus.choices if s[0] != ProcessStatus.DRAFT]

    def __init__(self, *args, town, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else town_areas(town)
        self.fields["status"].choices = [("", _("Any"))] + list(self.statuses)
        self.fields["step"].choices = [("", _("Any"))] + step_choices()


class BoardFilterForm(ProcessFilterForm):
    statuses = list(ProcessStatus.choices)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class StartForm(forms.Form):
    area = area_choice(_("Choose…"), required=True)
    title = forms.CharField(label=_("Title"), max_length=100)
    template = forms.ModelChoiceField(
        label=_("Workflow template"),
        queryset=WorkflowTemplate.objects.none(),
        required=False,
        empty_label=_("The default template"),
    )
    team = forms.ModelChoiceField(
        label=_("Responsible team"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("No team yet"),
    )
    lead_partner = forms.ModelChoiceField(
        label=_("Lead partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("No lead partner yet"),
        help_text=_("Planning partners who fit best are suggested below the form."),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sites of the chosen residential area."),
    )

    def __init__(self, *args, town, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = town_areas(town)
        self.fields["template"].queryset = town_templates(town)
        self.fields["team"].queryset = town_teams(town)
        self.fields["lead_partner"].queryset = (
            Partner.objects.active().filter(town=town).by_pinyin()
        )
        sites = Site.objects.filter(town=town).select_related("area").order_by("area", "name")
        if area is not None:
            sites = sites.filter(area=area)
        self.fields["sites"].queryset = sites
        self.fields["sites"].label_from_instance = lambda site: f"{site.area.name} · {site.name}"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(ReasonForm):
    to_order = forms.TypedChoiceField(label=_("Back to step"), coerce=int)

    field_order = ["to_order", "reason"]

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_order"].choices = [
            (s.order, f"{s.order}. {s.display_title}") for s in steps
        ]


class TakeInForm(forms.Form):
    proposal = forms.ModelChoiceField(
        label=_("Adopted proposal of the area"), queryset=None, empty_label=None
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals


class CopyTemplateForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the copy"),
        max_length=80,
        # Required so that an empty POST copies nothing; the page fills in the
        # template's own name, which makes the copy its next version.
        help_text=_("Keep the name to make the next version, or give a new name."),
    )


class StepRuleForm(forms.ModelForm):
    class Meta:
        model = TemplateStep
        fields = ["title_zh", "title_en", "min_count", "min_days", "working_days", "expected_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Say what an empty name stands for: the standard name in that language.
        step = self.instance
        # Each name is marked with its language, for screen readers and for the page's
        # other-language readers.
        for field, language, tag in (("title_zh", "zh-hans", "zh-Hans"), ("title_en", "en", "en")):
            with translation.override(language):
                standard = step.standard_title
            self.fields[field].widget.attrs.update(placeholder=standard, lang=tag)
            self.fields[field].help_text = format_html(
                conditional_escape(_("Leave empty to use the standard name: %(name)s")).replace(
                    "%(name)s", "{}"
                ),
                format_html('<span lang="{}">{}</span>', tag, standard),
            )


class BatchForm(forms.Form):
    """The batch's title and template; the areas and their teams are read from the
    table of the page (``areas`` checkboxes and a ``team_<area>`` select per row)."""

    title = forms.CharField(label=_("Title of the batch"), max_length=100)
    template = forms.ModelChoiceField(
        label=_("Workflow template"),
        queryset=WorkflowTemplate.objects.none(),
        required=False,
        empty_label=_("The default template"),
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = town_templates(town)
