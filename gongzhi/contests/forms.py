from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongzhi.partners.models import Partner
from gongzhi.places.models import Site

from .files import MAX_FILES, check_draft_file
from .models import Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ACCEPT = ".png,.jpg,.jpeg,.pdf,image/png,image/jpeg,application/pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DraftFilesField(forms.FileField):
    """Several design drafts at once; each checked by its content (files.py)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Design drafts"))
        kwargs.setdefault(
            "help_text",
            _("PNG or JPEG images or PDF documents, up to 10 files."),
        )
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Upload at most 10 files at a time."), code="too_many")
        errors, checked = [], []
        for file in files:
            single = super().clean(file, initial)
            try:
                check_draft_file(single)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                checked.append(single)
        if errors:
            raise ValidationError(errors)
        return checked


class ContestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("The call"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the contest asks for, who may enter and what the winners get."),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    submission_opens = forms.DateField(label=_("Submissions open"), widget=DATE)
    submission_closes = forms.DateField(label=_("Submissions close"), widget=DATE)
    early_review_on = forms.DateField(label=_("Early review"), widget=DATE)
    midterm_review_on = forms.DateField(label=_("Mid-term review"), widget=DATE)
    final_review_on = forms.DateField(label=_("Final review"), widget=DATE)
    public_vote_closes = forms.DateTimeField(label=_("Public vote closes"), widget=DATETIME)
    jury_weight = forms.IntegerField(
        label=_("Jury weight (%)"), min_value=0, max_value=100, initial=70
    )
    public_weight = forms.IntegerField(
        label=_("Public vote weight (%)"),
        min_value=0,
        max_value=100,
        initial=30,
        help_text=_("The two weights add up to 100 and are published with the call."),
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = (
            Site.objects.filter(town=town).select_related("area").order_by("area__code", "name")
        )

    def clean(self):
        data = super().clean()
        dates = [
            data.get(name)
            for name in [
                "submission_opens",
                "submission_closes",
                "early_review_on",
                "midterm_review_on",
                "final_review_on",
            ]
        ]
        if all(dates) and not (dates[0] <= dates[1] < dates[2] <= dates[3] <= dates[4]):
            raise ValidationError(
                _(
                    "The dates must follow each other: submissions open, submissions close, "
                    "then the early, mid-term and final reviews."
                )
            )
        jury, public = data.get("jury_weight"), data.get("public_weight")
        if jury is not None and public is not None and jury + public != 100:
            self.add_error(
                "public_weight", _("The jury and public vote weights must add up to 100.")
            )
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=60)
    max_points = forms.IntegerField(label=_("Maximum points"), min_value=1, max_value=100)
    description = forms.CharField(
        label=_("What the jury looks for"), max_length=200, required=False
    )


def stages_field():
    return forms.MultipleChoiceField(
        label=_("Stages judged"),
        choices=[(s, Stage(s).label) for s in Stage.reviews()],
        widget=forms.CheckboxSelectMultiple,
        initial=Stage.reviews(),
    )


class JudgeForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Community partner"), queryset=Partner.objects.none(), empty_label=_("Choose…")
    )
    stages = stages_field()

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = (
            Partner.objects.active().filter(town=town).order_by("name", "pk")
        )


class EntryForm(forms.Form):
    team_name = forms.CharField(label=_("Team name"), max_length=60)
    members = forms.CharField(
        label=_("Team members"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and roles; seen only by the secretariat."),
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), empty_label=_("Choose…")
    )
    title = forms.CharField(label=_("Title of the design"), max_length=100)
    description = forms.CharField(
        label=_("The idea"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = DraftFilesField()

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = contest.sites.select_related("area").order_by(
            "area__code", "name"
        )


class DraftsForm(forms.Form):
    files = DraftFilesField(label=_("Add design drafts"))


class ScoreForm(forms.Form):
    """One judge's points for one entry: a number per published criterion."""

    def __init__(self, *args, criteria, entry, **kwargs):
        kwargs.setdefault("prefix", f"e{entry.pk}")
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (0–{criterion.max_points})",
                min_value=0,
                max_value=criterion.max_points,
                help_text=criterion.description,
            )

    def points(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class AdvanceForm(forms.Form):
    keep = forms.MultipleChoiceField(
        label=_("Entries that go on"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, ranking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(str(row.entry.pk), row.label) for row in ranking]


class AwardForm(forms.Form):
    """An award title per finalist, in the order of the published combination."""

    def __init__(self, *args, ranking, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = [_("First prize"), _("Second prize"), _("Third prize")]
        for index, row in enumerate(ranking):
            self.fields[f"award_{row.entry.pk}"] = forms.CharField(
                label=row.label,
                max_length=30,
                required=False,
                initial=defaults[index] if index < len(defaults) else "",
            )

    def titles(self) -> dict[int, str]:
        return {
            int(name.removeprefix("award_")): value
            for name, value in self.cleaned_data.items()
            if value
        }
