"""Public reads: what the public pages show, as JSON, paginated. No authentication.

Each endpoint exposes only what its page shows to a visitor who is not signed in:
drafts are absent (404), authors and meeting names masked (张**), phone numbers
masked in meeting texts, minutes only once approved, project money and satisfaction
as the project page shows them.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from gongzhi.core.masking import mask_name
from gongzhi.events.models import Activity, ActivityKind, RegistrationStatus
from gongzhi.meetings.minutes import mask_public, names_by_meeting, public_text
from gongzhi.meetings.models import (
    Choice,
    Meeting,
    MeetingKind,
    Minutes,
    MotionStatus,
    VoteMode,
)
from gongzhi.news.queries import published_articles
from gongzhi.places.models import Town
from gongzhi.planning.models import (
    PlanningProcess,
    ProcessStatus,
    StepRun,
    current_step_name,
    with_current_step,
)
from gongzhi.planning.queries import plan_timeline
from gongzhi.proposals.models import Category, Comment, Proposal, ProposalStatus
from gongzhi.renewal.models import Project, ProjectKind, ProjectStatus
from gongzhi.renewal.satisfaction import project_scores, rounded

from .schemas import MAX_ID, READ_ERRORS, PageMeta, Paging, paginate

router = Router()

SLUG = Path(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
PK = Path(..., ge=1, le=MAX_ID)


def _choice(values):
    return Literal[tuple(values)]  # type: ignore[valid-type]


def _town(slug) -> Town:
    return get_object_or_404(Town, slug=slug)


class AreaRef(Schema):
    id: int
    name: str


def _area(area) -> dict | None:
    return {"id": area.pk, "name": area.name} if area is not None else None


# --- Areas ----------------------------------------------------------------------------


class AreaOut(Schema):
    id: int
    name: str
    code: str
    address: str
    households: int | None


class AreaPage(PageMeta):
    items: list[AreaOut]


@router.get("/towns/{slug}/areas", response={200: AreaPage, **READ_ERRORS}, url_name="areas")
def areas(request, paging: Query[Paging], slug: str = SLUG):
    """The residential areas of a town, in pinyin order of their names."""
    town = _town(slug)
    items, meta = paginate(town.areas.by_pinyin(), paging)
    return {
        **meta,
        "items": [
            {
                "id": a.pk,
                "name": a.name,
                "code": a.code,
                "address": a.address,
                "households": a.households,
            }
            for a in items
        ],
    }


# --- Planning processes ---------------------------------------------------------------


class ProcessOut(Schema):
    id: int
    title: str
    area: AreaRef
    status: str
    status_label: str
    current_step: int
    current_step_title: str | None
    starts_on: date
    completed_at: datetime | None


class ProcessPage(PageMeta):
    items: list[ProcessOut]


class RunOut(Schema):
    revision: int
    opened_at: datetime
    due_on: date
    closed_at: datetime | None
    outcome: str


class StepOut(Schema):
    order: int
    kind: str
    title: str
    state: Literal["done", "current", "upcoming"]
    runs: list[RunOut]


class ProcessDetail(ProcessOut):
    abandoned_reason: str
    steps: list[StepOut]


def _process_row(process) -> dict:
    return {
        "id": process.pk,
        "title": process.title,
        "area": _area(process.area),
        "status": process.status,
        "status_label": str(ProcessStatus(process.status).label),
        "current_step": process.current_order,
        "current_step_title": current_step_name(process) or None,
        "starts_on": process.starts_on,
        "completed_at": process.completed_at,
    }


class ProcessFilters(Paging):
    area: int | None = Field(None, ge=1, le=MAX_ID)
    status: _choice(ProcessStatus.values[1:]) | None = None


@router.get(
    "/towns/{slug}/processes",
    response={200: ProcessPage, **READ_ERRORS},
    url_name="processes",
)
def processes(request, filters: Query[ProcessFilters], slug: str = SLUG):
    """The town's planning processes (drafts excepted), newest first."""
    town = _town(slug)
    rows = with_current_step(
        PlanningProcess.objects.public().filter(town=town).select_related("area")
    )
    if filters.area:
        rows = rows.filter(area_id=filters.area)
    if filters.status:
        rows = rows.filter(status=filters.status)
    items, meta = paginate(rows.order_by("-starts_on", "-pk"), filters)
    return {**meta, "items": [_process_row(p) for p in items]}


