"""Pages where a step's evidence is gathered (staff and partners) and where residents
take part (drafts, dot votes, consultation, objections).

GET reads; POST names its ``action`` and goes through one service of
``evidence_services``. A refused action (DomainError) shows its message on the page
with HTTP 409; a malformed form answers 400; nothing is stored in either case.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.access import get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.services import SUBMISSION_FIELD
from gongzhi.core.views import unknown_action

from . import evidence
from . import evidence_services as ev
from .forms_steps import (
    ActivityLinkForm,
    CommentForm,
    ConsultationForm,
    DraftForm,
    InterviewForm,
    JointDecisionForm,
    MeetingLinkForm,
    NeedForm,
    NoticeForm,
    PhotoForm,
    ReplyForm,
    ResultForm,
    SurveyLinkForm,
)
from .models import (
    Consultation,
    ConsultationComment,
    DesignDraft,
    Need,
    Objection,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    StepKind,
    StepPhoto,
    StepRun,
)
from .notice import printable
from .rules import is_public_process
from .services import open_run

# Official acts of the area's staff and the secretariat (not of the plan's partners).
STAFF_ACTIONS = {"decision", "consultation", "notice", "result"}
# Every action the step page knows, whichever step is open (which of them the open
# step offers is decided by _step_forms; a known one it does not offer is a 409).
STEP_ACTIONS = {
    "survey",
    "need",
    "remove_need",
    "photo",
    "interview",
    "draft",
    "activity",
    "meeting",
    *STAFF_ACTIONS,
}


def parse_id(value) -> int | None:
    """An id typed in a form or an address, or None for anything else: isdigit()
    accepts "²", which int() refuses, and an id fits in 18 digits."""
    value = str(value or "").strip()
    if not value.isdecimal() or len(value) > 18:
        return None
    try:
        return int(value)
    except ValueError:  # pragma: no cover - isdecimal() strings are int()-able
        return None


def bad_request(request, message):
    return render(
        request,
        "errors/error.html",
        {"status": 400, "title": _("Bad request"), "message": message},
        status=400,
    )


def _process(request, town_slug, pk, perm="planning.view") -> PlanningProcess:
    return get_checked(
        request,
        perm,
        PlanningProcess.objects.select_related("town", "area", "template", "lead_partner"),
        pk=pk,
        town__slug=town_slug,
    )


def _is_staff(request, process) -> bool:
    return request.user.has_perm("planning.advance", process)


def _active_run(process) -> StepRun | None:
    return open_run(process) if process.status == ProcessStatus.ACTIVE else None


def _status(forms, conflict: bool) -> int:
    if conflict:
        return 409
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


def _done(request, message, url):
    messages.success(request, message)
    return redirect(url)


# --- The open step's evidence page (contributors) ------------------------------------


def _step_forms(process, run, data, files, action, staff: bool) -> dict:
    """The forms the open step offers, the posted one bound."""
    if run is None:
        return {}
    kind = run.step.kind

    def bound(name):
        return {"data": data, "files": files} if action == name else {}

    forms = {}
    if kind == StepKind.SURVEY:
        forms["survey"] = SurveyLinkForm(**bound("survey"), process=process, prefix="survey")
        forms["need"] = NeedForm(**bound("need"), prefix="need")
        forms["photo"] = PhotoForm(**bound("photo"), prefix="photo")
    elif kind == StepKind.INTERVIEWS:
        forms["interview"] = InterviewForm(**bound("interview"), prefix="interview")
    elif kind in ev.DRAFT_KINDS:
        forms["draft"] = DraftForm(**bound("draft"), process=process, prefix="draft")
    elif kind == StepKind.PARTICIPATORY_DESIGN:
        forms["activity"] = ActivityLinkForm(
            **bound("activity"), process=process, prefix="activity"
        )
    elif kind == StepKind.JOINT_MEETING:
        forms["meeting"] = MeetingLinkForm(**bound("meeting"), process=process, prefix="meeting")
        if staff and run.meeting_links.exists():
            forms["decision"] = JointDecisionForm(**bound("decision"), run=run, prefix="decision")
    elif kind == StepKind.CONSULTATION:
        if staff and not Consultation.objects.filter(run=run).exists():
            forms["consultation"] = ConsultationForm(
                **bound("consultation"), process=process, prefix="consultation"
            )
    elif kind == StepKind.PUBLIC_NOTICE:
        notice = PublicNotice.objects.filter(run=run).first()
        if staff and notice is None:
            forms["notice"] = NoticeForm(
                **bound("notice"), process=process, step=run.step, prefix="notice"
            )
        forms["photo"] = PhotoForm(**bound("photo"), prefix="photo")
        if staff and notice is not None and not notice.result:
            forms["result"] = ResultForm(**bound("result"), prefix="result")
    return forms


def _act(action, process, run, user, data, token=None):
    """Call the service behind ``action``; returns the success message. ``token`` is
    the form's one-time token, claimed by the services that add a record."""
    if action == "survey":
        ev.link_survey(process=process, actor=user, survey=data["survey"])
        return _("The questionnaire is linked to the step.")
    if action == "need":
        ev.add_need(process=process, actor=user, text=data["text"], submission_token=token)
        return _("The need was added to the list.")
    if action == "photo":
        purpose = (
            StepPhoto.Purpose.NOTICE_BOARD
            if run.step.kind == StepKind.PUBLIC_NOTICE
            else StepPhoto.Purpose.SITE
        )
        ev.add_step_photo(
            process=process, actor=user, purpose=purpose, submission_token=token, **data
        )
        return _("The photo was added.")
    if action == "interview":
        ev.record_interview(process=process, actor=user, submission_token=token, **data)
        return _("The interview was recorded.")
    if action == "draft":
        ev.upload_draft(
            process=process,
            actor=user,
            file=data["file"],
            title=data["title"],
            description=data["description"],
            author=data.get("author"),
            change_note=data.get("change_note", ""),
            answers_comments=data.get("answers_comments") or (),
            answers_consultation=data.get("answers_consultation") or (),
            answers_votes=data.get("answers_votes", False),
            submission_token=token,
        )
        return _("The draft was uploaded.")
    if action == "activity":
        ev.link_activity(process=process, actor=user, activity=data["activity"])
        return _("The co-design session is linked to the step.")
    if action == "meeting":
        ev.link_meeting(process=process, actor=user, meeting=data["meeting"])
        return _("The joint meeting is linked to the step.")
    if action == "decision":
        ev.record_joint_decision(process=process, actor=user, **data)
        return _("The joint meeting's decision was recorded.")
    if action == "consultation":
        ev.open_consultation(process=process, actor=user, **data)
        return _("The public consultation is scheduled.")
    if action == "notice":
        ev.post_notice(process=process, actor=user, **data)
        return _("The public notice was posted.")
    if action == "result":
        ev.publish_result(process=process, actor=user, text=data["text"])
        return _("The result of the notice was published.")
    raise DomainError(_("Unknown action."))  # pragma: no cover - checked by the caller


