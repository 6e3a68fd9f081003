from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.places.forms import area_choice

from .models import MAX_OPTIONS, QUESTION_MAX, TEXT_ANSWER_MAX, QuestionKind


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    area = area_choice(_("Town-wide"))
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you ask, how long it takes, and what happens with the answers."),
    )
    allows_anonymous = forms.BooleanField(
        label=_("Residents may answer without an account (one answer per phone)"),
        required=False,
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=QUESTION_MAX)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].help_text = _(
            "For single and multiple choice: one option a line, 2 to %(max)d."
        ) % {"max": MAX_OPTIONS}

    def clean_options(self):
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


SCALE_CHOICES = [
    ("1", _("1 · least")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 · most")),
]


def field_name(question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per question, named q<pk>: radios for single choice and the scale,
    checkboxes for multiple choice, a text box for free text. The service checks the
    answers again; this form only turns the posted strings into values."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            label = f"{number}. {question.text}"
            options = [(str(i), option) for i, option in enumerate(question.options)]
            common = {"label": label, "required": question.required}
            if question.kind == QuestionKind.SINGLE:
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose any that apply."),
                    **common,
                )
            elif question.kind == QuestionKind.SCALE:
                field = forms.ChoiceField(choices=SCALE_CHOICES, widget=forms.RadioSelect, **common)
            else:
                field = forms.CharField(
                    max_length=TEXT_ANSWER_MAX,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    **common,
                )
            self.fields[field_name(question)] = field

    def answers(self) -> dict[int, object]:
        """Question pk → the value the service expects."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if question.kind == QuestionKind.MULTIPLE:
                values[question.pk] = [int(v) for v in value or []]
            elif question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
                values[question.pk] = int(value) if value not in (None, "") else None
            else:
                values[question.pk] = value or ""
        return values