@router.get(
    "/towns/{slug}/processes/{pk}",
    response={200: ProcessDetail, **READ_ERRORS},
    url_name="process",
)
def process(request, slug: str = SLUG, pk: int = PK):
    """One process with every step of its template and the runs of each step."""
    found = get_object_or_404(
        with_current_step(PlanningProcess.objects.public().select_related("area")),
        pk=pk,
        town__slug=slug,
    )
    runs = StepRun.objects.filter(process=found).order_by("opened_at", "pk")
    steps = [
        {
            "order": entry["step"].order,
            "kind": entry["step"].kind,
            "title": entry["step"].display_title,
            "state": entry["state"],
            "runs": [
                {
                    "revision": run.revision,
                    "opened_at": run.opened_at,
                    "due_on": run.due_on,
                    "closed_at": run.closed_at,
                    "outcome": run.outcome,
                }
                for run in entry["runs"]
            ],
        }
        for entry in plan_timeline(found, runs)
    ]
    return {
        **_process_row(found),
        "abandoned_reason": found.abandoned_reason,
        "steps": steps,
    }


# --- Proposals ------------------------------------------------------------------------


class ProposalOut(Schema):
    id: int
    title: str
    category: str
    status: str
    status_label: str
    area: AreaRef
    author: str
    created_at: datetime
    support_count: int
    comment_count: int


class ProposalPage(PageMeta):
    items: list[ProposalOut]


class CommentOut(Schema):
    id: int
    parent: int | None
    author: str
    body: str
    is_official: bool
    created_at: datetime


class ProposalDetail(ProposalOut):
    description: str
    status_reason: str
    merged_into: int | None
    comments: list[CommentOut]


def _proposal_row(p) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "category": p.category,
        "status": p.status,
        "status_label": str(ProposalStatus(p.status).label),
        "area": _area(p.area),
        "author": mask_name(p.author.display_name),
        "created_at": p.created_at,
        "support_count": p.support_count,
        "comment_count": p.comment_count,
    }


def comment_row(comment) -> dict:
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "author": mask_name(comment.author.display_name),
        "body": comment.body,
        "is_official": comment.is_official,
        "created_at": comment.created_at,
    }


class ProposalFilters(Paging):
    area: int | None = Field(None, ge=1, le=MAX_ID)
    status: _choice(ProposalStatus.values) | None = None
    category: _choice(Category.values) | None = None


@router.get(
    "/towns/{slug}/proposals",
    response={200: ProposalPage, **READ_ERRORS},
    url_name="proposals",
)
def proposals(request, filters: Query[ProposalFilters], slug: str = SLUG):
    """The town's proposals, newest first; authors masked."""
    town = _town(slug)
    rows = Proposal.objects.filter(town=town).select_related("area", "author")
    if filters.area:
        rows = rows.filter(area_id=filters.area)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.category:
        rows = rows.filter(category=filters.category)
    items, meta = paginate(rows.order_by("-created_at", "-pk"), filters)
    return {**meta, "items": [_proposal_row(p) for p in items]}