def _runs_with_evidence(process):
    """Every run of the process, newest first, with its evidence."""
    return list(
        process.runs.select_related("step", "consultation", "notice")
        .prefetch_related(
            "survey_links__survey",
            "needs",
            "photos",
            "interviews",
            Prefetch("drafts", queryset=DesignDraft.objects.order_by("version")),
            "activity_links__activity",
            "meeting_links__meeting",
            "meeting_links__motion",
        )
        .annotate(comment_count=Count("draft_comments", distinct=True))
        .annotate(dot_count=Count("dot_votes", distinct=True))
        .order_by("-opened_at", "-pk")
    )


def step(request, town_slug, pk):
    """The open step's evidence: what is still missing, the forms of its kind, and
    the evidence of earlier runs (read-only)."""
    process = _process(request, town_slug, pk, "planning.contribute")
    run = _active_run(process)
    staff = _is_staff(request, process)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _step_forms(process, run, request.POST, request.FILES, action, staff)
    conflict = False
    if request.method == "POST":
        if refused := unknown_action(request, action, STEP_ACTIONS):
            return refused
        if action == "remove_need":
            need_pk = parse_id(request.POST.get("need"))
            if need_pk is None:
                return bad_request(request, _("Choose a need of the list."))
            need = get_object_or_404(Need, pk=need_pk, run__process=process)
            try:
                ev.remove_need(process=process, actor=request.user, need=need)
            except DomainError as error:
                messages.error(request, error.message)
            return redirect("planning:step", process.town.slug, process.pk)
        if action in STAFF_ACTIONS and not staff:
            raise PermissionDenied
        form = forms.get(action)
        if form is None:
            messages.error(request, _("This action is not possible in the open step."))
            conflict = True
        elif form.is_valid():
            try:
                message = _act(
                    action,
                    process,
                    run,
                    request.user,
                    form.cleaned_data,
                    token=request.POST.get(SUBMISSION_FIELD),
                )
            except DomainError as error:
                form.add_error(None, error.message)
                conflict = True
            else:
                return _done(request, message, reverse("planning:step", args=[town_slug, pk]))
    runs = _runs_with_evidence(process)
    current = next((r for r in runs if run is not None and r.pk == run.pk), None)
    suggestions = []
    if "draft" in forms:
        suggestions = ev.suggest_authors(process, limit=5)
    return render(
        request,
        "planning/step.html",
        {
            "town": process.town,
            "process": process,
            "run": current,
            "missing": evidence.missing(run) if run else [],
            "forms": forms,
            "earlier": [r for r in runs if current is None or r.pk != current.pk],
            "suggestions": suggestions,
            "staff": staff,
            "show_notes": True,
        },
        status=_status(forms.values(), conflict),
    )


