from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongzhi.core.images import clean_photo
from gongzhi.events.models import Activity
from gongzhi.meetings.models import Meeting
from gongzhi.places.models import ResidentialArea
from gongzhi.planning.models import PlanningProcess
from gongzhi.renewal.models import Project

from .models import BODY_MAX, CAPTION_MAX, REASON_MAX, SUMMARY_MAX, TITLE_MAX


class ArticleForm(forms.Form):
    """The article as its author writes it. Only records the public may see are
    offered as what it reports (the service checks again)."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    summary = forms.CharField(
        label=_("Summary"), max_length=SUMMARY_MAX, required=False,
        help_text=_("One or two sentences: shown in lists and on chat-app share cards."),
    )  # fmt: skip
    body = forms.CharField(
        label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text; leave an empty line between paragraphs."),
    )  # fmt: skip
    area = forms.ModelChoiceField(
        label=_("Residential area"), queryset=ResidentialArea.objects.none(), required=False,
        empty_label=_("The whole town"),
    )  # fmt: skip
    project = forms.ModelChoiceField(
        label=_("Micro-renewal project reported"), queryset=Project.objects.none(), required=False
    )
    activity = forms.ModelChoiceField(
        label=_("Activity reported"), queryset=Activity.objects.none(), required=False
    )
    process = forms.ModelChoiceField(
        label=_("Plan reported"), queryset=PlanningProcess.objects.none(), required=False
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting reported"), queryset=Meeting.objects.none(), required=False
    )
    photo = forms.ImageField(label=_("Add a photo"), required=False)
    caption = forms.CharField(label=_("Photo caption"), max_length=CAPTION_MAX, required=False)

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("project", "activity", "process", "meeting"):
            self.fields[name].empty_label = _("— none —")
        self.fields["area"].queryset = ResidentialArea.objects.filter(town=town).order_by("name")
        self.fields["project"].queryset = Project.objects.filter(town=town).order_by("title")
        self.fields["activity"].queryset = (
            Activity.objects.public().filter(town=town).order_by("-starts_at")
        )
        self.fields["process"].queryset = (
            PlanningProcess.objects.public().filter(town=town).order_by("title")
        )
        self.fields["meeting"].queryset = (
            Meeting.objects.public().filter(town=town).order_by("-starts_at")
        )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        try:
            return clean_photo(photo, name="article")
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is returned"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