def proposal_detail(slug, pk) -> dict:
    found = get_object_or_404(
        Proposal.objects.select_related("area", "author"), pk=pk, town__slug=slug
    )
    comments = (
        Comment.objects.filter(proposal=found, hidden_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return {
        **_proposal_row(found),
        "description": found.description,
        "status_reason": found.status_reason,
        "merged_into": found.merged_into_id,
        "comments": [comment_row(c) for c in comments],
    }


@router.get(
    "/towns/{slug}/proposals/{pk}",
    response={200: ProposalDetail, **READ_ERRORS},
    url_name="proposal",
)
def proposal(request, slug: str = SLUG, pk: int = PK):
    """One proposal with its visible comments (hidden ones left out); names masked."""
    return proposal_detail(slug, pk)


# --- Activities -----------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    area: AreaRef | None
    venue: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    person_times: int
    people: int


class ActivityPage(PageMeta):
    items: list[ActivityOut]


class ActivityDetail(ActivityOut):
    description: str
    registered: int
    places_left: int | None


def _activity_row(a, person_times, people) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "kind": a.kind,
        "kind_label": str(ActivityKind(a.kind).label),
        "area": _area(a.area),
        "venue": a.venue,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "capacity": a.capacity,
        "person_times": person_times or 0,
        "people": people or 0,
    }


class ActivityFilters(Paging):
    when: Literal["upcoming", "past", "all"] = "all"
    kind: _choice(ActivityKind.values) | None = None
    area: int | None = Field(None, ge=1, le=MAX_ID)


@router.get(
    "/towns/{slug}/activities",
    response={200: ActivityPage, **READ_ERRORS},
    url_name="activities",
)
def activities(request, filters: Query[ActivityFilters], slug: str = SLUG):
    """The town's published activities, latest first, with person-times (attendance
    records plus head counts) and people (distinct persons)."""
    town = _town(slug)
    rows = Activity.objects.public().filter(town=town).select_related("area").with_counts()
    now = timezone.now()
    if filters.when == "past":
        rows = rows.filter(ends_at__lte=now)
    elif filters.when == "upcoming":
        rows = rows.filter(ends_at__gt=now)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.area:
        rows = rows.filter(area_id=filters.area)
    items, meta = paginate(rows.order_by("-starts_at", "-pk"), filters)
    return {
        **meta,
        "items": [_activity_row(a, a.person_times, a.people_count) for a in items],
    }


def activity_detail(slug, pk) -> dict:
    found = get_object_or_404(
        Activity.objects.public().select_related("area").with_counts(), pk=pk, town__slug=slug
    )
    registered = found.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    return {
        **_activity_row(found, found.person_times, found.people_count),
        "description": found.description,
        "registered": registered,
        "places_left": None if found.capacity is None else max(found.capacity - registered, 0),
    }


@router.get(
    "/towns/{slug}/activities/{pk}",
    response={200: ActivityDetail, **READ_ERRORS},
    url_name="activity",
)
def activity(request, slug: str = SLUG, pk: int = PK):
    """One published activity (a draft is a 404)."""
    return activity_detail(slug, pk)


# --- Meetings -------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    area: AreaRef | None
    venue: str
    starts_at: datetime
    ends_at: datetime
    status: str
    present: int
    motions: int
    decided: int


class MeetingPage(PageMeta):
    items: list[MeetingOut]


class AgendaOut(Schema):
    order: int
    title: str
    proposal: int | None


class TallyOut(Schema):
    yes: int
    no: int
    abstain: int


class MotionOut(Schema):
    id: int
    text: str
    agenda_item: str | None
    moved_by: str
    seconded_by: str | None
    status: str
    result: str
    tally: TallyOut | None
    decided_at: datetime | None


class MeetingDetail(MeetingOut):
    invited: int
    agenda: list[AgendaOut]
    motions_detail: list[MotionOut]
    minutes: str | None


def _meeting_row(m, present, motions, decided) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "kind": m.kind,
        "kind_label": str(MeetingKind(m.kind).label),
        "area": _area(m.area),
        "venue": m.venue,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "status": m.status,
        "present": present,
        "motions": motions,
        "decided": decided,
    }


class MeetingFilters(Paging):
    area: int | None = Field(None, ge=1, le=MAX_ID)
    kind: _choice(MeetingKind.values) | None = None
    year: int | None = Field(None, ge=2000, le=2100)


@router.get(
    "/towns/{slug}/meetings",
    response={200: MeetingPage, **READ_ERRORS},
    url_name="meetings",
)
def meetings(request, filters: Query[MeetingFilters], slug: str = SLUG):
    """The town's meetings (cancelled ones excepted), newest first."""
    town = _town(slug)
    rows = Meeting.objects.public().filter(town=town).select_related("area").with_counts()
    if filters.area:
        rows = rows.filter(area_id=filters.area)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.year:
        rows = rows.filter(starts_at__year=filters.year)
    items, meta = paginate(rows.order_by("-starts_at", "-pk"), filters)
    return {
        **meta,
        "items": [_meeting_row(m, m.present_count, m.motion_count, m.decided_count) for m in items],
    }