# --- Drafts (public) -----------------------------------------------------------------


def draft(request, town_slug, pk, draft_pk):
    """One version of the design: its file, description, change note and the inputs it
    answers, residents' comments, and the dot vote while participatory design runs."""
    process = _process(request, town_slug, pk)
    draft = get_object_or_404(
        DesignDraft.objects.select_related("author", "run__step").annotate(
            dot_count=Count("dot_votes", distinct=True)
        ),
        pk=draft_pk,
        process=process,
    )
    run = _active_run(process)
    participating = run is not None and run.step.kind == StepKind.PARTICIPATORY_DESIGN
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = CommentForm(request.POST if action == "comment" else None, prefix="comment")
    refusals = []
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if refused := unknown_action(request, action, {"vote", "comment"}):
            return refused
        try:
            if action == "vote":
                ev.cast_dot_vote(process=process, user=request.user, draft=draft)
                return _done(request, _("Your dot was placed."), request.path)
            if action == "comment" and form.is_valid():
                ev.comment_on_draft(
                    process=process,
                    user=request.user,
                    draft=draft,
                    body=form.cleaned_data["body"],
                    submission_token=request.POST.get(SUBMISSION_FIELD),
                )
                return _done(request, _("Thank you: your comment was added."), request.path)
        except DomainError as error:
            refusals.append(error.message)
    my_dot = None
    if participating and request.user.is_authenticated:
        my_dot = run.dot_votes.filter(user=request.user).values_list("draft_id", flat=True).first()
    return render(
        request,
        "planning/draft.html",
        {
            "town": process.town,
            "process": process,
            "draft": draft,
            "comments": draft.comments.select_related("user").order_by("created_at", "pk"),
            "answers_comments": draft.answers_comments.all(),
            "answers_consultation": draft.answers_consultation.all(),
            "other_drafts": process.drafts.exclude(pk=draft.pk).order_by("version"),
            "participating": participating,
            "my_dot": my_dot,
            "form": form if participating else None,
            "errors": refusals,
            "staff": _is_staff(request, process),
            # The team (lead partner, team members) sees names; the public, masked.
            "contributor": request.user.has_perm("planning.contribute", process),
        },
        status=_status([form], bool(refusals)),
    )


@require_GET
def draft_file(request, town_slug, pk, draft_pk):
    process = _process(request, town_slug, pk)
    draft = get_object_or_404(DesignDraft, pk=draft_pk, process=process)
    extension = (
        "pdf" if draft.content_type == "application/pdf" else draft.file.name.rsplit(".")[-1]
    )
    response = FileResponse(
        draft.file.open("rb"),
        content_type=draft.content_type,
        filename=f"plan-{process.pk}-v{draft.version}.{extension}",
    )
    # Shown in the page (images) or the browser's viewer (PDF), never run as anything else.
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Shared caches keep only a public plan's drafts; any other stays with the viewer.
    response["Cache-Control"] = (
        "public, max-age=86400" if is_public_process(None, process) else "private, no-store"
    )
    return response


# --- Consultation and notice (public, with the staff's replies) ----------------------


def _reply_target(request, queryset):
    form = ReplyForm(request.POST, prefix="reply")
    if not form.is_valid():
        return form, None
    return form, queryset.filter(pk=form.cleaned_data["target"]).first()


