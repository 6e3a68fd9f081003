"""Writes on surveys: building the questionnaire while it is a draft, opening and
closing it, and residents' answers. Each checks state, writes in one transaction and
leaves an audit event where the survey itself changes (answers are residents' own
and are not audited one by one). Every write for staff checks ``surveys.manage_survey``
itself (rules.py), whoever calls it: the views, planning or renewal; answering is a
resident's own act, refused by the survey's own rules (open, once per person)."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.services import claim_submission, record_event

from .models import (
    MAX_OPTIONS,
    MAX_QUESTIONS,
    OPTION_MAX,
    QUESTION_MAX,
    TEXT_ANSWER_MAX,
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)

CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
SCALE_MIN, SCALE_MAX = 1, 5
DEVICE_TOKEN_BYTES = 24


class AnswersInvalid(DomainError):
    """Some answers are missing or wrong; ``errors`` maps each question's pk to what
    is wrong with its answer, so that a form can show it beside the question."""

    def __init__(self, errors: dict[int, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def new_device_token() -> str:
    """A random value identifying one phone or computer to anonymous surveys."""
    return secrets.token_urlsafe(DEVICE_TOKEN_BYTES)


def _lock(survey: Survey) -> Survey:
    # FOR NO KEY UPDATE: serialises writes on the survey without blocking rows that
    # merely point at it (a planning step linking the survey as evidence).
    return Survey.objects.select_for_update(no_key=True).get(pk=survey.pk)


def _check_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise DomainError(
            _("The questions are published: they cannot change once the survey is open.")
        )


# --- The questionnaire -----------------------------------------------------------------


@transaction.atomic
def create_survey(
    *,
    town,
    area=None,
    actor,
    title: str,
    intro: str = "",
    allows_anonymous: bool = False,
    submission_token: str | None = None,
) -> Survey:
    """A draft survey of ``town`` (of one residential area, or town-wide when ``area``
    is None); questions are added before it opens."""
    require_perm(actor, "surveys.manage_survey", area or town)
    claim_submission(submission_token, user=actor)
    if area is not None and area.town_id != town.pk:
        raise DomainError(_("The residential area must be in this town."))
    survey = Survey.objects.create(
        town=town,
        area=area,
        title=checked_text(title, label=_("Title"), limit=100),
        intro=checked_text(intro, label=_("Introduction"), limit=2000, required=False),
        allows_anonymous=bool(allows_anonymous),
        created_by=actor,
    )
    record_event(
        actor=actor,
        verb="survey.create",
        target=survey,
        after={"title": survey.title, "area": area.pk if area else None},
    )
    return survey


def _checked_question(kind: str, text: str, options) -> tuple[str, list[str]]:
    if kind not in QuestionKind.values:
        raise DomainError(_("Choose the kind of question."))
    text = checked_text(text, label=_("Question"), limit=QUESTION_MAX)
    if kind not in CHOICE_KINDS:
        return text, []
    cleaned = [
        checked_text(option, label=_("Option"), limit=OPTION_MAX)
        for option in (options or [])
        if (option or "").strip()
    ]
    if len(cleaned) < 2:
        raise DomainError(_("A choice question needs at least 2 options."))
    if len(cleaned) > MAX_OPTIONS:
        raise DomainError(_("A question has at most %(max)d options.") % {"max": MAX_OPTIONS})
    if len(set(cleaned)) != len(cleaned):
        raise DomainError(_("Two options are the same: each option must differ."))
    return text, cleaned


@transaction.atomic
def add_question(
    *,
    survey: Survey,
    actor,
    kind: str,
    text: str,
    required: bool = True,
    options=(),
    submission_token: str | None = None,
) -> Question:
    """Append a question. Choice questions need 2 to 12 distinct options; a scale or
    a free-text question has none (any given are dropped)."""
    require_perm(actor, "surveys.manage_survey", survey)
    claim_submission(submission_token, user=actor)
    survey = _lock(survey)
    _check_draft(survey)
    text, options = _checked_question(kind, text, options)
    count = survey.questions.count()
    if count >= MAX_QUESTIONS:
        raise DomainError(_("A survey has at most %(max)d questions.") % {"max": MAX_QUESTIONS})
    question = Question.objects.create(
        survey=survey,
        order=count + 1,
        kind=kind,
        text=text,
        required=bool(required),
        options=options,
    )
    record_event(
        actor=actor,
        verb="survey.question_add",
        target=survey,
        after={"question": question.pk, "kind": kind, "text": text, "options": options},
    )
    return question


@transaction.atomic
def update_question(
    *, question: Question, actor, kind: str, text: str, required: bool = True, options=()
) -> Question:
    """Change a question of a draft survey (its place stays)."""
    require_perm(actor, "surveys.manage_survey", question.survey)
    survey = _lock(question.survey)
    _check_draft(survey)
    question = Question.objects.get(pk=question.pk, survey=survey)
    text, options = _checked_question(kind, text, options)
    before = {"kind": question.kind, "text": question.text, "options": question.options}
    question.kind, question.text, question.required, question.options = (
        kind,
        text,
        bool(required),
        options,
    )
    question.save(update_fields=["kind", "text", "required", "options"])
    record_event(
        actor=actor,
        verb="survey.question_update",
        target=survey,
        before={"question": question.pk, **before},
        after={"question": question.pk, "kind": kind, "text": text, "options": options},
    )
    return question


def _renumber(survey: Survey, pks: list[int]) -> None:
    # Two passes: out of the way first, so that (survey, order) stays unique throughout.
    offset = 1000
    Question.objects.filter(survey=survey).update(order=F("order") + offset)
    for position, pk in enumerate(pks, start=1):
        Question.objects.filter(pk=pk).update(order=position)


@transaction.atomic
def remove_question(*, question: Question, actor) -> None:
    """Delete a question of a draft survey; the ones after it move up."""
    require_perm(actor, "surveys.manage_survey", question.survey)
    survey = _lock(question.survey)
    _check_draft(survey)
    question = Question.objects.get(pk=question.pk, survey=survey)
    text = question.text
    question.delete()
    _renumber(survey, list(survey.questions.order_by("order").values_list("pk", flat=True)))
    record_event(actor=actor, verb="survey.question_remove", target=survey, before={"text": text})


@transaction.atomic
def reorder_questions(*, survey: Survey, actor, order: list[int]) -> None:
    """Put the draft's questions in ``order`` (their pks, every one exactly once)."""
    require_perm(actor, "surveys.manage_survey", survey)
    survey = _lock(survey)
    _check_draft(survey)
    current = list(survey.questions.order_by("order").values_list("pk", flat=True))
    try:
        order = [int(pk) for pk in order]
    except (TypeError, ValueError):
        order = []
    if sorted(order) != sorted(current):
        raise DomainError(_("The new order must list every question of the survey once."))
    _renumber(survey, order)
    record_event(
        actor=actor,
        verb="survey.question_reorder",
        target=survey,
        before={"order": current},
        after={"order": order},
    )


