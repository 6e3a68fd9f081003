"""A survey's responses as a table (CSV and Excel) for the staff who run it, and a
resident's own answers in their personal-data export.

One row per response, one column per question; the only fact about the respondent
is the submission time (no account, name or device), so the files can travel.
"""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.accounts.exports import register_export_section
from gongzhi.core.ledgers import Column, Ledger, attachment_header, xlsx_download

from .models import QuestionKind, Response, Survey

LIST_SEPARATOR = "、"
# A spreadsheet would run a cell that starts with these as a formula: a resident's
# words must never run in a staff member's spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def answer_value(question, answer):
    """The answer as a spreadsheet shows it: option texts, the scale number, or text."""
    if answer is None:
        return ""
    if question.kind == QuestionKind.SCALE:
        return answer.scale
    if question.kind == QuestionKind.TEXT:
        return answer.text
    options = question.options
    return LIST_SEPARATOR.join(options[i] for i in answer.choices if 0 <= i < len(options))


def header(survey: Survey, questions) -> list[str]:
    return [
        pgettext("ledger column", "No."),
        _("Submitted at"),
        *[f"{number}. {question.text}" for number, question in enumerate(questions, start=1)],
    ]


def rows(survey: Survey, questions) -> Iterator[list]:
    """One list per response, oldest first, read in chunks."""
    responses = (
        Response.objects.filter(survey=survey)
        .order_by("submitted_at", "pk")
        .prefetch_related("answers")
        .iterator(chunk_size=500)
    )
    for number, response in enumerate(responses, start=1):
        answers = {answer.question_id: answer for answer in response.answers.all()}
        yield [
            number,
            timezone.localtime(response.submitted_at).replace(tzinfo=None, microsecond=0),
            *[answer_value(question, answers.get(question.pk)) for question in questions],
        ]


def _filename(survey: Survey, extension: str) -> tuple[str, str]:
    return f"{survey.title}.{extension}", f"survey-{survey.pk}.{extension}"


def _inert(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def csv_download(survey: Survey) -> StreamingHttpResponse:
    """The responses as UTF-8 CSV (with a byte-order mark, so that Excel reads the
    Chinese), streamed row by row."""
    questions = list(survey.questions.order_by("order"))
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header(survey, questions))
        for row in rows(survey, questions):
            yield writer.writerow([_inert(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(*_filename(survey, "csv"))
    patch_cache_control(response, private=True, no_store=True)
    return response


def xlsx_response(survey: Survey):
    """The responses as an Excel workbook (one sheet), through the shared ledger
    writer (text that looks like a formula stays text there)."""
    questions = list(survey.questions.order_by("order"))
    columns = [Column(text, width=24) for text in header(survey, questions)]
    columns[0] = Column(columns[0].header, width=8)
    columns[1] = Column(columns[1].header, width=18)
    ledger = Ledger(
        sheet_title=_("Responses"),
        title=survey.title,
        columns=columns,
        rows=lambda: rows(survey, questions),
    )
    return xlsx_download([ledger], *_filename(survey, "xlsx"))


def my_answers(user):
    """The person's own answers, for their personal-data export."""
    responses = (
        Response.objects.filter(user=user)
        .select_related("survey")
        .prefetch_related("answers__question")
        .order_by("submitted_at")
    )
    return [
        {
            "survey": response.survey.title,
            "submitted_at": response.submitted_at.isoformat(),
            "answers": [
                {
                    "question": answer.question.text,
                    "answer": answer_value(answer.question, answer),
                }
                for answer in sorted(response.answers.all(), key=lambda a: a.question.order)
            ],
        }
        for response in responses
    ]


register_export_section("survey_responses", my_answers)
