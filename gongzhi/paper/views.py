"""The paper desk of an area's staff: what residents can answer on paper now, the
printable forms, the page that records one paper form, and the photos of the papers.

Every page is for staff of a residential area in the town; recording is for staff of
the resident's own area (the area choice offers only theirs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gongzhi.core.scope import user_scope
from gongzhi.core.views import attempt, form_page
from gongzhi.places.models import ResidentialArea, Town
from gongzhi.surveys.forms import SCALE_CHOICES, AnswerForm
from gongzhi.surveys.services import AnswersInvalid

from . import queries, services
from .forms import PaperDotForm, PaperForm, PaperTextForm
from .kinds import KINDS


def _staff_areas(request, town):
    """The areas of ``town`` this person is staff of; refused when there are none."""
    areas = ResidentialArea.objects.choices_in(town).filter(
        pk__in=user_scope(request.user).staff_areas
    )
    if not areas.exists():
        raise PermissionDenied(
            _("Paper forms are recorded by the staff of the resident's residential area.")
        )
    return areas


@login_required
@never_cache
def desk(request, town_slug):
    """What the area's residents can take part in now, each with its paper form to
    print and the page to record one; and the paper forms recorded lately."""
    town = get_object_or_404(Town, slug=town_slug)
    areas = _staff_areas(request, town)
    area_ids = list(areas.values_list("pk", flat=True))
    return render(
        request,
        "paper/desk.html",
        {
            "town": town,
            "areas": list(areas),
            "open": queries.open_for_paper(town, area_ids),
            "recent": queries.recently_recorded(area_ids),
        },
    )


def _target(kind, town, pk):
    return get_object_or_404(kind.target_model.objects.filter(town=town), pk=pk)


def _extra_form(kind, target, data):
    """The kind's own part of the page: the survey's questions, the text, the draft."""
    if kind.key == "response":
        questions = target.questions.order_by("order")
        return AnswerForm(data, questions=questions, prefix="answers")
    if kind.key in ("comment", "objection"):
        return PaperTextForm(data)
    if kind.key == "dot":
        return PaperDotForm(data, drafts=queries.dot_drafts(target))
    return None


def _inputs(kind, extra) -> dict:
    if kind.key == "response":
        return {"answers": extra.answers()}
    if kind.key in ("comment", "objection"):
        return {"body": extra.cleaned_data["body"]}
    if kind.key == "dot":
        return {"draft": extra.cleaned_data["draft"]}
    return {}


@login_required
def record(request, town_slug, pk, kind):
    """Record one resident's paper form (one URL per kind, see urls.py). After each
    form the page comes back empty, ready for the next paper of the pile."""
    kind = KINDS[kind]
    town = get_object_or_404(Town, slug=town_slug)
    areas = _staff_areas(request, town)
    target = _target(kind, town, pk)
    data = request.POST if request.method == "POST" else None
    # Most papers come from the target's own area: chosen first when it is one of theirs.
    initial = {"area": target.area_id} if getattr(target, "area_id", None) else {}
    form = PaperForm(data, request.FILES or None, areas=areas, initial=initial)
    extra = _extra_form(kind, target, data)
    if request.method == "POST":
        valid = form.is_valid()
        valid = (extra is None or extra.is_valid()) and valid
        if valid:
            try:
                row = attempt(
                    form,
                    services.record_from_paper,
                    kind=kind,
                    target=target,
                    actor=request.user,
                    area=form.cleaned_data["area"],
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    reference=form.cleaned_data["reference"],
                    photo=form.cleaned_data["photo"],
                    **_inputs(kind, extra),
                )
            except AnswersInvalid as invalid:
                row = None
                for question_pk, message in invalid.errors.items():
                    extra.add_error(f"q{question_pk}", message)
            if row is not None:
                messages.success(
                    request,
                    _("Recorded from paper: %(what)s of %(name)s (reference %(reference)s).")
                    % {
                        "what": kind.label,
                        "name": form.cleaned_data["name"],
                        "reference": form.cleaned_data["reference"],
                    },
                )
                return redirect(request.path)
    context = {
        "town": town,
        "kind": kind,
        "target": target,
        "form": form,
        "extra": extra,
        "errors": bool(form.errors or (extra is not None and extra.errors)),
    }
    response = form_page(request, "paper/record.html", context, form)
    if extra is not None and extra.errors:
        response.status_code = 400
    return response


@login_required
def survey_form(request, town_slug, pk):
    """The survey as an A4 paper form, with a QR code to answer it online."""
    town = get_object_or_404(Town, slug=town_slug)
    _staff_areas(request, town)
    survey = _target(KINDS["response"], town, pk)
    return render(
        request,
        "paper/survey_form.html",
        {
            "town": town,
            "survey": survey,
            "questions": list(survey.questions.order_by("order")),
            # The scale's points as the online form labels them (1 · least … 5 · most).
            "scale": SCALE_CHOICES,
            "online_url": request.build_absolute_uri(survey.get_absolute_url()),
        },
    )


@login_required
def plan_form(request, town_slug, pk):
    """The open consultation, or the running notice, of a plan as an A4 paper form for
    comments (or objections), with a QR code to the plan's page."""
    town = get_object_or_404(Town, slug=town_slug)
    _staff_areas(request, town)
    process = _target(KINDS["comment"], town, pk)
    window = queries.paper_window(process)
    if window is None:
        raise Http404(_("This plan is not open for comments or objections now."))
    return render(
        request,
        "paper/plan_form.html",
        {
            "town": town,
            "process": process,
            "window": window,
            "online_url": request.build_absolute_uri(process.get_absolute_url()),
        },
    )


@login_required
def photo(request, town_slug, kind, pk):
    """The photo of a paper form, for staff of the resident's area and the secretariat."""
    kind = KINDS.get(kind)
    if kind is None:
        raise Http404
    town = get_object_or_404(Town, slug=town_slug)
    rows = kind.row_model.objects.filter(
        paper_recorded_at__isnull=False, **{kind.town_path: town}
    ).select_related("user__residential_area__town")
    row = get_object_or_404(rows, pk=pk)
    area = row.user.residential_area
    if area is None or not request.user.has_perm("paper.view_photo", area):
        raise PermissionDenied
    if not row.paper_photo:
        raise Http404
    response = FileResponse(row.paper_photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return response
