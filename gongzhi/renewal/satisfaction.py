"""Satisfaction results (获得感, 满意度): per project, over all projects, and the
comparison with the needs survey of the plan's first step.

Each project's survey has two 1–5 questions that the project names
(``gain_question``, ``satisfaction_question``); averages are over the answers to
those questions, and counts are responses (one per account).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from gongzhi.surveys.models import Answer, Response


def rounded(value) -> Decimal | None:
    """An average shown with one decimal (None when nobody answered)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Scores:
    gain: Decimal | None
    satisfaction: Decimal | None
    responses: int
    # How many answered 1, 2, … 5 to the satisfaction question.
    spread: list[int] = field(default_factory=lambda: [0] * 5)


def project_scores(project) -> Scores:
    """The project's two averages, its response count and the satisfaction spread."""
    if project.satisfaction_survey_id is None:
        return Scores(None, None, 0)
    averages = dict(
        Answer.objects.filter(
            question__in=[project.gain_question_id, project.satisfaction_question_id]
        )
        .values("question")
        .annotate(value=Avg("scale"))
        .values_list("question", "value")
    )
    spread = [0] * 5
    for scale, count in (
        Answer.objects.filter(question_id=project.satisfaction_question_id, scale__isnull=False)
        .values("scale")
        .annotate(n=Count("pk"))
        .values_list("scale", "n")
    ):
        spread[scale - 1] = count
    return Scores(
        gain=rounded(averages.get(project.gain_question_id)),
        satisfaction=rounded(averages.get(project.satisfaction_question_id)),
        responses=Response.objects.filter(survey_id=project.satisfaction_survey_id).count(),
        spread=spread,
    )


def overall_scores(projects) -> Scores:
    """Averages over every answer to the projects' satisfaction surveys (each
    response counts once, whichever project it is about)."""
    ids = projects.filter(satisfaction_survey__isnull=False).values_list(
        "gain_question", "satisfaction_question", "satisfaction_survey"
    )
    gain_ids, satisfaction_ids, survey_ids = [], [], []
    for gain, satisfaction, survey in ids:
        gain_ids.append(gain)
        satisfaction_ids.append(satisfaction)
        survey_ids.append(survey)
    if not survey_ids:
        return Scores(None, None, 0)
    gain = Answer.objects.filter(question__in=gain_ids).aggregate(v=Avg("scale"))["v"]
    satisfaction = Answer.objects.filter(question__in=satisfaction_ids).aggregate(v=Avg("scale"))[
        "v"
    ]
    return Scores(
        gain=rounded(gain),
        satisfaction=rounded(satisfaction),
        responses=Response.objects.filter(survey__in=survey_ids).count(),
    )


@dataclass
class ScaleAverage:
    """One 1–5 question of the needs survey: its text, average and answer count."""

    text: str
    average: Decimal | None
    answers: int


@dataclass
class NeedsComparison:
    """What the plan's first step heard, next to what the finished project heard."""

    survey_titles: list[str]
    needs: list[str]
    needs_responses: int
    satisfaction_responses: int
    # Accounts that answered both the needs survey and the satisfaction survey.
    answered_both: int
    # The needs surveys' 1–5 questions (how residents rated things before the
    # project), to read beside the satisfaction scores; in survey and question order.
    scales: list[ScaleAverage] = field(default_factory=list)


def _scale_averages(survey_ids) -> list[ScaleAverage]:
    """The 1–5 questions of ``survey_ids`` with their averages, in one query."""
    from gongzhi.surveys.models import Question, QuestionKind

    questions = (
        Question.objects.filter(survey__in=survey_ids, kind=QuestionKind.SCALE)
        .annotate(average=Avg("answers__scale"), answered=Count("answers__scale"))
        .order_by("survey__created_at", "survey_id", "order")
        .values_list("text", "average", "answered")
    )
    return [
        ScaleAverage(text=text, average=rounded(average), answers=answered)
        for text, average, answered in questions
    ]


def needs_comparison(project) -> NeedsComparison | None:
    """For a project from a plan whose step 1 linked a survey (None otherwise)."""
    if not project.process_id:
        return None
    from gongzhi.planning.models import Need, SurveyLink

    links = SurveyLink.objects.filter(run__process_id=project.process_id).select_related("survey")
    surveys = {link.survey_id: link.survey for link in links}
    if not surveys:
        return None
    # When step 1 ran again, its latest list replaces the earlier one (showing both
    # would repeat every need that was kept).
    latest = (
        Need.objects.filter(run__process_id=project.process_id)
        .order_by("-run__revision", "-run__opened_at", "-run_id")
        .values_list("run_id", flat=True)
        .first()
    )
    needs = list(
        Need.objects.filter(run_id=latest).order_by("order", "pk").values_list("text", flat=True)
    )
    needs_responses = Response.objects.filter(survey__in=surveys.keys())
    satisfaction_responses = Response.objects.none()
    answered_both = 0
    if project.satisfaction_survey_id:
        satisfaction_responses = Response.objects.filter(survey_id=project.satisfaction_survey_id)
        answered_both = (
            satisfaction_responses.filter(
                user__isnull=False,
                user__in=needs_responses.filter(user__isnull=False).values("user"),
            )
            .values("user")
            .distinct()
            .count()
        )
    return NeedsComparison(
        survey_titles=[survey.title for survey in surveys.values()],
        needs=needs,
        needs_responses=needs_responses.count(),
        satisfaction_responses=satisfaction_responses.count(),
        answered_both=answered_both,
        scales=_scale_averages(list(surveys)),
    )
