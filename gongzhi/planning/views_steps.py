"""Pages where a step's evidence is gathered (staff and partners) and where residents
take part (drafts, dot votes, consultation, objections).

GET reads the page; each of its forms posts to its own URL (a small POST-only view)
and goes through one service of ``evidence_services``. A refused action (DomainError)
shows its message on the page with HTTP 409; a malformed form answers 400; nothing is
stored in either case. A POST to the page itself (an old copy of it) is a 405.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from gongzhi.core.access import get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.views import error_page, parse_id, submission_token

from . import evidence, kinds
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
from .kinds import spec
from .models import (
    Consultation,
    ConsultationComment,
    DesignDraft,
    Need,
    Objection,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    StepPhoto,
    StepRun,
)
from .notice import printable
from .rules import is_public_process
from .services import open_run

# Official acts of the area's staff and the secretariat (not of the plan's partners).
STAFF_ACTIONS = kinds.STAFF_ACTIONS


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


def _notice(run):
    return PublicNotice.objects.filter(run=run).first()


# How the step page builds each evidence form, by the action it posts; which of them
# the open step offers is its kind's entry (kinds.py). A builder answers None when the
# form is not offered now (e.g. a staff act for a partner, or one already done).
FORM_BUILDERS = {
    "survey": lambda bound, process, run, staff: SurveyLinkForm(
        **bound, process=process, prefix="survey"
    ),
    "need": lambda bound, process, run, staff: NeedForm(**bound, prefix="need"),
    "photo": lambda bound, process, run, staff: PhotoForm(**bound, prefix="photo"),
    "interview": lambda bound, process, run, staff: InterviewForm(**bound, prefix="interview"),
    "draft": lambda bound, process, run, staff: DraftForm(**bound, process=process, prefix="draft"),
    "activity": lambda bound, process, run, staff: ActivityLinkForm(
        **bound, process=process, prefix="activity"
    ),
    "meeting": lambda bound, process, run, staff: MeetingLinkForm(
        **bound, process=process, prefix="meeting"
    ),
    "decision": lambda bound, process, run, staff: (
        JointDecisionForm(**bound, run=run, prefix="decision")
        if staff and run.meeting_links.exists()
        else None
    ),
    "consultation": lambda bound, process, run, staff: (
        ConsultationForm(**bound, process=process, prefix="consultation")
        if staff and not Consultation.objects.filter(run=run).exists()
        else None
    ),
    "notice": lambda bound, process, run, staff: (
        NoticeForm(**bound, process=process, step=run.step, prefix="notice")
        if staff and _notice(run) is None
        else None
    ),
    "result": lambda bound, process, run, staff: (
        ResultForm(**bound, prefix="result")
        if staff and (notice := _notice(run)) is not None and not notice.result
        else None
    ),
}


# Every action the step page knows, whichever step is open, each with its own URL
# ``planning:step_<action>`` (which of them the open step offers is decided by
# _step_forms; a known one it does not offer is a 409).
STEP_ACTIONS = (*FORM_BUILDERS, "remove_need")


def _step_forms(process, run, data, files, action, staff: bool) -> dict:
    """The forms the open step offers (its kind's entry), the posted one bound."""
    if run is None:
        return {}
    forms = {}
    for name in spec(run.step.kind).forms:
        bound = {"data": data, "files": files} if action == name else {}
        form = FORM_BUILDERS[name](bound, process, run, staff)
        if form is not None:
            forms[name] = form
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
        ev.add_step_photo(
            process=process,
            actor=user,
            purpose=spec(run.step.kind).photo_purpose,
            submission_token=token,
            **data,
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


@require_safe
def step(request, town_slug, pk):
    """The open step's evidence: what is still missing, the forms of its kind, and
    the evidence of earlier runs (read-only). Its forms post to their own URLs."""
    return _step(request, town_slug, pk, "")


def _step_action(action):
    """The POST-only view of one action of the step page (``planning:step_<action>``)."""

    @require_POST
    def view(request, town_slug, pk):
        return _step(request, town_slug, pk, action)

    view.__name__ = view.__qualname__ = f"step_{action}"
    view.__doc__ = f"The step page's {action!r} form: one action, POST only."
    return view


STEP_VIEWS = {action: _step_action(action) for action in STEP_ACTIONS}


def _step(request, town_slug, pk, action):
    """The step page; with ``action`` (a POST to that action's URL), the action is
    taken first and a refusal shown on the page with its form bound."""
    process = _process(request, town_slug, pk, "planning.contribute")
    run = _active_run(process)
    staff = _is_staff(request, process)
    forms = _step_forms(process, run, request.POST, request.FILES, action, staff)
    conflict = False
    if action:
        if action == "remove_need":
            need_pk = parse_id(request.POST.get("need"))
            if need_pk is None:
                return error_page(request, 400, _("Bad request"), _("Choose a need of the list."))
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
                    token=submission_token(request),
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


@require_safe
def draft(request, town_slug, pk, draft_pk):
    """One version of the design: its file, description, change note and the inputs it
    answers, residents' comments, and the dot vote while participatory design runs.
    Its forms post to their own URLs (draft_vote, draft_comment)."""
    return _draft(request, town_slug, pk, draft_pk, "")


@require_POST
def draft_vote(request, town_slug, pk, draft_pk):
    return _draft(request, town_slug, pk, draft_pk, "vote")


@require_POST
def draft_comment(request, town_slug, pk, draft_pk):
    return _draft(request, town_slug, pk, draft_pk, "comment")


def _draft(request, town_slug, pk, draft_pk, action):
    process = _process(request, town_slug, pk)
    draft = get_object_or_404(
        DesignDraft.objects.select_related("author", "run__step").annotate(
            dot_count=Count("dot_votes", distinct=True),
            paper_dot_count=Count(
                "dot_votes", filter=Q(dot_votes__paper_recorded_at__isnull=False), distinct=True
            ),
        ),
        pk=draft_pk,
        process=process,
    )
    run = _active_run(process)
    # The draft page takes dot votes only while residents may place them.
    participating = run is not None and "dot" in spec(run.step.kind).resident_actions
    form = CommentForm(request.POST if action == "comment" else None, prefix="comment")
    refusals = []
    page = reverse("planning:draft", args=[town_slug, pk, draft_pk])
    if action:
        if not request.user.is_authenticated:
            # Back to the page after logging in, not to the POST-only URL.
            return redirect_to_login(page)
        try:
            if action == "vote":
                ev.cast_dot_vote(process=process, user=request.user, draft=draft)
                return _done(request, _("Your dot was placed."), page)
            if action == "comment" and form.is_valid():
                ev.comment_on_draft(
                    process=process,
                    user=request.user,
                    draft=draft,
                    body=form.cleaned_data["body"],
                    submission_token=submission_token(request),
                )
                return _done(request, _("Thank you: your comment was added."), page)
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
    request,
    *,
    action,
    page,
    staff,
    current,
    not_open,
    add_action,
    form,
    add,
    added,
    replies,
    choose,
    reply,
):
    """The POST of a page where residents write and the staff give official replies
    (the consultation, the notice), to the URL of ``action``: the residents'
    `add_action` sends `form` to `add(body)`, the staff's "reply" answers one of
    `replies()` with `reply(item, text)`; both come back to ``page``. Returns the
    response to send, or None and the refusals to show on the page."""
    if not request.user.is_authenticated:
        # Back to the page after logging in, not to the POST-only URL.
        return redirect_to_login(page), []
    if action == "reply" and not staff:
        raise PermissionDenied
    try:
        if current is None:
            raise DomainError(not_open)
        if action == add_action and form.is_valid():
            add(form.cleaned_data["body"])
            return _done(request, added, page), []
        if action == "reply":
            reply_form, item = _reply_target(request, replies())
            if item is None:
                raise DomainError(choose)
            reply(item, reply_form.cleaned_data["reply"])
            return _done(request, _("The reply was published."), page), []
    except DomainError as error:
        return None, [error.message]
    return None, []


@require_safe
def consultation(request, town_slug, pk):
    """The consultation window on the draft, comments with their official replies, the
    comment form while open and the staff's reply forms (posting to
    consultation_comment and consultation_reply)."""
    return _consultation(request, town_slug, pk, "")


@require_POST
def consultation_comment(request, town_slug, pk):
    return _consultation(request, town_slug, pk, "comment")


@require_POST
def consultation_reply(request, town_slug, pk):
    return _consultation(request, town_slug, pk, "reply")


def _consultation(request, town_slug, pk, action):
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
    form = CommentForm(request.POST if action == "comment" else None, prefix="comment")
    refusals = []
    if action:
        response, refusals = _reply_page_post(
            request,
            action=action,
            page=reverse("planning:consultation", args=[town_slug, pk]),
            staff=staff,
            current=current,
            not_open=_("The consultation has not opened yet."),
            add_action="comment",
            form=form,
            add=lambda body: ev.comment_in_consultation(
                process=process,
                user=request.user,
                body=body,
                submission_token=submission_token(request),
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


@require_safe
def notice(request, town_slug, pk):
    """The notice: its text and period, objections with their official replies, the
    objection form while it runs, the staff's reply forms (posting to notice_object and
    notice_reply), and the result."""
    return _notice_page(request, town_slug, pk, "")


@require_POST
def notice_object(request, town_slug, pk):
    return _notice_page(request, town_slug, pk, "object")


@require_POST
def notice_reply(request, town_slug, pk):
    return _notice_page(request, town_slug, pk, "reply")


def _notice_page(request, town_slug, pk, action):
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
    form = CommentForm(
        request.POST if action == "object" else None, prefix="objection", label=_("Your objection")
    )
    refusals = []
    if action:
        response, refusals = _reply_page_post(
            request,
            action=action,
            page=reverse("planning:notice", args=[town_slug, pk]),
            staff=staff,
            current=current,
            not_open=_("The notice has not been posted yet."),
            add_action="object",
            form=form,
            add=lambda body: ev.object_to_notice(
                process=process,
                user=request.user,
                body=body,
                submission_token=submission_token(request),
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
