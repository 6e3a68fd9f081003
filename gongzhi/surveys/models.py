"""Questionnaires and their responses: a building block.

Planning uses a survey as the evidence of its first step (社区调研) and renewal will
use one for residents' satisfaction; nothing here knows about either. A survey has
ordered questions (single choice, multiple choice, a 1–5 scale, free text; each
required or optional). Residents answer once: one response per account, or — when the
survey allows anonymous answers — one per device token (a random value kept in a
cookie), since older residents often answer without an account.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import area_link, person_link, town_link
from gongzhi.core.models import FromPaper, TimeStampedModel
from gongzhi.core.scope import Scoped

QUESTION_MAX = 200
OPTION_MAX = 60
TEXT_ANSWER_MAX = 1000
MAX_QUESTIONS = 50
MAX_OPTIONS = 12


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey status", "Open")
    CLOSED = "closed", pgettext_lazy("survey status", "Closed")


# Where a survey may go from each status: used by the services that open and close it
# and by the builder page that decides which buttons to show (DESIGN.md: one table
# per workflow). A closed survey's results stay as they are.
SURVEY_TRANSITIONS: dict[str, set[str]] = {
    SurveyStatus.DRAFT: {SurveyStatus.OPEN},
    SurveyStatus.OPEN: {SurveyStatus.CLOSED},
    SurveyStatus.CLOSED: set(),
}


class SurveyQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=SurveyStatus.DRAFT)

    def with_counts(self):
        return self.annotate(response_count=models.Count("responses", distinct=True))


class Survey(Scoped, TimeStampedModel):
    town = town_link(related_name="surveys")
    area = area_link(related_name="surveys", optional=True)
    title = models.CharField(_("title"), max_length=100)
    intro = models.TextField(_("introduction"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    allows_anonymous = models.BooleanField(
        _("residents may answer without an account"), default=False
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = person_link(_("created by"))

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey", args=[self.town.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN

    def may_become(self, status: str) -> bool:
        """Whether SURVEY_TRANSITIONS lets the survey go to ``status`` now."""
        return status in SURVEY_TRANSITIONS[self.status]


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale of 1 to 5")
    TEXT = "text", _("Free text")


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=QUESTION_MAX)
    required = models.BooleanField(_("required"), default=True)
    # The choices of a single- or multiple-choice question, in order.
    options = models.JSONField(_("options"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="question_order_unique")
        ]

    def __str__(self):
        return self.text


class Response(FromPaper, models.Model):
    """One person's answers to a survey: an account's, or an anonymous device's."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    user = person_link(
        _("respondent"), related_name="survey_responses", optional=True, on_delete=models.SET_NULL
    )
    device_token = models.CharField(_("device"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="one_response_per_account",
            ),
            models.UniqueConstraint(
                fields=["survey", "device_token"],
                condition=~Q(device_token=""),
                name="one_response_per_device",
            ),
        ]

    def __str__(self):
        return f"{self.survey_id} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    # The chosen option indexes (single: one; multiple: any), the scale value, or text.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    scale = models.PositiveSmallIntegerField(_("scale"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_ANSWER_MAX)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="answer_scale_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.question_id}"
