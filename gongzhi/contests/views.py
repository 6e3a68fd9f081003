from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from gongzhi.core.access import get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.services import SUBMISSION_FIELD
from gongzhi.core.views import error_page
from gongzhi.places.models import Town
from gongzhi.places.views import paginate

from . import services
from .forms import (
    AdvanceForm,
    AwardForm,
    ContestForm,
    CriterionForm,
    DraftsForm,
    EntryForm,
    JudgeForm,
    ScoreForm,
)
from .models import Contest, ContestStatus, Entry, EntryFile, Score, Stage
from .results import Result


def _status(*forms):
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


def _contest(request, town_slug, pk, perm="contests.view"):
    return get_checked(
        request,
        perm,
        Contest.objects.select_related("town"),
        pk=pk,
        town__slug=town_slug,
    )


def _viewable(request, town_slug, pk):
    """The contest, or a 404 page for a draft the visitor may not see (not a 403:
    an unpublished call does not exist for the public)."""
    contest = get_object_or_404(Contest.objects.select_related("town"), pk=pk, town__slug=town_slug)
    if not request.user.has_perm("contests.view", contest):
        return None
    return contest


def _not_found(request):
    return error_page(request, 404, _("Page not found"), _("There is no page at this address."))


def _entries(contest):
    return (
        contest.entries.select_related("site__area", "award")
        .prefetch_related(Prefetch("files", queryset=EntryFile.objects.order_by("uploaded_at")))
        .annotate(vote_count=Count("votes", distinct=True))
    )


@dataclass
class Row:
    """An entry with its result in a ranking."""

    entry: Entry
    result: Result
    scored_by: int = 0

    @property
    def label(self) -> str:
        return f"{self.entry.team_name} · {self.entry.title}"


def _ranking(contest, stage=None) -> list[Row]:
    stage = stage or contest.stage
    results = services.results_for(contest, stage)
    entries = {e.pk: e for e in contest.entries.filter(pk__in=[r.entry_id for r in results])}
    judges = dict(
        Score.objects.filter(entry__contest=contest, stage=stage)
        .values("entry_id")
        .annotate(n=Count("judge", distinct=True))
        .values_list("entry_id", "n")
    )
    return [Row(entries[r.entry_id], r, judges.get(r.entry_id, 0)) for r in results]


# --- Public pages -------------------------------------------------------------------


def contest_list(request, town_slug):
    town = get_object_or_404(Town, slug=town_slug)
    can_create = request.user.is_authenticated and request.user.has_perm("contests.create", town)
    contests = Contest.objects.filter(town=town).annotate(
        entry_count=Count("entries", distinct=True)
    )
    if not can_create:
        contests = contests.public()
    page = paginate(request, contests.order_by("-submission_opens", "-pk"))
    return render(
        request,
        "contests/contest_list.html",
        {"town": town, "page": page, "can_create": can_create},
    )


def contest_detail(request, town_slug, pk):
    """The call (sites, dates, criteria, weights), the entries with their drafts, the
    public vote during the final and the results once awarded."""
    contest = _viewable(request, town_slug, pk)
    if contest is None:
        return _not_found(request)
    entries = list(
        _entries(contest).order_by(F("award__rank").asc(nulls_last=True), "status", "pk")
    )
    my_vote = None
    if request.user.is_authenticated:
        my_vote = contest.votes.filter(user=request.user).values_list("entry_id", flat=True).first()
    results = []
    if contest.status == ContestStatus.AWARDED:
        results = _ranking(contest, Stage.FINAL)
    return render(
        request,
        "contests/contest_detail.html",
        {
            "town": contest.town,
            "contest": contest,
            "sites": contest.sites.select_related("area").order_by("area__code", "name"),
            "criteria": contest.criteria.all(),
            "max_total": services.max_total(contest),
            "entries": entries,
            "in_running": [e for e in entries if e.in_running],
            "eliminated": [e for e in entries if not e.in_running],
            "vote_open": services.vote_is_open(contest),
            "my_vote": my_vote,
            "results": results,
            "can_manage": request.user.has_perm("contests.manage", contest),
            "is_judge": request.user.has_perm("contests.judge", contest),
            "can_submit": contest.status == ContestStatus.OPEN
            and contest.stage == Stage.SUBMISSION,
        },
    )


