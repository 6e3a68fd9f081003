"""Process pages, the progress board, batch launch and workflow templates.

GET reads; every POST calls one service and shows its DomainError as a message with
HTTP 409 (or the form's errors with 400); nothing here decides a rule. The public
plan page shows evidence de-identified: counts, categories, dates and public
summaries, never interview notes or residents' names.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from gongzhi.core.access import check_perm, get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.ledgers import Column, Ledger, xlsx_download
from gongzhi.core.models import AuditEvent
from gongzhi.core.pagecache import kept_per_person
from gongzhi.core.views import error_page, form_page, parse_id, submission_token
from gongzhi.places.models import ResidentialArea, Town
from gongzhi.places.views import paginate

from . import services
from .board import board_queryset, board_rows, open_runs_of, overdue, plan_state
from .evidence import missing_for_runs
from .forms import (
    BatchForm,
    BoardFilterForm,
    CopyTemplateForm,
    ProcessFilterForm,
    ReasonForm,
    ReturnForm,
    StartForm,
    StepRuleForm,
    TakeInForm,
    town_areas,
    town_teams,
)
from .kinds import spec
from .models import (
    ActivityLink,
    BatchLaunch,
    DesignDraft,
    Follower,
    Interview,
    MeetingLink,
    PlanningProcess,
    ProcessStatus,
    StepRun,
    SurveyLink,
    TemplateStep,
    WorkflowTemplate,
)
from .queries import plan_timeline

EXPORT_CHUNK = 500


def _town(town_slug):
    return get_object_or_404(Town, slug=town_slug)


def _url(name, *args):
    """The URL, or None while the page it names does not exist yet (the evidence
    pages land in views_steps.py)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- The public list -----------------------------------------------------------------


def process_list(request, town_slug):
    """The town's plans (drafts excepted): filter by area, status and current step."""
    town = _town(town_slug)
    form = ProcessFilterForm(request.GET or None, town=town)
    processes = PlanningProcess.objects.public().filter(town=town).select_related("area", "team")
    if form.is_valid():
        data = form.cleaned_data
        if data["area"]:
            processes = processes.filter(area=data["area"])
        if data["status"]:
            processes = processes.filter(status=data["status"])
        if data["step"]:
            processes = processes.filter(current_order=data["step"])
    page = paginate(request, processes)
    # Each plan's state as its page and the progress board show it.
    page.object_list = list(page.object_list)
    runs = open_runs_of(page.object_list)
    today = timezone.localdate()
    for process in page.object_list:
        process.state = plan_state(process, runs.get(process.pk), today)
    user = request.user
    return form_page(
        request,
        "planning/process_list.html",
        {
            "town": town,
            "form": form,
            "page": page,
            "can_start": user.is_authenticated and user.has_perm("planning.start", town),
            "can_board": user.is_authenticated and user.has_perm("planning.board", town),
            "can_templates": user.is_authenticated and user.has_perm("planning.templates"),
        },
        form,
        partial="results",
    )


# --- The plan page -------------------------------------------------------------------


def _process(town_slug, pk):
    return get_object_or_404(
        PlanningProcess.objects.select_related(
            "town", "area", "team", "lead_partner", "template", "batch"
        ),
        pk=pk,
        town__slug=town_slug,
    )


def _visible(request, town_slug, pk):
    """The process for whoever may see it; a draft is not there for the public."""
    process = _process(town_slug, pk)
    if not request.user.has_perm("planning.view", process):
        raise Http404
    return process