def move_question(*, question: Question, actor, step: int) -> None:
    """Move a question one place up (step -1) or down (+1); at either end, nothing
    to do is not an error."""
    require_perm(actor, "surveys.manage_survey", question.survey)
    pks = list(question.survey.questions.order_by("order").values_list("pk", flat=True))
    index = pks.index(question.pk)
    target = index + (1 if step > 0 else -1)
    if 0 <= target < len(pks):
        pks[index], pks[target] = pks[target], pks[index]
        reorder_questions(survey=question.survey, actor=actor, order=pks)


@transaction.atomic
def open_survey(*, survey: Survey, actor) -> Survey:
    """Publish the questions and start taking answers."""
    require_perm(actor, "surveys.manage_survey", survey)
    survey = _lock(survey)
    if not survey.may_become(SurveyStatus.OPEN):
        raise DomainError(_("Only a draft survey can be opened."))
    if not survey.questions.exists():
        raise DomainError(_("Add at least one question before opening the survey."))
    survey.status = SurveyStatus.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "opened_at", "updated_at"])
    record_event(
        actor=actor,
        verb="survey.open",
        target=survey,
        before={"status": "draft"},
        after={
            "status": "open",
            "questions": list(survey.questions.values_list("text", flat=True)),
        },
    )
    return survey


@transaction.atomic
def close_survey(*, survey: Survey, actor) -> Survey:
    """Stop taking answers; the results stay as they are from now on."""
    require_perm(actor, "surveys.manage_survey", survey)
    survey = _lock(survey)
    if not survey.may_become(SurveyStatus.CLOSED):
        raise DomainError(_("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at", "updated_at"])
    record_event(
        actor=actor,
        verb="survey.close",
        target=survey,
        before={"status": "open"},
        after={"status": "closed", "responses": survey.responses.count()},
    )
    return survey


# --- Answers ---------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _index(value, options) -> int:
    if isinstance(value, bool):
        raise ValueError
    index = int(value)
    if not 0 <= index < len(options):
        raise ValueError
    return index


