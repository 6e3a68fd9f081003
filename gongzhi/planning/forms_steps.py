"""Forms of the evidence pages: one per kind of evidence. They check the shape of
the input; the services in evidence_services.py check the state and the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.validators import HAPPENED
from gongzhi.events.models import Activity
from gongzhi.meetings.models import Meeting, Motion
from gongzhi.partners.models import Partner
from gongzhi.surveys.models import Survey

from .files import ACCEPT
from .models import (
    ConsultationComment,
    DesignDraft,
    DraftComment,
    IntervieweeCategory,
    JointDecision,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


def _drafts(process):
    return DesignDraft.objects.filter(process=process).order_by("-version")


class SurveyLinkForm(forms.Form):
    survey = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Survey.objects.none(), empty_label=_("Choose…")
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        # The area's own surveys: a town-wide one would count in every area's step 1.
        self.fields["survey"].queryset = Survey.objects.filter(
            town_id=process.town_id, area_id=process.area_id
        ).order_by("-pk")


class NeedForm(forms.Form):
    text = forms.CharField(label=_("A need from the survey"), max_length=200)


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT})
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    taken_on = forms.DateField(
        label=_("Taken on"), required=False, widget=DATE, validators=[HAPPENED]
    )


class InterviewForm(forms.Form):
    category = forms.ChoiceField(label=_("Interviewee"), choices=IntervieweeCategory.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DATE, validators=[HAPPENED])
    notes = forms.CharField(
        label=_("Notes (team only)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Seen only by the team and the area's staff."),
    )
    summary = forms.CharField(
        label=_("Public summary (no names)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public plan page: no names or phone numbers (and no addresses)."),
    )
    consent = forms.BooleanField(
        label=_("The interviewee consented to the record and to the use of its summary"),
        required=False,
    )


class DraftForm(forms.Form):
    file = forms.FileField(
        label=_("Design file"),
        help_text=_("An image (JPEG, PNG or WebP) or a PDF document."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Design description"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    author = forms.ModelChoiceField(
        label=_("Author (community partner)"), queryset=Partner.objects.none(), required=False
    )
    change_note = forms.CharField(
        label=_("What changed and why"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required from the second version on in steps 5, 7 and 9."),
    )
    answers_comments = forms.ModelMultipleChoiceField(
        label=_("Residents' comments it answers"),
        queryset=DraftComment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    answers_consultation = forms.ModelMultipleChoiceField(
        label=_("Consultation comments it answers"),
        queryset=ConsultationComment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    answers_votes = forms.BooleanField(label=_("It answers the dot votes"), required=False)

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = Partner.objects.filter(town_id=process.town_id).by_pinyin()
        comments = DraftComment.objects.filter(draft__process=process).order_by("pk")
        self.fields["answers_comments"].queryset = comments
        self.fields["answers_comments"].label_from_instance = lambda c: c.body[:80]
        consulted = ConsultationComment.objects.filter(consultation__run__process=process).order_by(
            "pk"
        )
        self.fields["answers_consultation"].queryset = consulted
        self.fields["answers_consultation"].label_from_instance = lambda c: c.body[:80]
        if not comments.exists():
            del self.fields["answers_comments"]
            del self.fields["answers_votes"]
        if not consulted.exists():
            del self.fields["answers_consultation"]


class ActivityLinkForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("Co-design workshop or World Café"), queryset=Activity.objects.none()
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            Activity.objects.filter(
                town_id=process.town_id,
                area_id=process.area_id,
                kind__in=["workshop", "world_cafe"],
            )
            .exclude(status="cancelled")
            .order_by("-starts_at")
        )


class MeetingLinkForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=pgettext_lazy("meeting kind", "Joint meeting"), queryset=Meeting.objects.none()
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(town_id=process.town_id, area_id=process.area_id, kind="joint")
            .exclude(status="cancelled")
            .order_by("-starts_at")
        )


class JointDecisionForm(forms.Form):
    motion = forms.ModelChoiceField(label=_("Deciding motion"), queryset=Motion.objects.none())
    decision = forms.ChoiceField(
        label=_("Decision"), choices=JointDecision.choices, widget=forms.RadioSelect
    )
    return_to = forms.TypedChoiceField(
        label=_("Back to step"), coerce=int, required=False, empty_value=None
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the plan is sent back."),
    )

    def __init__(self, *args, run, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = run.meeting_links.values_list("meeting_id", flat=True)
        self.fields["motion"].queryset = Motion.objects.filter(
            meeting_id__in=list(meetings), status="decided"
        ).order_by("pk")
        self.fields["motion"].label_from_instance = lambda m: (
            f"{m.text[:60]} · {m.get_result_display()}"
        )
        earlier = run.process.template.steps.filter(order__lt=run.step.order).order_by("order")
        self.fields["return_to"].choices = [("", "—")] + [
            (step.order, f"{step.order}. {step.display_title}") for step in earlier
        ]


class ConsultationForm(forms.Form):
    draft = forms.ModelChoiceField(
        label=_("Draft consulted on"), queryset=DesignDraft.objects.none()
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = _drafts(process)


class NoticeForm(forms.Form):
    draft = forms.ModelChoiceField(label=_("Final plan"), queryset=DesignDraft.objects.none())
    text = forms.CharField(
        label=_("Notice text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    starts_on = forms.DateField(label=_("Posted on"), widget=DATE)
    period_days = forms.IntegerField(label=_("Period (days)"), min_value=1, max_value=365)
    working_days = forms.BooleanField(label=_("Count working days"), required=False)
    online = forms.BooleanField(label=_("Published online"), required=False, initial=True)
    on_board = forms.BooleanField(label=_("Posted on the notice board"), required=False)

    def __init__(self, *args, process, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = _drafts(process)
        self.fields["period_days"].initial = max(step.min_days, 1)
        self.fields["working_days"].initial = step.working_days


class CommentForm(forms.Form):
    """A resident's comment on a draft or in the consultation, or an objection."""

    body = forms.CharField(
        label=pgettext_lazy("plan comment", "Your comment"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label


class ResultForm(forms.Form):
    text = forms.CharField(
        label=_("Result of the notice"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published once the notice period is over and every objection is answered."),
    )


class ReplyForm(forms.Form):
    """An official reply to one comment or objection (``target`` names which)."""

    target = forms.IntegerField(widget=forms.HiddenInput)
    reply = forms.CharField(
        label=_("Official reply"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