def _runs(process):
    """Every run of the process with its evidence, in a fixed number of queries."""
    runs = list(
        StepRun.objects.filter(process=process)
        .select_related("step", "consultation", "notice")
        .annotate(
            comment_count=Count("consultation__comments", distinct=True),
            reply_count=Count(
                "consultation__comments",
                filter=~Q(consultation__comments__reply=""),
                distinct=True,
            ),
            objection_count=Count("notice__objections", distinct=True),
            # Inputs staff recorded from residents' paper forms, shown as such.
            paper_comment_count=Count(
                "consultation__comments",
                filter=Q(consultation__comments__paper_recorded_at__isnull=False),
                distinct=True,
            ),
            paper_objection_count=Count(
                "notice__objections",
                filter=Q(notice__objections__paper_recorded_at__isnull=False),
                distinct=True,
            ),
            answered_objections=Count(
                "notice__objections", filter=~Q(notice__objections__reply=""), distinct=True
            ),
        )
        .prefetch_related(
            Prefetch(
                "survey_links",
                queryset=SurveyLink.objects.select_related("survey").annotate(
                    response_count=Count("survey__responses")
                ),
            ),
            Prefetch(
                # Category, date and the public summary only: the notes and the
                # interviewer never leave the database for this page.
                "interviews",
                queryset=Interview.objects.only("run_id", "category", "held_on", "summary"),
            ),
            Prefetch("drafts", queryset=DesignDraft.objects.defer("description", "change_note")),
            Prefetch("activity_links", queryset=ActivityLink.objects.select_related("activity")),
            Prefetch(
                "meeting_links",
                queryset=MeetingLink.objects.select_related("meeting", "motion")
                .prefetch_related("meeting__parties")
                .order_by("pk"),
            ),
            "needs",
        )
        .order_by("opened_at", "pk")
    )
    activity_ids = {link.activity_id for run in runs for link in run.activity_links.all()}
    if activity_ids:
        from gongzhi.events.models import Activity

        figures = {a.pk: a for a in Activity.objects.filter(pk__in=activity_ids).with_counts()}
        for run in runs:
            for link in run.activity_links.all():
                counted = figures[link.activity_id]
                link.person_times = counted.person_times
                link.people = counted.people_count
    return runs


def _evidence_urls(process, runs):
    slug = process.town.slug
    for run in runs:
        for link in run.survey_links.all():
            link.url = reverse("surveys:survey", args=[slug, link.survey_id])
        for draft in run.drafts.all():
            draft.url = _url("planning:draft", slug, process.pk, draft.pk)
        for link in run.meeting_links.all():
            link.url = reverse("meetings:meeting", args=[slug, link.meeting_id])
        for link in run.activity_links.all():
            link.url = reverse("events:activity", args=[slug, link.activity_id])


def _answer_survey(process, open_run, runs, now) -> list[dict]:
    return [
        {
            "label": _("Answer the survey “%(title)s”") % {"title": link.survey.title},
            "url": link.url,
        }
        for link in open_run.survey_links.all()
        if link.survey.is_open
    ]


def _vote_on_drafts(process, open_run, runs, now) -> list[dict]:
    # The draft page takes votes (and, once voted, comments) only in this step.
    drafts = [d for run in runs for d in run.drafts.all()]
    return [
        {
            "label": _("Vote between the drafts or comment on “%(title)s”") % {"title": d.title},
            "url": d.url,
        }
        for d in drafts[-4:]
        if d.url
    ]


def _comment_in_consultation(process, open_run, runs, now) -> list[dict]:
    consultation = getattr(open_run, "consultation", None)
    url = _url("planning:consultation", process.town.slug, process.pk)
    if consultation and consultation.opens_at <= now < consultation.closes_at and url:
        return [{"label": _("Comment in the public consultation"), "url": url}]
    return []


def _object_to_notice(process, open_run, runs, now) -> list[dict]:
    notice = getattr(open_run, "notice", None)
    url = _url("planning:notice", process.town.slug, process.pk)
    if notice and notice.starts_on <= timezone.localdate(now) <= notice.ends_on and url:
        return [{"label": _("Read the notice or raise an objection"), "url": url}]
    return []


# The plan page's links for each thing residents may do in a step (kinds.py names
# which a step offers); "comment_drafts" is on the same draft pages as "dot".
RESIDENT_LINKS = {
    "survey": _answer_survey,
    "dot": _vote_on_drafts,
    "comment_drafts": lambda process, open_run, runs, now: [],
    "comment": _comment_in_consultation,
    "object": _object_to_notice,
}


def _can_do_now(process, open_run, runs, now) -> list[dict]:
    """What a resident can do at the current step, with the page to do it on."""
    if open_run is None or process.status != ProcessStatus.ACTIVE:
        return []
    actions = []
    for action in spec(open_run.step.kind).resident_actions:
        actions += RESIDENT_LINKS[action](process, open_run, runs, now)
    return actions


VERBS = {
    "planning.start": gettext_lazy("Started"),
    "planning.advance": gettext_lazy("Step closed"),
    "planning.return": gettext_lazy("Sent back"),
    "planning.abandon": gettext_lazy("Abandoned"),
    "planning.proposal": gettext_lazy("Proposal taken in"),
}


