"""Survey pages: the staff's list, builder and results (with exports), and the
public page where residents answer on their phones, with its printable QR code."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from gongzhi.core.access import LoginRequired, check_perm, get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.htmx import render_page
from gongzhi.core.scope import within_scope
from gongzhi.core.services import SUBMISSION_FIELD
from gongzhi.core.views import error_page, parse_id, qr_svg
from gongzhi.partners.forms import town_areas
from gongzhi.places.models import Town
from gongzhi.places.views import paginate

from . import exports, services
from .forms import AnswerForm, QuestionForm, SurveyForm, field_name
from .models import Question, Survey, SurveyStatus
from .results import summarize

# The anonymous device token: random, signed so that it cannot be chosen by hand,
# kept for two years so that one phone answers each survey once.
DEVICE_COOKIE = "gz_device"
DEVICE_SALT = "gongzhi.surveys.device"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600


def _survey(town_slug, pk):
    return get_object_or_404(
        Survey.objects.select_related("town", "area"), pk=pk, town__slug=town_slug
    )


def _managed(request, town_slug, pk):
    return get_checked(
        request,
        "surveys.manage_survey",
        Survey.objects.select_related("town", "area"),
        pk=pk,
        town__slug=town_slug,
    )


def _visible(request, town_slug, pk):
    """The survey, or 404 for a draft the visitor does not build."""
    survey = _survey(town_slug, pk)
    if not request.user.has_perm("surveys.view_survey", survey):
        raise Http404
    return survey


def _device_token(request) -> str:
    return request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT)


# --- Staff -----------------------------------------------------------------------------


def survey_list(request, town_slug):
    """The town's surveys for those who run them: all for the secretariat, those of
    their own areas for area staff."""
    town = get_checked(request, "surveys.create_survey", Town, slug=town_slug)
    surveys = within_scope(Survey.objects.filter(town=town), request.user, town)
    status = request.GET.get("status", "")
    if status in SurveyStatus.values:
        surveys = surveys.filter(status=status)
    page = paginate(
        request, surveys.select_related("area").with_counts().order_by("-created_at", "-pk")
    )
    return render_page(
        request,
        "surveys/survey_list.html",
        {"town": town, "page": page, "status": status, "statuses": SurveyStatus.choices},
        partial="results",
    )


def create_survey(request, town_slug):
    town = get_checked(request, "surveys.create_survey", Town, slug=town_slug)
    areas = within_scope(town_areas(town), request.user, town, area_field="pk")
    form = SurveyForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["area"] is None:
            check_perm(request, "places.manage_town", town)  # town-wide: secretariat only
        try:
            survey = services.create_survey(
                town=town,
                actor=request.user,
                submission_token=request.POST.get(SUBMISSION_FIELD),
                **data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The survey was saved as a draft. Add its questions."))
            return redirect("surveys:manage", town.slug, survey.pk)
    return render(
        request,
        "surveys/survey_form.html",
        {"town": town, "form": form},
        status=400 if form.errors else 200,
    )


def _manage_page(request, survey, question_form, *, status=200):
    return render(
        request,
        "surveys/manage.html",
        {
            "town": survey.town,
            "survey": survey,
            "questions": list(survey.questions.order_by("order")),
            "question_form": question_form,
            "can_open": survey.may_become(SurveyStatus.OPEN),
            "can_close": survey.may_become(SurveyStatus.CLOSED),
            "response_count": survey.responses.count(),
            "public_url": request.build_absolute_uri(survey.get_absolute_url()),
        },
        status=status,
    )


def _questions_url(survey):
    return reverse("surveys:manage", args=[survey.town.slug, survey.pk]) + "#questions"


@require_safe
def manage(request, town_slug, pk):
    """The builder: questions (add, move, delete while a draft), then open and close.
    Its forms post to their own URLs; a POST here (an old copy of the page) is
    refused, not ignored."""
    survey = _managed(request, town_slug, pk)
    return _manage_page(request, survey, QuestionForm())


@require_POST
def add_question(request, town_slug, pk):
    """Append a question; a form that fails shows the builder again with it (400)."""
    survey = _managed(request, town_slug, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.add_question(
                survey=survey,
                actor=request.user,
                submission_token=request.POST.get(SUBMISSION_FIELD),
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The question was added."))
            return redirect(_questions_url(survey))
    return _manage_page(request, survey, form, status=400)


def _builder_act(request, town_slug, pk, act, *, question=False):
    """One of the builder's buttons: ``act(survey, question)`` calls the service; back
    to the questions with "Saved." or the reason it was refused. ``question``: the
    button acts on the question the form names (400 when it names none)."""
    survey = _managed(request, town_slug, pk)
    chosen = None
    if question:
        question_pk = parse_id(request.POST.get("question"))
        if question_pk is None:
            return error_page(
                request, 400, _("Bad request"), _("Choose a question of this survey.")
            )
        chosen = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        act(survey, chosen)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(_questions_url(survey))


@require_POST
def move_question_up(request, town_slug, pk):
    return _builder_act(
        request,
        town_slug,
        pk,
        lambda survey, question: services.move_question(
            question=question, actor=request.user, step=-1
        ),
        question=True,
    )


@require_POST
def move_question_down(request, town_slug, pk):
    return _builder_act(
        request,
        town_slug,
        pk,
        lambda survey, question: services.move_question(
            question=question, actor=request.user, step=1
        ),
        question=True,
    )


@require_POST
def remove_question(request, town_slug, pk):
    return _builder_act(
        request,
        town_slug,
        pk,
        lambda survey, question: services.remove_question(question=question, actor=request.user),
        question=True,
    )


@require_POST
def open_survey(request, town_slug, pk):
    return _builder_act(
        request,
        town_slug,
        pk,
        lambda survey, question: services.open_survey(survey=survey, actor=request.user),
    )


@require_POST
def close_survey(request, town_slug, pk):
    return _builder_act(
        request,
        town_slug,
        pk,
        lambda survey, question: services.close_survey(survey=survey, actor=request.user),
    )


def edit_question(request, town_slug, pk, question_pk):
    survey = _managed(request, town_slug, pk)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    if survey.status != SurveyStatus.DRAFT:
        return render(
            request,
            "errors/error.html",
            {
                "status": 409,
                "title": _("Cannot be changed"),
                "message": _(
                    "The questions are published: they cannot change once the survey is open."
                ),
            },
            status=409,
        )
    initial = {
        "kind": question.kind,
        "text": question.text,
        "options": "\n".join(question.options),
        "required": question.required,
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(question=question, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The question was saved."))
            return redirect(reverse("surveys:manage", args=[town_slug, pk]) + "#questions")
    return render(
        request,
        "surveys/question_form.html",
        {"town": survey.town, "survey": survey, "question": question, "form": form},
        status=400 if form.errors else 200,
    )


def results(request, town_slug, pk):
    """Counts and shares per question, with a bar chart; text answers without names."""
    survey = _managed(request, town_slug, pk)
    return render(
        request,
        "surveys/results.html",
        {"town": survey.town, "survey": survey, "results": summarize(survey)},
    )


@require_GET
def export_csv(request, town_slug, pk):
    return exports.csv_download(_managed(request, town_slug, pk))


@require_GET
def export_xlsx(request, town_slug, pk):
    return exports.xlsx_response(_managed(request, town_slug, pk))


# --- Residents -------------------------------------------------------------------------


def survey_detail(request, town_slug, pk):
    """The survey's page: its introduction, then the questions while it is open; a
    thank-you after answering and "already answered" when coming back."""
    survey = _visible(request, town_slug, pk)
    user = request.user if request.user.is_authenticated else None
    device_token = "" if user else _device_token(request)
    answered = services.has_answered(survey, user=user, device_token=device_token)
    questions = list(survey.questions.order_by("order")) if survey.is_open else []
    form = None
    status = 200
    if survey.is_open and not answered and (user or survey.allows_anonymous):
        form = AnswerForm(request.POST or None, questions=questions)
    error = None
    if request.method == "POST":
        if survey.is_open and user is None and not survey.allows_anonymous:
            raise LoginRequired
        new_token = ""
        if user is None and not device_token:
            device_token = new_token = services.new_device_token()
        if form is None or form.is_valid():
            try:
                services.submit_response(
                    survey=survey,
                    user=user,
                    device_token=device_token,
                    answers=form.answers() if form is not None else {},
                )
            except services.AnswersInvalid as invalid:
                for question_pk, message in invalid.errors.items():
                    form.add_error(field_name(Question(pk=question_pk)), message)
            except DomainError as failure:
                error, status = failure.message, 409
            else:
                response = redirect(survey.get_absolute_url() + "?done=1")
                if new_token:
                    response.set_signed_cookie(
                        DEVICE_COOKIE,
                        new_token,
                        salt=DEVICE_SALT,
                        max_age=DEVICE_MAX_AGE,
                        httponly=True,
                        samesite="Lax",
                        secure=request.is_secure(),
                    )
                return response
        if form is not None and form.errors:
            status = 400
    return render(
        request,
        "surveys/survey.html",
        {
            "town": survey.town,
            "survey": survey,
            "form": form,
            "answered": answered,
            "thanks": answered and request.GET.get("done") == "1",
            "error": error,
            "needs_login": survey.is_open
            and not answered
            and user is None
            and not survey.allows_anonymous,
            "can_manage": request.user.has_perm("surveys.manage_survey", survey),
        },
        status=status,
    )


def qr(request, town_slug, pk):
    """The QR code of the survey page, as SVG: to print on a poster or a notice."""
    survey = _visible(request, town_slug, pk)
    url = request.build_absolute_uri(survey.get_absolute_url())
    # Private: a draft survey's code is for its staff only.
    return qr_svg(url, filename=f"survey-{survey.pk}-qr.svg", cache="private, max-age=3600")