def _tally(motion) -> dict | None:
    if motion.vote_mode == VoteMode.BY_NAME:
        if motion.status != MotionStatus.DECIDED and not (
            motion.named_yes or motion.named_no or motion.named_abstain
        ):
            return None
        return {"yes": motion.named_yes, "no": motion.named_no, "abstain": motion.named_abstain}
    if motion.yes_count is None:
        return None
    return {
        "yes": motion.yes_count,
        "no": motion.no_count or 0,
        "abstain": motion.abstain_count or 0,
    }


@router.get(
    "/towns/{slug}/meetings/{pk}",
    response={200: MeetingDetail, **READ_ERRORS},
    url_name="meeting",
)
def meeting(request, slug: str = SLUG, pk: int = PK):
    """One meeting's public record: agenda and motions with the names of its list and
    mobile numbers masked, the tallies, and the minutes once approved (masked)."""
    found = get_object_or_404(
        Meeting.objects.public().select_related("area").with_counts(), pk=pk, town__slug=slug
    )
    names = names_by_meeting([found.pk])
    agenda = mask_public(list(found.agenda.order_by("order", "pk")), "title", names=names)
    motions = list(
        found.motions.exclude(status=MotionStatus.WITHDRAWN)
        .select_related("mover", "seconder", "agenda_item")
        .annotate(
            named_yes=Count("votes", filter=Q(votes__choice=Choice.YES)),
            named_no=Count("votes", filter=Q(votes__choice=Choice.NO)),
            named_abstain=Count("votes", filter=Q(votes__choice=Choice.ABSTAIN)),
        )
        .order_by("created_at", "pk")
    )
    mask_public(motions, "text", names=names)
    mask_public([m.agenda_item for m in motions], "title", names=names)
    minutes = Minutes.objects.filter(meeting=found).first()
    invited = found.attendees.filter(invited=True).count()
    return {
        **_meeting_row(found, found.present_count, found.motion_count, found.decided_count),
        "invited": invited,
        "agenda": [
            {"order": item.order, "title": item.title, "proposal": item.proposal_id}
            for item in agenda
        ],
        "motions_detail": [
            {
                "id": m.pk,
                "text": m.text,
                "agenda_item": m.agenda_item.title if m.agenda_item else None,
                "moved_by": mask_name(m.mover.name),
                "seconded_by": mask_name(m.seconder.name) if m.seconder else None,
                "status": m.status,
                "result": m.result,
                "tally": _tally(m),
                "decided_at": m.decided_at,
            }
            for m in motions
        ],
        "minutes": (
            public_text(minutes.body, names.get(found.pk, []))
            if minutes and minutes.is_approved
            else None
        ),
    }


# --- Micro-renewal projects -----------------------------------------------------------


class SatisfactionOut(Schema):
    gain: Decimal | None
    satisfaction: Decimal | None
    responses: int


class ProjectOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    area: AreaRef
    budget: Decimal
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    satisfaction: SatisfactionOut


class ProjectPage(PageMeta):
    items: list[ProjectOut]


class MilestoneOut(Schema):
    order: int
    title: str
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    note: str


class ProjectDetail(ProjectOut):
    description: str
    spent: Decimal
    approved_extra: Decimal
    funding_source: str
    contractor: str
    responsible_unit: str | None
    result: str
    maintained_by: str
    milestones: list[MilestoneOut]
    satisfaction_spread: list[int]


def _project_row(p, satisfaction) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "kind": p.kind,
        "kind_label": str(ProjectKind(p.kind).label),
        "status": p.status,
        "status_label": str(ProjectStatus(p.status).label),
        "area": _area(p.area),
        "budget": p.budget,
        "planned_start": p.planned_start,
        "planned_end": p.planned_end,
        "actual_start": p.actual_start,
        "actual_end": p.actual_end,
        "satisfaction": satisfaction,
    }


class ProjectFilters(Paging):
    area: int | None = Field(None, ge=1, le=MAX_ID)
    kind: _choice(ProjectKind.values) | None = None
    status: _choice(ProjectStatus.values) | None = None