def _trail(process):
    """The audit trail of the process for the public: what happened and when, the
    actor shown as a role, never a name."""
    events = AuditEvent.objects.filter(
        target_type="planning.planningprocess", target_id=str(process.pk)
    ).order_by("seq")
    rows = []
    for event in events.only("seq", "created_at", "verb", "actor_id", "before", "after"):
        before, after = event.before or {}, event.after or {}
        if event.verb == "planning.advance":
            detail = _("from step %(before)s to step %(after)s") % {
                "before": before.get("step", "?"),
                "after": after.get("step", "?"),
            }
            if after.get("status") == ProcessStatus.COMPLETED:
                detail = _("the last step closed: the plan is final")
        elif event.verb == "planning.return":
            detail = _("from step %(before)s back to step %(after)s: %(reason)s") % {
                "before": before.get("step", "?"),
                "after": after.get("step", "?"),
                "reason": after.get("reason", ""),
            }
        elif event.verb == "planning.abandon":
            detail = after.get("reason", "")
        else:
            detail = ""
        rows.append(
            {
                "at": event.created_at,
                "verb": VERBS.get(event.verb, event.verb),
                "actor": _("staff") if event.actor_id else _("the system"),
                "detail": detail,
            }
        )
    return rows


def _detail(request, process, *, status=200, forms=None):
    forms = forms or {}
    user = request.user
    now = timezone.now()
    steps = list(process.template.steps.all())
    runs = _runs(process)
    _evidence_urls(process, runs)
    open_run = next((run for run in runs if run.closed_at is None), None)
    timeline = plan_timeline(process, runs, steps)
    signed_in = user.is_authenticated
    can_manage = signed_in and user.has_perm("planning.advance", process)
    can_contribute = signed_in and user.has_perm("planning.contribute", process)
    active = process.status == ProcessStatus.ACTIVE
    context = {
        "town": process.town,
        "process": process,
        "timeline": timeline,
        "open_run": open_run,
        "sites": list(process.sites.all()),
        "proposals": list(process.proposals.all()),
        "can_do_now": _can_do_now(process, open_run, runs, now),
        "trail": _trail(process),
        "following": signed_in and Follower.objects.filter(process=process, user=user).exists(),
        "can_contribute": can_contribute,
        "can_manage": can_manage and active,
        # The same reading of the plan's state as the progress board's.
        "state": plan_state(process, open_run, timezone.localdate(now)),
    }
    if open_run is not None and active:
        slug = process.town.slug
        context["step_url"] = _url("planning:step", slug, process.pk) if can_contribute else None
        context["notice_print_url"] = (
            _url("planning:notice_print", slug, process.pk)
            if "notice" in spec(open_run.step.kind).forms and hasattr(open_run, "notice")
            else None
        )
        if can_contribute:
            context["missing"] = missing_for_runs([open_run], now).get(open_run.pk, [])
        if user.is_authenticated and user.has_perm("planning.return_by_secretariat", process):
            earlier = [s for s in steps if s.order < open_run.step.order]
            if earlier:
                context["return_form"] = forms.get("return") or ReturnForm(
                    steps=earlier, prefix="return"
                )
        if user.is_authenticated and user.has_perm("planning.abandon", process):
            context["abandon_form"] = forms.get("abandon") or ReasonForm(prefix="abandon")
        if can_manage:
            candidates = _proposals_to_take_in(process)
            if candidates.exists():
                context["take_in_form"] = forms.get("take_in") or TakeInForm(
                    proposals=candidates, prefix="take_in"
                )
    return render(request, "planning/process_detail.html", context, status=status)


def _proposals_to_take_in(process):
    from gongzhi.proposals.models import Proposal, ProposalStatus

    return (
        Proposal.objects.filter(
            town_id=process.town_id, area_id=process.area_id, status=ProposalStatus.ADOPTED
        )
        .exclude(processes=process)
        .order_by("-created_at", "-pk")
    )


@kept_per_person
def process_detail(request, town_slug, pk):
    return _detail(request, _visible(request, town_slug, pk))


def _failed(request, process, error: DomainError, *, forms=None):
    messages.error(request, error.message)
    return _detail(request, process, status=error.status, forms=forms)


def _invalid(request, process, forms, message):
    messages.error(request, message)
    return _detail(request, process, status=400, forms=forms)