def _checked_answer(question: Question, value, number: int) -> Answer | None:
    """The Answer for ``value`` (not yet saved), None when left blank; ValueError
    with the message when the value does not fit the question."""
    label = {"number": number}
    if _blank(value) or (isinstance(value, str) and not value.strip()):
        if question.required:
            raise ValueError(_("Question %(number)d needs an answer.") % label)
        return None
    if question.kind == QuestionKind.SINGLE:
        if isinstance(value, list | tuple):
            if len(value) != 1:
                raise ValueError(_("Question %(number)d: choose one option.") % label)
            value = value[0]
        try:
            return Answer(question=question, choices=[_index(value, question.options)])
        except (TypeError, ValueError):
            raise ValueError(
                _("Question %(number)d: choose one of the options given.") % label
            ) from None
    if question.kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, list | tuple | set) else [value]
        try:
            chosen = sorted({_index(item, question.options) for item in values})
        except (TypeError, ValueError):
            raise ValueError(
                _("Question %(number)d: choose among the options given.") % label
            ) from None
        return Answer(question=question, choices=chosen)
    if question.kind == QuestionKind.SCALE:
        try:
            if isinstance(value, bool | float):
                raise ValueError
            scale = int(value)
        except (TypeError, ValueError):
            scale = 0
        if not SCALE_MIN <= scale <= SCALE_MAX:
            raise ValueError(_("Question %(number)d: choose a number from 1 to 5.") % label)
        return Answer(question=question, scale=scale)
    text = str(value).strip()
    if len(text) > TEXT_ANSWER_MAX:
        raise ValueError(
            _(
                "Question %(number)d: the answer is too long: at most %(limit)d "
                "characters, this has %(length)d."
            )
            % {**label, "limit": TEXT_ANSWER_MAX, "length": len(text)}
        )
    return Answer(question=question, text=text)


def check_answers(questions, answers: dict) -> list[Answer]:
    """Every answer checked against its question: the unsaved Answers, or
    AnswersInvalid naming each question that is missing or wrong. Keys of
    ``answers`` are question pks; keys of other questions are refused."""
    answers = {int(pk): value for pk, value in (answers or {}).items()}
    known = {question.pk for question in questions}
    if set(answers) - known:
        raise DomainError(_("Some answers are for questions this survey does not have."))
    checked, errors = [], {}
    for number, question in enumerate(questions, start=1):
        try:
            answer = _checked_answer(question, answers.get(question.pk), number)
        except ValueError as error:
            errors[question.pk] = str(error)
        else:
            if answer is not None:
                checked.append(answer)
    if errors:
        raise AnswersInvalid(errors)
    return checked


def has_answered(survey: Survey, *, user=None, device_token: str = "") -> bool:
    """Whether this account (or, signed out, this device) has answered already.

    Permission: open to anyone: it reads one person's own answer, changing nothing.
    """
    if user is not None and getattr(user, "is_authenticated", False):
        return survey.responses.filter(user=user).exists()
    if device_token:
        return survey.responses.filter(device_token=device_token).exists()
    return False


def _already_answered() -> DomainError:
    return DomainError(_("You have already answered this survey: thank you."))


@transaction.atomic
def submit_response(
    *, survey: Survey, user=None, device_token: str = "", answers: dict
) -> Response:
    """Store one person's answers, all or nothing.

    A signed-in resident answers once per account. Signed out, an answer is accepted
    only when the survey allows anonymous answers, once per device token. A second
    submission (even one racing the first) is refused with a clear message: the
    survey row is locked, and the unique constraints catch whatever gets past it.

    Permission: open to anyone: a resident's own answers; who may answer (an account,
    or a phone where the survey allows it) is the survey's own rule, checked here.
    """
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    survey = _lock(survey)
    if survey.status != SurveyStatus.OPEN:
        if survey.status == SurveyStatus.CLOSED:
            raise DomainError(_("This survey has closed: it no longer takes answers."))
        raise DomainError(_("This survey is not open yet."))
    device_token = (device_token or "").strip()
    if not signed_in:
        if not survey.allows_anonymous:
            raise DomainError(_("Log in to answer this survey."))
        if not device_token or len(device_token) > 64:
            raise DomainError(
                _("Your browser did not keep our cookie: allow cookies, or log in to answer.")
            )
    if has_answered(
        survey, user=user if signed_in else None, device_token="" if signed_in else device_token
    ):
        raise _already_answered()
    questions = list(survey.questions.order_by("order"))
    checked = check_answers(questions, answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                user=user if signed_in else None,
                device_token="" if signed_in else device_token,
            )
    except IntegrityError:
        raise _already_answered() from None
    for answer in checked:
        answer.response = response
    Answer.objects.bulk_create(checked)
    return response