@router.get(
    "/towns/{slug}/projects",
    response={200: ProjectPage, **READ_ERRORS},
    url_name="projects",
)
def projects(request, filters: Query[ProjectFilters], slug: str = SLUG):
    """The town's micro-renewal projects, latest planned start first, with the
    satisfaction averages (1–5, one decimal; null before any answer)."""
    town = _town(slug)
    rows = Project.objects.public().filter(town=town).with_scores().select_related("area")
    if filters.area:
        rows = rows.filter(area_id=filters.area)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    items, meta = paginate(rows.order_by("-planned_start", "-pk"), filters)
    return {
        **meta,
        "items": [
            _project_row(
                p,
                {
                    "gain": rounded(p.gain_score),
                    "satisfaction": rounded(p.satisfaction_score),
                    "responses": p.score_count,
                },
            )
            for p in items
        ],
    }


@router.get(
    "/towns/{slug}/projects/{pk}",
    response={200: ProjectDetail, **READ_ERRORS},
    url_name="project",
)
def project(request, slug: str = SLUG, pk: int = PK):
    """One project: money (budget, spent, approved extra), milestones, result and
    satisfaction (averages, responses, and how many answered 1…5)."""
    found = get_object_or_404(
        Project.objects.public().with_money().select_related("area", "responsible_unit"),
        pk=pk,
        town__slug=slug,
    )
    scores = project_scores(found)
    return {
        **_project_row(
            found,
            {
                "gain": scores.gain,
                "satisfaction": scores.satisfaction,
                "responses": scores.responses,
            },
        ),
        "description": found.description,
        "spent": found.spent,
        "approved_extra": found.approved_extra,
        "funding_source": found.funding_source,
        "contractor": found.contractor,
        "responsible_unit": str(found.responsible_unit) if found.responsible_unit_id else None,
        "result": found.result if found.result_published_at else "",
        "maintained_by": found.maintained_by,
        "milestones": [
            {
                "order": m.order,
                "title": m.title,
                "planned_start": m.planned_start,
                "planned_end": m.planned_end,
                "actual_start": m.actual_start,
                "actual_end": m.actual_end,
                "note": m.note,
            }
            for m in found.milestones.order_by("order", "pk")
        ],
        "satisfaction_spread": scores.spread,
    }


# --- Community news -------------------------------------------------------------------


class ArticlePhotoOut(Schema):
    url: str
    caption: str


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    area: AreaRef | None
    author: str
    author_role: str
    published_at: datetime
    url: str


class ArticlePage(PageMeta):
    items: list[ArticleOut]


class ArticleDetail(ArticleOut):
    paragraphs: list[str]
    photos: list[ArticlePhotoOut]
    project: int | None
    activity: int | None
    process: int | None
    meeting: int | None


def _article_row(request, article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "summary": article.summary,
        "area": _area(article.area),
        "author": mask_name(article.author.display_name),
        "author_role": article.author_role,
        "published_at": article.published_at,
        "url": request.build_absolute_uri(article.get_absolute_url()),
    }


class ArticleFilters(Paging):
    area: int | None = Field(None, ge=1, le=MAX_ID)


@router.get(
    "/towns/{slug}/articles",
    response={200: ArticlePage, **READ_ERRORS},
    url_name="articles",
)
def articles(request, filters: Query[ArticleFilters], slug: str = SLUG):
    """The town's published community news, newest first (drafts, articles waiting
    for review and returned ones are never listed); authors masked."""
    town = _town(slug)
    rows = published_articles(town).select_related("author")
    if filters.area:
        rows = rows.filter(area_id=filters.area)
    items, meta = paginate(rows, filters)
    return {**meta, "items": [_article_row(request, a) for a in items]}


@router.get(
    "/towns/{slug}/articles/{pk}",
    response={200: ArticleDetail, **READ_ERRORS},
    url_name="article",
)
def article(request, slug: str = SLUG, pk: int = PK):
    """One published article: its paragraphs (plain text), photos and the records it
    reports; an article not published is a 404."""
    found = get_object_or_404(published_articles(_town(slug)).select_related("author"), pk=pk)
    return {
        **_article_row(request, found),
        "paragraphs": found.paragraphs,
        "photos": [
            {"url": request.build_absolute_uri(p.image.url), "caption": p.caption}
            for p in found.photos.all()
        ],
        "project": found.project_id,
        "activity": found.activity_id,
        "process": found.process_id,
        "meeting": found.meeting_id,
    }
