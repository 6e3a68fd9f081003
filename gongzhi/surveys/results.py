"""The results of a survey, question by question.

For a choice question each option's count and its share of the people who answered
that question (a multiple-choice question's shares can add up to more than 100 %);
for a 1–5 scale the count of each value and the average; for free text the answers
themselves, without their authors. ``summarize`` reads the survey in three queries
however many responses it has; ``tally`` is pure, so its arithmetic is tested alone.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from .models import Answer, QuestionKind, Survey

SCALE_VALUES = [1, 2, 3, 4, 5]
# The page lists this many text answers per question; the exports have them all.
TEXT_SHOWN = 200


def percent(count: int, total: int) -> Decimal:
    """``count`` of ``total`` in per cent, to one decimal (0 when total is 0)."""
    if not total:
        return Decimal("0.0")
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: Decimal


@dataclass
class QuestionResult:
    question: object
    number: int
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: Decimal | None = None
    texts: list[str] = field(default_factory=list)
    text_count: int = 0

    @property
    def chart_id(self) -> str:
        return f"survey-chart-{self.question.pk}"

    @property
    def chart(self) -> dict:
        """What static/js/survey-charts.js draws (read from a json_script element)."""
        return {
            "labels": [bar.label for bar in self.bars],
            "counts": [bar.count for bar in self.bars],
        }

    @property
    def texts_hidden(self) -> int:
        return self.text_count - len(self.texts)


@dataclass
class SurveyResults:
    response_count: int
    questions: list[QuestionResult]
    # Responses staff recorded from residents' paper forms (counted in response_count).
    paper_count: int = 0


def tally(question, number: int, answers) -> QuestionResult:
    """The result of one question from its answers (objects or rows with ``choices``,
    ``scale`` and ``text``)."""
    result = QuestionResult(question=question, number=number)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        counts = [0] * len(question.options)
        for answer in answers:
            chosen = [i for i in answer.choices or [] if 0 <= i < len(counts)]
            if chosen:
                result.answered += 1
            for index in chosen:
                counts[index] += 1
        result.bars = [
            Bar(label, count, percent(count, result.answered))
            for label, count in zip(question.options, counts, strict=True)
        ]
    elif question.kind == QuestionKind.SCALE:
        counts = dict.fromkeys(SCALE_VALUES, 0)
        for answer in answers:
            if answer.scale in counts:
                counts[answer.scale] += 1
        result.answered = sum(counts.values())
        result.bars = [
            Bar(str(value), count, percent(count, result.answered))
            for value, count in counts.items()
        ]
        if result.answered:
            total = sum(value * count for value, count in counts.items())
            result.average = (Decimal(total) / result.answered).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
    else:
        texts = [answer.text for answer in answers if answer.text]
        result.answered = result.text_count = len(texts)
        result.texts = texts[:TEXT_SHOWN]
    return result


def summarize(survey: Survey) -> SurveyResults:
    """Every question's result; the queries do not grow with the responses."""
    questions = list(survey.questions.order_by("order"))
    by_question = {question.pk: [] for question in questions}
    rows = (
        Answer.objects.filter(response__survey=survey)
        .order_by("response__submitted_at", "response_id")
        .only("question_id", "choices", "scale", "text")
    )
    for answer in rows.iterator(chunk_size=2000):
        by_question.setdefault(answer.question_id, []).append(answer)
    counts = survey.responses.aggregate(
        all=Count("pk"), paper=Count("pk", filter=Q(paper_recorded_at__isnull=False))
    )
    return SurveyResults(
        response_count=counts["all"],
        paper_count=counts["paper"],
        questions=[
            tally(question, number, by_question[question.pk])
            for number, question in enumerate(questions, start=1)
        ],
    )
