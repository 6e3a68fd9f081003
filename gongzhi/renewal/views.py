"""Project pages: the public list and story of each project, the staff workbench, the
creation and editing forms, and the ledger download.

GET reads; every POST calls one service. A refused action (DomainError) shows its
message on the workbench with HTTP 409, a malformed form its field errors with 400;
nothing is stored in either case. Nothing here decides a rule.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.contests.models import Entry
from gongzhi.core.access import get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.ledgers import logged_download
from gongzhi.core.pagecache import kept_per_person
from gongzhi.core.views import form_page, parse_id, submission_token
from gongzhi.places.models import Town
from gongzhi.places.views import paginate
from gongzhi.planning.models import PlanningProcess
from gongzhi.proposals.models import Proposal

from . import services
from .forms import (
    ApprovalForm,
    CompleteForm,
    DateForm,
    EditProjectForm,
    MaintenanceForm,
    MilestoneForm,
    MilestoneProgressForm,
    PhotoForm,
    ProjectFilterForm,
    ProjectForm,
    SpendingForm,
    SuspendForm,
)
from .ledgers import ledger_filename, project_ledger
from .models import (
    FINISHED,
    TRANSITIONS,
    OriginKind,
    Phase,
    Project,
    ProjectStatus,
)
from .satisfaction import needs_comparison, overall_scores, project_scores


def _town(town_slug):
    return get_object_or_404(Town, slug=town_slug)


def _projects():
    return Project.objects.select_related("town", "area", "site", "responsible_unit")


def _checked(request, perm, town_slug, pk):
    """The project for those who hold ``perm`` on it (403 for staff of another area)."""
    return get_checked(request, perm, _projects().with_money(), pk=pk, town__slug=town_slug)


# --- The public list -------------------------------------------------------------------


def _staff_links(request, town) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    tools = [
        ("renewal.create", "renewal:create_project", _("Start a project")),
        ("renewal.export_ledger", "renewal:ledger", _("Download the project ledger")),
    ]
    return [
        {"url": reverse(name, args=[town.slug]), "label": label}
        for perm, name, label in tools
        if user.has_perm(perm, town)
    ]


def project_list(request, town_slug):
    """The town's projects: filter by area, kind and status; at the top the count in
    each status and the satisfaction over the projects shown."""
    town = _town(town_slug)
    form = ProjectFilterForm(request.GET or None, town=town)
    projects = Project.objects.filter(town=town)
    status = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["area"]:
            projects = projects.filter(area=data["area"])
        if data["kind"]:
            projects = projects.filter(kind=data["kind"])
        status = data["status"]
    counted = dict(
        projects.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    if status:
        projects = projects.filter(status=status)
    page = paginate(
        request,
        projects.with_scores().select_related("area", "site").order_by("-planned_start", "-pk"),
    )
    return form_page(
        request,
        "renewal/project_list.html",
        {
            "town": town,
            "form": form,
            "page": page,
            "status_counts": [
                {"status": value, "label": label, "count": counted.get(value, 0)}
                for value, label in ProjectStatus.choices
            ],
            "scores": overall_scores(projects),
            "staff_links": _staff_links(request, town),
        },
        form,
        partial="results",
    )


# --- The project's page ------------------------------------------------------------------


def _origin(project) -> dict:
    """What the project came from, for the story at the top of its page."""
    if project.process_id:
        from gongzhi.planning.models import MeetingLink, StepRun

        process = project.process
        runs = list(
            StepRun.objects.filter(process=process)
            .select_related("step")
            .order_by("opened_at", "pk")
        )
        decisions = list(
            MeetingLink.objects.filter(run__process=process)
            .exclude(decision="")
            .select_related("meeting", "run__step")
            .order_by("linked_at", "pk")
        )
        return {
            "kind": OriginKind.PROCESS,
            "process": process,
            "runs": runs,
            "decisions": decisions,
        }
    if project.proposal_id:
        from gongzhi.proposals.services import support_count

        proposal = project.proposal
        return {
            "kind": OriginKind.PROPOSAL,
            "proposal": proposal,
            "history": list(proposal.history.all()),
            "support_count": support_count(proposal),
            "author": proposal.author.display_name,
        }
    return {"kind": OriginKind.ENTRY, "entry": project.entry}


def _photo_sets(photos) -> list[dict]:
    by_phase = {phase: [] for phase in Phase.values}
    for photo in photos:
        by_phase[photo.phase].append(photo)
    return [
        {"phase": value, "label": label, "photos": by_phase[value]}
        for value, label in Phase.choices
        if by_phase[value]
    ]


def _milestones(project) -> list:
    """The milestones, each open one that is past its planned end marked overdue."""
    today = timezone.localdate()
    milestones = list(project.milestones.all())
    for milestone in milestones:
        milestone.overdue = (
            (today - milestone.planned_end).days
            if milestone.is_open and today > milestone.planned_end
            else 0
        )
    return milestones


def _result(project) -> dict | None:
    """The published result: cost against budget, completion against plan."""
    if project.status not in FINISHED:
        return None
    difference = project.spent - project.budget
    days = (project.actual_end - project.planned_end).days
    return {
        "over": max(difference, 0),
        "under": max(-difference, 0),
        "days_late": max(days, 0),
        "days_early": max(-days, 0),
    }


def _satisfaction(project) -> dict | None:
    if not project.satisfaction_survey_id:
        return None
    scores = project_scores(project)
    answered = sum(scores.spread)
    return {
        "scores": scores,
        "answered": answered,
        "spread": [
            {"value": value, "count": count}
            for value, count in zip(range(5, 0, -1), reversed(scores.spread), strict=True)
        ],
        "survey": project.satisfaction_survey,
        "needs": needs_comparison(project),
    }


def _load_origin(project) -> None:
    """Fetch the project's one origin with what the page shows of it, in its own small
    query: joining all three possible origins into the project's query made PostgreSQL
    spend longer planning it than running it (bench: 12 ms of planning per view)."""
    if project.process_id:
        project.process = PlanningProcess.objects.select_related(
            "town", "area", "team", "lead_partner"
        ).get(pk=project.process_id)
    elif project.proposal_id:
        project.proposal = Proposal.objects.select_related("town", "area", "author").get(
            pk=project.proposal_id
        )
    else:
        project.entry = Entry.objects.select_related("contest__town", "site__area", "award").get(
            pk=project.entry_id
        )


@kept_per_person
def project_detail(request, town_slug, pk):
    """The whole story of a project, for everyone: where it came from, who is
    responsible, money, milestones, the construction timeline, photos before, during
    and after, the published result and how satisfied residents are."""
    project = get_object_or_404(
        _projects().with_money().select_related("satisfaction_survey"),
        pk=pk,
        town__slug=town_slug,
    )
    _load_origin(project)
    user = request.user
    can_manage = user.has_perm("renewal.manage", project)
    photos = list(project.photos.order_by("taken_at", "pk"))
    befores = [photo for photo in photos if photo.phase == Phase.BEFORE]
    afters = [photo for photo in photos if photo.phase == Phase.AFTER]
    partners = list(project.partners.all())
    for partner in partners:
        partner.show_name = user.has_perm("partners.view_contact", partner)
    return render(
        request,
        "renewal/project_detail.html",
        {
            "town": project.town,
            "project": project,
            "origin": _origin(project),
            "partners": partners,
            "milestones": _milestones(project),
            "history": list(project.history.all()),
            "photo_sets": _photo_sets(photos),
            "compare": (befores[0], afters[-1]) if befores and afters else None,
            "result": _result(project),
            "satisfaction": _satisfaction(project),
            "can_manage": can_manage,
            "can_contribute": user.has_perm("renewal.contribute", project),
        },
    )


# --- The workbench -----------------------------------------------------------------------


def _workbench(request, project, *, forms=None, status=200):
    """The staff page: every form a user may use on the project in its status, each
    posting to its own URL; ``forms`` carries a bound form that failed."""
    forms = forms or {}
    user = request.user
    can_manage = user.has_perm("renewal.manage", project)
    can_approve = user.has_perm("renewal.approve_budget", project)
    finished = project.status in FINISHED
    working = project.status in (ProjectStatus.PLANNED, ProjectStatus.UNDER_CONSTRUCTION)
    milestones = _milestones(project)

    def form(key, form_class, **kwargs):
        return forms.get(key) or form_class(prefix=key, **kwargs)

    context = {
        "town": project.town,
        "project": project,
        "milestones": milestones,
        "spendings": list(project.spendings.all()),
        "approvals": list(project.approvals.all()),
        "photo_sets": _photo_sets(project.photos.order_by("taken_at", "pk")),
        "can_manage": can_manage,
        "failed": next(iter(forms), ""),
    }
    if working:
        context["progress_forms"] = [
            (milestone, form(f"progress-{milestone.pk}", MilestoneProgressForm))
            for milestone in milestones
            if milestone.is_open
        ]
    if can_manage and not finished:
        context["milestone_form"] = form("milestone", MilestoneForm)
    if can_manage and not finished:
        # Once the result is published the accounts are closed (the service refuses).
        context["spending_form"] = form("spending", SpendingForm)
    if can_approve and not finished:
        context["approval_form"] = form("approval", ApprovalForm)
    context["photo_form"] = photo_form = form("photo", PhotoForm)
    not_started = ProjectStatus.PLANNED in (project.status, project.resumes_to)
    if not_started and not photo_form.is_bound:
        # Only "before" is possible yet (the service says so to a form that insists).
        photo_form.fields["phase"].choices = [(Phase.BEFORE.value, Phase.BEFORE.label)]
    if can_manage:
        allowed = TRANSITIONS[ProjectStatus(project.status)]
        if project.status == ProjectStatus.PLANNED:
            context["start_form"] = form("start", DateForm)
        if ProjectStatus.SUSPENDED in allowed:
            context["suspend_form"] = form("suspend", SuspendForm)
        if project.status == ProjectStatus.SUSPENDED:
            context["resume_form"] = form("resume", DateForm)
        if project.status == ProjectStatus.UNDER_CONSTRUCTION:
            context["complete_form"] = form("complete", CompleteForm)
            context["missing"] = services.completion_missing(project)
        if project.status == ProjectStatus.COMPLETED:
            context["maintenance_form"] = form("maintenance", MaintenanceForm)
    return render(request, "renewal/manage.html", context, status=status)


def manage(request, town_slug, pk):
    return _workbench(request, _checked(request, "renewal.contribute", town_slug, pk))


def _act(request, project, key, form, call, done, anchor=""):
    """Validate ``form``, call the service through ``call(data)``; on success back to
    the workbench with ``done``, otherwise the workbench again with the form."""
    if not form.is_valid():
        return _workbench(request, project, forms={key: form}, status=400)
    try:
        call(form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
        return _workbench(request, project, forms={key: form}, status=error.status)
    messages.success(request, done)
    return redirect(reverse("renewal:manage", args=[project.town.slug, project.pk]) + anchor)


@require_POST
def add_milestone(request, town_slug, pk):
    project = _checked(request, "renewal.manage", town_slug, pk)
    form = MilestoneForm(request.POST, prefix="milestone")
    return _act(
        request,
        project,
        "milestone",
        form,
        lambda data: services.add_milestone(
            project=project,
            actor=request.user,
            submission_token=submission_token(request),
            **data,
        ),
        _("The milestone was added."),
        "#milestones",
    )


@require_POST
def record_milestone(request, town_slug, pk, milestone_pk):
    project = _checked(request, "renewal.contribute", town_slug, pk)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    key = f"progress-{milestone.pk}"
    form = MilestoneProgressForm(request.POST, prefix=key)
    return _act(
        request,
        project,
        key,
        form,
        lambda data: services.record_milestone(milestone=milestone, actor=request.user, **data),
        _("The milestone's dates were recorded."),
        "#milestones",
    )


@require_POST
def add_spending(request, town_slug, pk):
    project = _checked(request, "renewal.manage", town_slug, pk)
    form = SpendingForm(request.POST, prefix="spending")
    return _act(
        request,
        project,
        "spending",
        form,
        lambda data: services.record_spending(
            project=project,
            actor=request.user,
            submission_token=submission_token(request),
            **data,
        ),
        _("The spending was recorded."),
        "#money",
    )


@require_POST
def approve_budget(request, town_slug, pk):
    project = _checked(request, "renewal.approve_budget", town_slug, pk)
    form = ApprovalForm(request.POST, prefix="approval")
    return _act(
        request,
        project,
        "approval",
        form,
        lambda data: services.approve_extra_budget(
            project=project,
            actor=request.user,
            submission_token=submission_token(request),
            **data,
        ),
        _("The approval to spend beyond the budget was recorded."),
        "#money",
    )


@require_POST
def add_photo(request, town_slug, pk):
    project = _checked(request, "renewal.contribute", town_slug, pk)
    form = PhotoForm(request.POST, request.FILES, prefix="photo")

    def call(data):
        data = dict(data)
        services.add_photo(
            project=project,
            actor=request.user,
            upload=data.pop("image"),
            submission_token=submission_token(request),
            **data,
        )

    return _act(request, project, "photo", form, call, _("The photo was added."), "#photos")


@require_POST
def start_construction(request, town_slug, pk):
    project = _checked(request, "renewal.manage", town_slug, pk)
    form = DateForm(request.POST, prefix="start")
    return _act(
        request,
        project,
        "start",
        form,
        lambda data: services.start_construction(
            project=project, actor=request.user, on=data["on"]
        ),
        _("Construction has started."),
    )


@require_POST
def suspend(request, town_slug, pk):
    project = _checked(request, "renewal.manage", town_slug, pk)
    form = SuspendForm(request.POST, prefix="suspend")
    return _act(
        request,
        project,
        "suspend",
        form,
        lambda data: services.suspend(project=project, actor=request.user, **data),
        _("The project is suspended; the reason is shown on its page."),
    )


@require_POST
def resume(request, town_slug, pk):
    project = _checked(request, "renewal.manage", town_slug, pk)
    form = DateForm(request.POST, prefix="resume")
    return _act(
        request,
        project,
        "resume",
        form,
        lambda data: services.resume(project=project, actor=request.user, on=data["on"]),
        _("The project has resumed."),
    )


@require_POST
def complete(request, town_slug, pk):
    project = _checked(request, "renewal.manage", town_slug, pk)
    form = CompleteForm(request.POST, prefix="complete")
    return _act(
        request,
        project,
        "complete",
        form,
        lambda data: services.complete_project(project=project, actor=request.user, **data),
        _(
            "The project is completed: its result is published, the residents who took "
            "part were told and the satisfaction survey is open."
        ),
    )


@require_POST
def start_maintenance(request, town_slug, pk):
    project = _checked(request, "renewal.manage", town_slug, pk)
    form = MaintenanceForm(request.POST, prefix="maintenance")
    return _act(
        request,
        project,
        "maintenance",
        form,
        lambda data: services.start_maintenance(project=project, actor=request.user, **data),
        _("The project is in maintenance."),
    )


# --- Creating and editing ----------------------------------------------------------------


def create_project(request, town_slug):
    """Start a project from a completed plan, an adopted proposal or a winning contest
    entry (``?process=``, ``?proposal=``, ``?entry=`` choose it)."""
    town = get_checked(request, "renewal.create", Town, slug=town_slug)
    if request.method == "POST":
        form = ProjectForm(request.POST, town=town, user=request.user)
    else:
        form = ProjectForm(town=town, user=request.user)
        for kind in OriginKind.values:
            pk = parse_id(request.GET.get(kind))
            if pk is not None:
                form.preselect(kind, pk)
                break
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                project = services.create_project(
                    town=town,
                    actor=request.user,
                    submission_token=submission_token(request),
                    **form.service_arguments(),
                )
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(
                    request, _("The project was created. Plan its milestones before it starts.")
                )
                return redirect("renewal:manage", town.slug, project.pk)
        else:
            status = 400
    return render(request, "renewal/project_form.html", {"town": town, "form": form}, status=status)


def edit_project(request, town_slug, pk):
    project = _checked(request, "renewal.manage", town_slug, pk)
    if project.status in FINISHED:
        return render(
            request, "renewal/project_edit.html", {"town": project.town, "project": project}
        )
    if request.method != "POST":
        form = EditProjectForm(project=project)
        return render(
            request,
            "renewal/project_edit.html",
            {"town": project.town, "project": project, "form": form},
        )
    form = EditProjectForm(request.POST, project=project)
    status = 400
    if form.is_valid():
        try:
            services.edit_project(project=project, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, _("The project's details were saved."))
            return redirect("renewal:manage", project.town.slug, project.pk)
    return render(
        request,
        "renewal/project_edit.html",
        {"town": project.town, "project": project, "form": form},
        status=status,
    )


# --- The ledger ----------------------------------------------------------------------------


def ledger(request, town_slug):
    """The project ledger (台账) as Excel: the whole town for its secretariat, their
    own areas for area staff; ?year= for the projects planned to start that year.
    Logged."""
    town = get_checked(request, "renewal.export_ledger", Town, slug=town_slug)
    year = parse_id(request.GET.get("year"))
    if year is not None and not 2000 <= year <= 2100:
        year = None
    return logged_download(
        [project_ledger(town=town, user=request.user, year=year)],
        *ledger_filename(town, year),
        actor=request.user,
        town=town,
        name="projects",
        year=year,
    )