def _reply_page_post(
    request, *, staff, current, not_open, add_action, form, add, added, replies, choose, reply
):
    """The POST of a page where residents write and the staff give official replies
    (the consultation, the notice): the residents' `add_action` sends `form` to
    `add(body)`, the staff's "reply" answers one of `replies()` with `reply(item, text)`.
    Returns the response to send, or None and the refusals to show on the page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path()), []
    action = request.POST.get("action", "")
    if refused := unknown_action(request, action, {add_action, "reply"}):
        return refused, []
    if action == "reply" and not staff:
        raise PermissionDenied
    try:
        if current is None:
            raise DomainError(not_open)
        if action == add_action and form.is_valid():
            add(form.cleaned_data["body"])
            return _done(request, added, request.path), []
        if action == "reply":
            reply_form, item = _reply_target(request, replies())
            if item is None:
                raise DomainError(choose)
            reply(item, reply_form.cleaned_data["reply"])
            return _done(request, _("The reply was published."), request.path), []
    except DomainError as error:
        return None, [error.message]
    return None, []


def consultation(request, town_slug, pk):
    """The consultation window on the draft, comments with their official replies, the
    comment form while open and the staff's reply forms."""
    process = _process(request, town_slug, pk)
    current = (
        Consultation.objects.filter(run__process=process)
        .select_related("draft", "run__step")
        .order_by("-opens_at", "-pk")
        .first()
    )
    run = _active_run(process)
    is_current = current is not None and run is not None and current.run_id == run.pk
    staff = _is_staff(request, process)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = CommentForm(request.POST if action == "comment" else None, prefix="comment")
    refusals = []
    if request.method == "POST":
        response, refusals = _reply_page_post(
            request,
            staff=staff,
            current=current,
            not_open=_("The consultation has not opened yet."),
            add_action="comment",
            form=form,
            add=lambda body: ev.comment_in_consultation(
                process=process,
                user=request.user,
                body=body,
                submission_token=request.POST.get(SUBMISSION_FIELD),
            ),
            added=_("Thank you: your comment was added."),
            replies=lambda: ConsultationComment.objects.filter(consultation=current),
            choose=_("Choose a comment of this consultation to reply to."),
            reply=lambda comment, text: ev.reply_to_consultation_comment(
                comment=comment, actor=request.user, reply=text
            ),
        )
        if response is not None:
            return response
    now = timezone.now()
    is_open = current is not None and is_current and ev.consultation_is_open(current, now)
    comments = []
    if current is not None:
        comments = list(current.comments.select_related("user").order_by("created_at", "pk"))
    return render(
        request,
        "planning/consultation.html",
        {
            "town": process.town,
            "process": process,
            "consultation": current,
            "comments": comments,
            "is_open": is_open,
            "not_yet": current is not None and is_current and now < current.opens_at,
            "form": form if is_open else None,
            "errors": refusals,
            "staff": staff,
            "can_reply": staff and is_current,
        },
        status=_status([form], bool(refusals)),
    )


def notice(request, town_slug, pk):
    """The notice: its text and period, objections with their official replies, the
    objection form while it runs, the staff's reply forms, and the result."""
    process = _process(request, town_slug, pk)
    current = (
        PublicNotice.objects.filter(run__process=process)
        .select_related("draft", "run__step")
        .order_by("-starts_on", "-pk")
        .first()
    )
    run = _active_run(process)
    is_current = current is not None and run is not None and current.run_id == run.pk
    staff = _is_staff(request, process)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = CommentForm(
        request.POST if action == "object" else None, prefix="objection", label=_("Your objection")
    )
    refusals = []
    if request.method == "POST":
        response, refusals = _reply_page_post(
            request,
            staff=staff,
            current=current,
            not_open=_("The notice has not been posted yet."),
            add_action="object",
            form=form,
            add=lambda body: ev.object_to_notice(
                process=process,
                user=request.user,
                body=body,
                submission_token=request.POST.get(SUBMISSION_FIELD),
            ),
            added=_("Your objection was received."),
            replies=lambda: Objection.objects.filter(notice=current),
            choose=_("Choose an objection to this notice to reply to."),
            reply=lambda objection, text: ev.reply_to_objection(
                objection=objection, actor=request.user, reply=text
            ),
        )
        if response is not None:
            return response
    running = current is not None and is_current and ev.notice_is_running(current)
    objections = []
    if current is not None:
        objections = list(current.objections.select_related("user").order_by("created_at", "pk"))
    return render(
        request,
        "planning/notice.html",
        {
            "town": process.town,
            "process": process,
            "notice": current,
            "objections": objections,
            "running": running,
            "not_yet": current is not None
            and is_current
            and timezone.localdate() < current.starts_on,
            "form": form if running else None,
            "errors": refusals,
            "staff": staff,
            "can_reply": staff and is_current,
            "board_photos": StepPhoto.objects.filter(
                run_id=current.run_id, purpose=StepPhoto.Purpose.NOTICE_BOARD
            )
            if current
            else [],
        },
        status=_status([form], bool(refusals)),
    )


@require_GET
def notice_print(request, town_slug, pk):
    """The notice on one A4 page for the notice board, with a QR code to the online
    notice."""
    process = _process(request, town_slug, pk)
    current = (
        PublicNotice.objects.filter(run__process=process)
        .select_related("draft", "run__process__area", "run__process__town")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if current is None:
        raise Http404(_("The notice has not been posted yet."))
    url = request.build_absolute_uri(reverse("planning:notice", args=[town_slug, pk]))
    return render(
        request,
        "planning/notice_print.html",
        {"town": process.town, "process": process, "sheet": printable(current, url=url)},
    )