@login_required
@require_POST
def follow(request, town_slug, pk):
    process = _visible(request, town_slug, pk)
    if services.follow(process=process, user=request.user):
        messages.success(request, _("You follow this plan: you will hear of each step."))
    else:
        messages.info(request, _("You already follow this plan."))
    return redirect(process)


@require_POST
def advance(request, town_slug, pk):
    process = get_checked(
        request, "planning.advance", PlanningProcess.objects, pk=pk, town__slug=town_slug
    )
    try:
        process = services.advance_step(process=process, actor=request.user)
    except DomainError as error:
        return _failed(request, _process(town_slug, pk), error)
    if process.status == ProcessStatus.COMPLETED:
        messages.success(request, _("The last step closed: the plan is final."))
    else:
        messages.success(request, _("The step closed; the next step is open."))
    return redirect(process)


@require_POST
def return_to_step(request, town_slug, pk):
    process = get_checked(
        request,
        "planning.return_by_secretariat",
        PlanningProcess.objects.select_related("template"),
        pk=pk,
        town__slug=town_slug,
    )
    form = ReturnForm(request.POST, steps=process.template.steps.all(), prefix="return")
    if not form.is_valid():
        return _invalid(
            request,
            _process(town_slug, pk),
            {"return": form},
            _("Choose the step to go back to and give the reason."),
        )
    try:
        services.return_to_step(
            process=process,
            actor=request.user,
            to_order=form.cleaned_data["to_order"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        return _failed(request, _process(town_slug, pk), error)
    messages.success(request, _("The plan went back to the step chosen; a new revision is open."))
    return redirect(process)


@require_POST
def abandon(request, town_slug, pk):
    process = get_checked(
        request, "planning.abandon", PlanningProcess.objects, pk=pk, town__slug=town_slug
    )
    form = ReasonForm(request.POST, prefix="abandon")
    if not form.is_valid():
        return _invalid(request, _process(town_slug, pk), {"abandon": form}, _("Give the reason."))
    try:
        services.abandon(process=process, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        return _failed(request, _process(town_slug, pk), error)
    messages.success(request, _("The process was abandoned."))
    return redirect(process)


@require_POST
def take_in(request, town_slug, pk):
    """Take an adopted proposal of the area into the plan (its supporters follow)."""
    process = get_checked(
        request, "planning.advance", PlanningProcess.objects, pk=pk, town__slug=town_slug
    )
    from gongzhi.proposals.models import Proposal

    form = TakeInForm(
        request.POST,
        proposals=Proposal.objects.filter(town_id=process.town_id),
        prefix="take_in",
    )
    if not form.is_valid():
        return _invalid(
            request, _process(town_slug, pk), {}, _("Choose an adopted proposal of the area.")
        )
    try:
        services.take_in_proposal(
            process=process, proposal=form.cleaned_data["proposal"], actor=request.user
        )
    except DomainError as error:
        return _failed(request, _process(town_slug, pk), error)
    messages.success(request, _("The proposal is now part of the plan; its supporters follow it."))
    return redirect(process)


# --- Starting one process ------------------------------------------------------------


def _suggested_partners(town, area):
    from gongzhi.partners.matching import Need, rank_partners

    return rank_partners(
        Need(town_id=town.pk, modes=["planning"], area_id=area.pk if area else None), limit=5
    )


def start(request, town_slug):
    town = get_checked(request, "planning.start", Town, slug=town_slug)
    area_pk = parse_id(request.POST.get("area") or request.GET.get("area"))
    area = ResidentialArea.objects.filter(town=town, pk=area_pk).first() if area_pk else None
    initial = {"area": area.pk} if area else {}
    form = StartForm(request.POST or None, town=town, area=area, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            process = services.start_process(
                town=town,
                area=data["area"],
                actor=request.user,
                title=data["title"],
                template=data["template"],
                team=data["team"],
                lead_partner=data["lead_partner"],
                sites=data["sites"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The process started at its first step."))
            return redirect(process)
    status = 200
    if form.errors:
        status = 409 if form.non_field_errors() and not form.has_error("title") else 400
    return render(
        request,
        "planning/process_start.html",
        {"town": town, "form": form, "area": area, "suggested": _suggested_partners(town, area)},
        status=status,
    )


# --- Batch launch --------------------------------------------------------------------


def _batch_rows(town, chosen: set[int], teams_chosen: dict[int, int | None], *, all_=False):
    """One row per residential area: active already?, checked?, the team chosen (or
    the first team serving the area)."""
    from gongzhi.organisations.models import OrgUnit

    areas = list(
        town_areas(town).annotate(
            busy=Exists(
                PlanningProcess.objects.filter(area=OuterRef("pk"), status=ProcessStatus.ACTIVE)
            )
        )
    )
    serving = {}
    for area_id, team_id in (
        OrgUnit.areas.through.objects.filter(orgunit__town=town, orgunit__kind="team")
        .order_by("orgunit__name", "orgunit_id")
        .values_list("residentialarea_id", "orgunit_id")
    ):
        serving.setdefault(area_id, team_id)
    rows = []
    for area in areas:
        rows.append(
            {
                "area": area,
                "busy": area.busy,
                "checked": (all_ and not area.busy) or area.pk in chosen,
                "team": teams_chosen.get(area.pk, serving.get(area.pk)),
            }
        )
    return rows


def batch(request, town_slug):
    """Launch a template in any set of residential areas in one action, a team each."""
    town = get_checked(request, "planning.start", Town, slug=town_slug)
    teams = list(town_teams(town))
    team_ids = {team.pk for team in teams}
    form = BatchForm(request.POST or None, town=town)
    chosen: set[int] = set()
    teams_chosen: dict[int, int | None] = {}
    status = 200
    if request.method == "POST":
        area_ids = {a.pk: a for a in town_areas(town)}
        errors = []
        for value in request.POST.getlist("areas"):
            if parse_id(value) not in area_ids:
                errors.append(_("Choose residential areas of this town."))
                break
            chosen.add(parse_id(value))
        for area_pk in area_ids:
            value = request.POST.get(f"team_{area_pk}", "")
            if value == "":
                teams_chosen[area_pk] = None
            elif parse_id(value) in team_ids:
                teams_chosen[area_pk] = parse_id(value)
            else:
                errors.append(_("Choose a team of this town for each area."))
                break
        if form.is_valid() and not errors:
            by_pk = {team.pk: team for team in teams}
            try:
                launched = services.launch_batch(
                    town=town,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    template=form.cleaned_data["template"],
                    submission_token=submission_token(request),
                    assignments=[
                        (area_ids[pk], by_pk.get(teams_chosen.get(pk)))
                        for pk in sorted(chosen, key=lambda pk: (area_ids[pk].code, pk))
                    ],
                )
            except DomainError as error:
                messages.error(request, error.message)
                status = error.status
            else:
                started = launched.processes.count()
                messages.success(
                    request,
                    ngettext("%(n)d process started.", "%(n)d processes started.", started)
                    % {"n": started},
                )
                return redirect("planning:batch_result", town.slug, launched.pk)
        else:
            for error in errors:
                messages.error(request, error)
            status = 400
    rows = _batch_rows(town, chosen, teams_chosen, all_=request.GET.get("all") == "1")
    return render(
        request,
        "planning/batch.html",
        {"town": town, "form": form, "rows": rows, "teams": teams},
        status=status,
    )


def batch_result(request, town_slug, pk):
    launched = get_checked(
        request,
        "planning.start",
        BatchLaunch.objects.select_related("town", "template"),
        pk=pk,
        town__slug=town_slug,
    )
    processes = launched.processes.select_related("area", "team").order_by("area__code", "pk")
    return render(
        request,
        "planning/batch_result.html",
        {"town": launched.town, "batch": launched, "processes": processes},
    )


# --- The progress board --------------------------------------------------------------


def _board_filtered(request, town):
    from gongzhi.core.scope import within_scope

    areas = within_scope(town_areas(town), request.user, town, area_field="pk")
    form = BoardFilterForm(request.GET or None, town=town, areas=areas)
    processes = board_queryset(town, request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["area"]:
            processes = processes.filter(area=data["area"])
        if data["status"]:
            processes = processes.filter(status=data["status"])
        if data["step"]:
            processes = processes.filter(current_order=data["step"])
        if data["overdue"]:
            processes = overdue(processes)
    processes = processes.order_by(F("due_on").asc(nulls_last=True), "area__code", "pk")
    return form, processes


@kept_per_person
def board(request, town_slug):
    """Every process's current step, days in step, due date and missing evidence (what
    the open step lacks, computed for the rows of the page only)."""
    town = get_checked(request, "planning.board", Town, slug=town_slug)
    form, processes = _board_filtered(request, town)
    page = paginate(request, processes)
    rows = board_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return form_page(
        request,
        "planning/board.html",
        {
            "town": town,
            "form": form,
            "page": page,
            "rows": rows,
            "export_query": query.urlencode(),
            "can_start": request.user.has_perm("planning.start", town),
        },
        form,
        partial="results",
    )


def board_export(request, town_slug):
    """The board as an Excel ledger, with the filters of the page."""
    town = get_checked(request, "planning.board", Town, slug=town_slug)
    _form, processes = _board_filtered(request, town)
    today = timezone.localdate()

    def rows():
        chunk = []
        for process in processes.iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(process)
            if len(chunk) == EXPORT_CHUNK:
                yield from _export_rows(chunk)
                chunk = []
        yield from _export_rows(chunk)

    def _export_rows(chunk):
        for row in board_rows(chunk):
            process = row.process
            yield [
                process.area.name,
                process.title,
                row.state.status_label,
                row.state.step_order,
                row.state.step_title,
                process.team.name if process.team else "",
                row.days_in_step,
                row.due_on,
                _("yes") if row.is_overdue else "",
                "；".join(row.missing),
            ]

    ledger = Ledger(
        sheet_title=_("Progress board"),
        title=_("Planning progress board · %(town)s · %(date)s")
        % {"town": town.name, "date": today.isoformat()},
        columns=[
            Column(_("Residential area"), 18),
            Column(_("Title"), 30),
            Column(_("Status"), 10),
            Column(_("Step"), 6),
            Column(_("Current step"), 16),
            Column(_("Responsible team"), 16),
            Column(_("Days in step"), 10),
            Column(_("Due"), 12),
            Column(_("Overdue"), 8),
            Column(_("Missing evidence"), 60),
        ],
        rows=rows,
    )
    name = _("Planning progress board")
    return xlsx_download(
        [ledger], f"{name}-{town.name}-{today.isoformat()}.xlsx", f"planning-board-{today}.xlsx"
    )


# --- Workflow templates --------------------------------------------------------------


def _templates_page(request, town, *, status=200, forms=None):
    forms = forms or {}
    templates = (
        WorkflowTemplate.objects.annotate(
            used=Exists(PlanningProcess.objects.filter(template=OuterRef("pk")))
        )
        .select_related("based_on")
        .prefetch_related("steps")
        .order_by("-is_default", "name", "-version")
    )
    return render(
        request,
        "planning/template_list.html",
        {
            "town": town,
            "templates": templates,
            "copy_form": forms.get("copy") or CopyTemplateForm(),
        },
        status=status,
    )


def template_list(request, town_slug):
    town = _town(town_slug)
    check_perm(request, "planning.templates")
    return _templates_page(request, town)


@require_POST
def template_copy(request, town_slug, pk):
    town = _town(town_slug)
    check_perm(request, "planning.templates")
    template = get_object_or_404(WorkflowTemplate, pk=pk)
    form = CopyTemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a name of at most 80 characters."))
        return _templates_page(request, town, status=400, forms={"copy": form})
    try:
        copy = services.copy_template(
            template=template,
            actor=request.user,
            name=form.cleaned_data["name"],
            submission_token=submission_token(request),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _templates_page(request, town, status=error.status)
    messages.success(request, _("The copy was made; change its rules before it is used."))
    return redirect(reverse("planning:template_list", args=[town.slug]) + f"#template-{copy.pk}")


def template_step(request, town_slug, pk, step_pk):
    """Change one step's rules, on a template no process has used yet."""
    town = _town(town_slug)
    check_perm(request, "planning.templates")
    step = get_object_or_404(TemplateStep.objects.select_related("template"), pk=step_pk)
    if step.template_id != pk:
        return error_page(request, 404, _("Page not found"), _("There is no page at this address."))
    in_use = step.template.in_use
    form = StepRuleForm(request.POST or None, instance=TemplateStep.objects.get(pk=step.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_step_rule(
                    step=step,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in StepRuleForm.Meta.fields},
                )
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("The step's rules were saved."))
                return redirect(
                    reverse("planning:template_list", args=[town.slug])
                    + f"#template-{step.template_id}"
                )
        else:
            status = 400
    return render(
        request,
        "planning/template_step.html",
        {"town": town, "step": step, "form": form, "in_use": in_use},
        status=status,
    )
