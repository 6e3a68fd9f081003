"""Pages of partner cultivation: the town's programmes, a programme with its sessions
and the signed-in person's progress, the certificate of completion, and an area's
record of who was trained. GET reads; each POST is one action."""

import hashlib

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.access import check_perm, get_checked
from gongzhi.core.views import attempt_submission, carry_out, error_page, form_page
from gongzhi.places.models import ResidentialArea, Town
from gongzhi.places.views import paginate

from . import queries, services
from .forms import ProgrammeForm, SessionForm
from .models import Programme, ProgrammeStatus


def _town(town_slug):
    return get_object_or_404(Town, slug=town_slug)


def _programme(request, perm, town_slug, pk):
    return get_checked(
        request,
        perm,
        Programme.objects.select_related("town"),
        pk=pk,
        town__slug=town_slug,
    )


def programme_list(request, town_slug):
    """The town's cultivation programmes; drafts only for the secretariat."""
    town = _town(town_slug)
    can_manage = request.user.has_perm("cultivation.manage_programme", town)
    programmes = Programme.objects.filter(town=town)
    if not can_manage:
        programmes = programmes.public()
    page = paginate(request, programmes.order_by("-created_at", "-pk"))
    return render(
        request,
        "cultivation/programme_list.html",
        {"town": town, "page": page, "can_manage": can_manage},
    )


def create_programme(request, town_slug):
    town = get_checked(request, "cultivation.manage_programme", Town, slug=town_slug)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = attempt_submission(
            request,
            form,
            services.create_programme,
            town=town,
            **form.cleaned_data,
        )
        if programme is not None:
            messages.success(request, _("The programme was created as a draft. Link its sessions."))
            return redirect(programme)
    return form_page(request, "cultivation/programme_form.html", {"town": town, "form": form}, form)


def programme_detail(request, town_slug, pk, *, session_form=None, status=200):
    programme = _programme(request, "cultivation.view_programme", town_slug, pk)
    can_manage = request.user.has_perm("cultivation.manage_programme", programme)
    sessions = list(queries.sessions(programme))
    counts = queries.attended_count(programme)
    for session in sessions:
        session.people = counts.get(session.activity_id, 0)
    progress = queries.progress(programme, request.user)
    if can_manage and session_form is None and programme.status != ProgrammeStatus.CLOSED:
        session_form = SessionForm(town=programme.town)
    return render(
        request,
        "cultivation/programme_detail.html",
        {
            "town": programme.town,
            "programme": programme,
            "sessions": sessions,
            "progress": progress,
            "attended": {s.pk for s in progress.attended},
            "can_manage": can_manage,
            "session_form": session_form if can_manage else None,
            "can_open": can_manage and programme.may_become(ProgrammeStatus.OPEN),
            "can_close": can_manage and programme.may_become(ProgrammeStatus.CLOSED),
        },
        status=status,
    )


@require_POST
def add_session(request, town_slug, pk):
    programme = _programme(request, "cultivation.manage_programme", town_slug, pk)
    form = SessionForm(request.POST, town=programme.town)
    if form.is_valid():
        if carry_out(
            request,
            services.add_session,
            programme=programme,
            activity=form.cleaned_data["activity"],
            actor=request.user,
        ):
            messages.success(request, _("The session was linked."))
            return redirect(programme)
        return programme_detail(request, town_slug, pk, session_form=form, status=409)
    return programme_detail(request, town_slug, pk, session_form=form, status=400)


def _move(request, town_slug, pk, service, done):
    programme = _programme(request, "cultivation.manage_programme", town_slug, pk)
    if carry_out(request, service, programme=programme, actor=request.user):
        messages.success(request, done)
        return redirect(programme)
    return programme_detail(request, town_slug, pk, status=409)


@require_POST
def open_programme(request, town_slug, pk):
    return _move(request, town_slug, pk, services.open_programme, _("The programme is open."))


@require_POST
def close_programme(request, town_slug, pk):
    return _move(request, town_slug, pk, services.close_programme, _("The programme is closed."))


def _certificate_page(request, programme, holder, progress):
    # A number the holder can quote to the issuer; digits only after the prefix (PY, 培育),
    # so it reads the same in every language.
    digest = hashlib.sha256(f"{programme.pk}:{holder.pk}:{progress.count}".encode())
    check = int(digest.hexdigest(), 16) % 10**8
    return render(
        request,
        "cultivation/certificate.html",
        {
            "town": programme.town,
            "programme": programme,
            "holder": holder,
            "progress": progress,
            "number": f"GZ-PY{programme.pk:04d}-{holder.pk:06d}-{check:08d}",
            "issued_on": timezone.localdate(),
        },
    )


@login_required
def certificate(request, town_slug, pk):
    """The signed-in person's printable certificate of completion, read from their
    check-ins; refused (409, nothing issued) until they have attended enough sessions."""
    programme = _programme(request, "cultivation.view_programme", town_slug, pk)
    try:
        progress = queries.certificate(programme, request.user)
    except queries.NotCompleted as error:
        return error_page(request, 409, _("No certificate yet"), error.message)
    return _certificate_page(request, programme, request.user, progress)


def certificate_of(request, town_slug, pk, user_pk):
    """Another person's certificate, for staff to print and hand over: the town's
    secretariat, the staff of the person's residential area (and the administrator).
    A person who has not completed the programme has none (404); opening one is
    logged, as it names the person."""
    programme = _programme(request, "cultivation.view_programme", town_slug, pk)
    holder = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    trainee = queries.trainee(programme, holder)
    check_perm(request, "cultivation.print_certificate_of", trainee)
    try:
        progress = queries.certificate_of(programme, holder)
    except queries.NotCompleted as error:
        return error_page(request, 404, _("No certificate"), error.message)
    if holder.pk != request.user.pk:
        services.log_certificate_access(actor=request.user, trainee=trainee)
    return _certificate_page(request, programme, holder, progress)


def area_trainees(request, town_slug, pk):
    """Staff's record of the area's cultivation: who was trained, in which programme,
    when. Names in full: the area's staff, the secretariat and the administrator only;
    each viewing is logged (personal data)."""
    area = get_checked(
        request,
        "cultivation.view_area_record",
        ResidentialArea.objects.select_related("town"),
        pk=pk,
        town__slug=town_slug,
    )
    record = queries.area_record(area)
    page = paginate(request, record)
    services.log_record_access(actor=request.user, area=area, page_number=page.number)
    return render(
        request,
        "cultivation/area_trainees.html",
        {"town": area.town, "area": area, "page": page, "people": len({t.user.pk for t in record})},
    )