def entry_detail(request, town_slug, pk, entry_pk):
    """An entry and its drafts; its team adds drafts here while it competes."""
    contest = _viewable(request, town_slug, pk)
    if contest is None:
        return _not_found(request)
    entry = get_object_or_404(_entries(contest), pk=entry_pk)
    is_team = request.user.is_authenticated and entry.submitted_by_id == request.user.pk
    can_manage = request.user.has_perm("contests.manage", contest)
    can_add = is_team and contest.status == ContestStatus.OPEN and entry.in_running
    form = None
    if can_add:
        form = DraftsForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.add_drafts(
                    entry=entry,
                    user=request.user,
                    files=form.cleaned_data["files"],
                    submission_token=request.POST.get(SUBMISSION_FIELD),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The drafts were added."))
                return redirect(entry)
    elif request.method == "POST":
        return error_page(request, 403, _("Not allowed"), _("Only the team can add drafts."))
    return render(
        request,
        "contests/entry_detail.html",
        {
            "town": contest.town,
            "contest": contest,
            "entry": entry,
            "files": entry.files.all(),
            "show_members": is_team or can_manage,
            "form": form,
            "vote_open": services.vote_is_open(contest) and entry.stage == Stage.FINAL,
        },
        status=_status(form),
    )


def entry_file(request, town_slug, pk, file_pk):
    contest = _viewable(request, town_slug, pk)
    if contest is None:
        return _not_found(request)
    draft = get_object_or_404(EntryFile, pk=file_pk, entry__contest=contest)
    response = FileResponse(
        draft.file.open("rb"), content_type=draft.content_type, filename=draft.name
    )
    # Shown in the page (images) or the browser's viewer (PDF), never run as anything else.
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def submit_entry(request, town_slug, pk):
    contest = _viewable(request, town_slug, pk)
    if contest is None:
        return _not_found(request)
    form = EntryForm(request.POST or None, request.FILES or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.submit_entry(contest=contest, user=request.user, **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your entry was submitted. Good luck!"))
            return redirect(entry)
    return render(
        request,
        "contests/submit.html",
        {"town": contest.town, "contest": contest, "form": form},
        status=_status(form),
    )


@login_required
@require_POST
def vote(request, town_slug, pk, entry_pk):
    contest = _viewable(request, town_slug, pk)
    if contest is None:
        return _not_found(request)
    entry = get_object_or_404(Entry.objects.select_related("contest"), pk=entry_pk, contest=contest)
    try:
        services.cast_vote(entry=entry, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: your vote was counted."))
    return redirect(contest)


# --- The secretariat ----------------------------------------------------------------


def create_contest(request, town_slug):
    town = get_checked(request, "contests.create", Town, slug=town_slug)
    form = ContestForm(request.POST or None, town=town)
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.create_contest(
                town=town,
                actor=request.user,
                submission_token=request.POST.get(SUBMISSION_FIELD),
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The call was saved as a draft. Add its criteria, then open it.")
            )
            return redirect("contests:manage", town.slug, contest.pk)
    return render(
        request, "contests/contest_form.html", {"town": town, "form": form}, status=_status(form)
    )


def _manage_forms(contest, ranking, key=None, data=None) -> dict:
    """The manage page's forms, the one named ``key`` bound to ``data``. Closing
    submissions has no form (every entry goes on); the awards' form exists only while
    the contest may be awarded, in its final."""

    def bound(name):
        return data if name == key else None

    forms = {
        "criterion": CriterionForm(bound("criterion")),
        "judge": JudgeForm(bound("judge"), town=contest.town),
        "advance": AdvanceForm(
            bound("advance") if contest.stage != Stage.SUBMISSION else None, ranking=ranking
        ),
        "award": None,
    }
    if contest.may_become(ContestStatus.AWARDED) and contest.stage == Stage.FINAL:
        forms["award"] = AwardForm(bound("award"), ranking=ranking)
    return forms


def _manage_page(request, contest, ranking, forms, *, status=200):
    jury = list(contest.jury.select_related("partner__area").order_by("pk"))
    following = Stage.next(contest.stage)
    suggestions = services.suggest_judges(contest, limit=8) if contest.status != "awarded" else []
    return render(
        request,
        "contests/manage.html",
        {
            "town": contest.town,
            "contest": contest,
            "criteria": contest.criteria.all(),
            "criterion_form": forms["criterion"],
            "jury": jury,
            "judge_form": forms["judge"],
            "suggestions": suggestions,
            "ranking": ranking,
            "advance_form": forms["advance"],
            "award_form": forms["award"],
            "can_open": contest.may_become(ContestStatus.OPEN),
            "vote_open": services.vote_is_open(contest),
            "next_stage": Stage(following).label if following else None,
            "entry_count": contest.entries.count(),
            "jury_size": len([j for j in jury if contest.stage in j.stages]),
        },
        status=status,
    )


def _manage_ranking(contest) -> list[Row]:
    return _ranking(contest) if contest.is_reviewing else []


@require_safe
def manage(request, town_slug, pk):
    """Criteria and opening the call, the jury (with suggestions from the talent pool),
    moving entries on after each review, and the awards. Its forms post to their own
    URLs; a POST here (an old copy of the page) is refused, not ignored."""
    contest = _contest(request, town_slug, pk, "contests.manage")
    ranking = _manage_ranking(contest)
    return _manage_page(request, contest, ranking, _manage_forms(contest, ranking))


def _manage_act(request, town_slug, pk, key, act):
    """One action of the manage page. ``key`` names its form, bound to the POST (when
    the contest has no such form now, ``act`` gets None); ``act(contest, form)`` calls
    the service and returns the message to show. A form that fails shows the page again
    with it (400); an action the service refuses shows the page with the reason."""
    contest = _contest(request, town_slug, pk, "contests.manage")
    ranking = _manage_ranking(contest)
    forms = _manage_forms(contest, ranking, key, request.POST)
    form = forms.get(key)
    if form is not None and not form.is_bound:
        form = None
    if form is not None and not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _manage_page(request, contest, ranking, forms, status=400)
    try:
        done = act(contest, form)
    except DomainError as error:
        messages.error(request, error.message)
        return _manage_page(request, contest, ranking, forms, status=error.status)
    messages.success(request, done)
    return redirect("contests:manage", contest.town.slug, contest.pk)


def _form_action(key, service, done):
    """A manage-page action whose form's fields are the service's arguments:
    ``service(contest=…, actor=…, **cleaned_data)``, then ``done`` (lazy) is said."""

    @require_POST
    def view(request, town_slug, pk):
        def act(contest, form):
            service(contest=contest, actor=request.user, **form.cleaned_data)
            return done

        return _manage_act(request, town_slug, pk, key, act)

    return view


add_criterion = _form_action(
    "criterion", services.add_criterion, gettext_lazy("The criterion was added.")
)
appoint_judge = _form_action(
    "judge", services.appoint_judge, gettext_lazy("The judge was appointed.")
)


@require_POST
def open_call(request, town_slug, pk):
    def act(contest, form):
        services.open_call(contest=contest, actor=request.user)
        return _("The call is open and published.")

    return _manage_act(request, town_slug, pk, None, act)


@require_POST
def advance_stage(request, town_slug, pk):
    """Close submissions (every entry goes on: no form), or after a review move the
    chosen entries on to the next stage."""

    def act(contest, form):
        if form is None:
            services.advance_stage(contest=contest, actor=request.user)
            return _("Submissions are closed; the early review begins.")
        keep = list(contest.entries.filter(pk__in=form.cleaned_data["keep"]))
        services.advance_stage(contest=contest, actor=request.user, keep=keep)
        return _("The contest moved on to the next stage.")

    return _manage_act(request, town_slug, pk, "advance", act)


@require_POST
def award(request, town_slug, pk):
    def act(contest, form):
        # Without the form (not in the final) the service says why there are no awards.
        titles = form.titles() if form is not None else {}
        services.award(contest=contest, actor=request.user, titles=titles)
        return _("The awards were given and published.")

    return _manage_act(request, town_slug, pk, "award", act)


# --- The jury -----------------------------------------------------------------------


def judge(request, town_slug, pk):
    """The entries of the current review stage with the criteria; each is scored once."""
    contest = _contest(request, town_slug, pk, "contests.judge")
    member = services.judge_of(contest, request.user)
    if member is None:  # a superuser passes every permission but sits on no jury
        raise PermissionDenied
    judging = contest.is_reviewing and contest.stage in member.stages
    criteria = list(contest.criteria.all())
    entries = []
    if judging:
        entries = list(
            _entries(contest)
            .in_running()
            .filter(stage=contest.stage)
            .exclude(submitted_by=request.user)
            .annotate(
                mine=Count(
                    "scores",
                    filter=Q(scores__judge=member, scores__stage=contest.stage),
                    distinct=True,
                )
            )
            .order_by("pk")
        )
    posted = request.POST.get("entry") if request.method == "POST" else None
    forms = {}
    for entry in entries:
        bound = posted == str(entry.pk)
        forms[entry.pk] = ScoreForm(request.POST if bound else None, criteria=criteria, entry=entry)
    if request.method == "POST":
        # Matched as text: the posted value may be anything ("²" passes isdigit() but
        # not int()), and only an entry on this judge's list may be scored.
        form = next((f for pk, f in forms.items() if posted == str(pk)), None)
        if form is None:
            return error_page(
                request, 409, _("Not possible"), _("This entry cannot be scored in this stage.")
            )
        if form.is_valid():
            try:
                services.score_entry(entry=form.entry, user=request.user, points=form.points())
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your scores for %(team)s were saved.") % {"team": form.entry.team_name},
                )
                return redirect("contests:judge", contest.town.slug, contest.pk)
    for entry in entries:
        entry.form = forms[entry.pk]
    return render(
        request,
        "contests/judge.html",
        {
            "town": contest.town,
            "contest": contest,
            "member": member,
            "judging": judging,
            "criteria": criteria,
            "entries": entries,
        },
        status=_status(*forms.values()),
    )
