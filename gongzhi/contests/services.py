"""Writes on design contests: the call, entries and drafts, the jury and its scores,
stage advancement, the public vote and the awards. Each checks the actor's permission
(rules.py) and the contest's state, writes in one transaction and leaves an audit
event where the public process changes. The status moves follow CONTEST_TRANSITIONS."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.services import claim_submission, notify, record_event
from gongzhi.partners.matching import Match, Need, rank_partners
from gongzhi.partners.models import Mode, PartnerStatus

from .files import MAX_FILES, check_draft_file
from .models import (
    Award,
    Contest,
    ContestStatus,
    Criterion,
    Entry,
    EntryFile,
    EntryStatus,
    JuryMember,
    PublicVote,
    Score,
    Stage,
)
from .results import Result, compute_results

JURY_MODES = [Mode.PLANNING.value, Mode.THINK_TANK.value]
MAX_CRITERIA = 10


def _lock(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest.pk)


def _today(at=None):
    return timezone.localdate(at or timezone.now())


def _check_dates(fields) -> None:
    if not (
        fields["submission_opens"]
        <= fields["submission_closes"]
        < fields["early_review_on"]
        <= fields["midterm_review_on"]
        <= fields["final_review_on"]
    ):
        raise DomainError(
            _(
                "The dates must follow each other: submissions open, submissions close, "
                "then the early, mid-term and final reviews."
            )
        )
    if timezone.localdate(fields["public_vote_closes"]) < fields["submission_closes"]:
        raise DomainError(_("The public vote must close after submissions close."))


# --- The call -----------------------------------------------------------------------


@transaction.atomic
def create_contest(*, town, actor, sites, submission_token: str | None = None, **fields) -> Contest:
    """A draft call; criteria, sites and jury are added before it opens."""
    require_perm(actor, "contests.create", town)
    claim_submission(submission_token, user=actor)
    _check_dates(fields)
    jury, public = fields.get("jury_weight", 70), fields.get("public_weight", 30)
    if jury + public != 100:
        raise DomainError(_("The jury and public vote weights must add up to 100."))
    if any(site.town_id != town.pk for site in sites):
        raise DomainError(_("Every site must be in this town."))
    contest = Contest(town=town, created_by=actor, **fields)
    contest.full_clean()
    contest.save()
    contest.sites.set(sites)
    record_event(
        actor=actor,
        verb="contest.create",
        target=contest,
        after={"title": contest.title, "sites": [s.pk for s in sites]},
    )
    return contest


@transaction.atomic
def add_criterion(
    *, contest: Contest, actor, name: str, max_points: int, description=""
) -> Criterion:
    """Criteria are published with the call, so they can change only while it is a draft."""
    require_perm(actor, "contests.manage", contest)
    contest = _lock(contest)
    if contest.status != ContestStatus.DRAFT:
        raise DomainError(
            _("The criteria are published: they cannot change once the call is open.")
        )
    if not 1 <= max_points <= 100:
        raise DomainError(_("A criterion is worth between 1 and 100 points."))
    if contest.criteria.count() >= MAX_CRITERIA:
        raise DomainError(_("A contest has at most 10 criteria."))
    if contest.criteria.filter(name=name.strip()).exists():
        raise DomainError(_("There is already a criterion with this name."))
    order = contest.criteria.count() + 1
    criterion = Criterion.objects.create(
        contest=contest,
        name=name.strip(),
        description=description.strip(),
        max_points=max_points,
        order=order,
    )
    record_event(
        actor=actor,
        verb="contest.criterion",
        target=contest,
        after={"criterion": criterion.name, "max_points": max_points},
    )
    return criterion


@transaction.atomic
def open_call(*, contest: Contest, actor) -> Contest:
    """Publish the call: its sites, dates, criteria and weights become public."""
    require_perm(actor, "contests.manage", contest)
    contest = _lock(contest)
    if not contest.may_become(ContestStatus.OPEN):
        raise DomainError(_("Only a draft call can be opened."))
    if not contest.sites.exists():
        raise DomainError(_("Name at least one site before opening the call."))
    if not contest.criteria.exists():
        raise DomainError(_("Publish at least one criterion before opening the call."))
    contest.status = ContestStatus.OPEN
    contest.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        verb="contest.open",
        target=contest,
        before={"status": "draft"},
        after={
            "status": "open",
            "criteria": [(c.name, c.max_points) for c in contest.criteria.all()],
            "jury_weight": contest.jury_weight,
            "public_weight": contest.public_weight,
        },
    )
    return contest


# --- Entries and drafts -------------------------------------------------------------


def _check_files(files) -> list:
    if len(files) > MAX_FILES:
        raise DomainError(_("Upload at most 10 files at a time."))
    try:
        return [check_draft_file(file) for file in files]
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None


def _store_files(entry: Entry, checked, stage: str) -> list[EntryFile]:
    stored = []
    for item in checked:
        draft = EntryFile(
            entry=entry, name=item.name, kind=item.kind, content_type=item.content_type, stage=stage
        )
        draft.file.save(item.name, item.file, save=False)
        draft.save()
        stored.append(draft)
    return stored


@transaction.atomic
def submit_entry(
    *, contest: Contest, user, team_name, site, title, description, files, members="", at=None
) -> Entry:
    """A team's entry with at least one draft, while submissions are open. Every file
    is checked before anything is stored: one bad file refuses the whole entry."""
    require_perm(user, "contests.enter", contest)
    contest = _lock(contest)
    today = _today(at)
    if contest.status != ContestStatus.OPEN or contest.stage != Stage.SUBMISSION:
        raise DomainError(_("This contest is not taking entries."))
    if today < contest.submission_opens:
        raise DomainError(
            _("Submissions open on %(date)s.") % {"date": contest.submission_opens.isoformat()}
        )
    if today > contest.submission_closes:
        raise DomainError(
            _("Submissions closed on %(date)s.") % {"date": contest.submission_closes.isoformat()}
        )
    if not contest.sites.filter(pk=site.pk).exists():
        raise DomainError(_("Choose one of the contest's sites."))
    if not files:
        raise DomainError(_("Upload at least one design draft."))
    checked = _check_files(files)
    if contest.entries.filter(team_name=team_name.strip(), site=site).exists():
        raise DomainError(_("This team has already entered a design for this site."))
    entry = Entry.objects.create(
        contest=contest,
        team_name=team_name.strip(),
        members=members.strip(),
        site=site,
        title=title.strip(),
        description=description.strip(),
        submitted_by=user,
    )
    _store_files(entry, checked, Stage.SUBMISSION)
    record_event(
        actor=user,
        verb="contest.entry",
        target=entry,
        after={"team": entry.team_name, "site": site.pk, "files": len(checked)},
    )
    return entry


@transaction.atomic
def add_drafts(
    *, entry: Entry, user, files, at=None, submission_token: str | None = None
) -> list[EntryFile]:
    """The team adds drafts (a revised design for a review) while still competing.
    Only the entry's own team: refused as a rule of the contest, with its message."""
    require_perm(user, "contests.enter", entry.contest)
    claim_submission(submission_token, user=user)
    contest = _lock(entry.contest)
    entry.refresh_from_db()
    if entry.submitted_by_id != user.pk:
        raise DomainError(_("Only the team that submitted this entry can add drafts."))
    if contest.status != ContestStatus.OPEN or not entry.in_running:
        raise DomainError(_("This entry is no longer taking drafts."))
    if not files:
        raise DomainError(_("Upload at least one design draft."))
    checked = _check_files(files)
    if entry.files.filter(stage=contest.stage).count() + len(checked) > MAX_FILES:
        raise DomainError(_("An entry may have at most 10 files per stage."))
    stored = _store_files(entry, checked, contest.stage)
    record_event(
        actor=user,
        verb="contest.drafts",
        target=entry,
        after={"stage": contest.stage, "files": len(stored)},
    )
    return stored


# --- The jury -----------------------------------------------------------------------


def suggest_judges(contest: Contest, *, limit: int = 10) -> list[Match]:
    """Planning and think-tank partners of the town, best first, leaving out those
    already on the jury and those who entered the contest themselves."""
    exclude = set(contest.jury.values_list("partner_id", flat=True))
    entrants = set(contest.entries.values_list("submitted_by_id", flat=True))
    if entrants:
        from gongzhi.partners.models import Partner

        exclude |= set(
            Partner.objects.filter(town_id=contest.town_id, user_id__in=entrants).values_list(
                "pk", flat=True
            )
        )
    need = Need(town_id=contest.town_id, modes=JURY_MODES, exclude_partner_ids=sorted(exclude))
    return rank_partners(need, limit=limit)


@transaction.atomic
def appoint_judge(*, contest: Contest, partner, stages, actor) -> JuryMember:
    require_perm(actor, "contests.manage", contest)
    contest = _lock(contest)
    if contest.status == ContestStatus.AWARDED:
        raise DomainError(_("The contest is over."))
    if partner.town_id != contest.town_id or partner.status != PartnerStatus.ACTIVE:
        raise DomainError(_("Judges are active community partners of the town."))
    stages = [s for s in Stage.reviews() if s in set(stages)]
    if not stages:
        raise DomainError(_("Choose at least one review stage for the judge."))
    if contest.entries.filter(submitted_by_id=partner.user_id).exists():
        raise DomainError(_("This partner has entered the contest and cannot judge it."))
    if contest.jury.filter(partner=partner).exists():
        raise DomainError(_("This partner is already on the jury."))
    judge = JuryMember.objects.create(contest=contest, partner=partner, stages=stages)
    record_event(
        actor=actor,
        verb="contest.judge",
        target=contest,
        after={"partner": partner.pk, "stages": stages},
    )
    notify(
        user=partner.user,
        kind="contests.jury",
        params={"title": contest.title},
        url=contest.get_absolute_url(),
    )
    return judge


def judge_of(contest: Contest, user) -> JuryMember | None:
    """``user``'s seat on the contest's jury, or None.

    Permission: open to anyone: it reads whether ``user`` sits on the jury, changing
    nothing (score_entry and the judge's page rely on it).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        JuryMember.objects.filter(contest=contest, partner__user=user)
        .select_related("partner")
        .first()
    )


@transaction.atomic
def score_entry(*, entry: Entry, user, points: dict[int, int]) -> list[Score]:
    """One judge scores one entry in the contest's current review stage, on every
    criterion at once. A second attempt is refused, never overwritten. Someone not on
    the jury is told so (a DomainError) before ``contests.judge`` is checked."""
    contest = _lock(entry.contest)
    entry.refresh_from_db()
    judge = judge_of(contest, user)
    if judge is None:
        raise DomainError(_("Only members of the jury can score entries."))
    require_perm(user, "contests.judge", contest)
    if not contest.is_reviewing:
        raise DomainError(_("The contest is not in a review stage."))
    if contest.stage not in judge.stages:
        raise DomainError(
            _("You are not judging the %(stage)s.") % {"stage": Stage(contest.stage).label}
        )
    if not entry.in_running or entry.stage != contest.stage:
        raise DomainError(_("This entry is not in the running in this stage."))
    if entry.submitted_by_id == user.pk:
        raise DomainError(_("You cannot score your own entry."))
    if Score.objects.filter(entry=entry, judge=judge, stage=contest.stage).exists():
        raise DomainError(_("You have already scored this entry in this stage."))
    criteria = list(contest.criteria.all())
    if set(points) != {c.pk for c in criteria}:
        raise DomainError(_("Score every published criterion, and only those."))
    for criterion in criteria:
        value = points[criterion.pk]
        if not isinstance(value, int) or not 0 <= value <= criterion.max_points:
            raise DomainError(
                _("%(criterion)s: give between 0 and %(max)d points.")
                % {"criterion": criterion.name, "max": criterion.max_points}
            )
    try:
        with transaction.atomic():
            scores = Score.objects.bulk_create(
                Score(
                    entry=entry,
                    judge=judge,
                    stage=contest.stage,
                    criterion=criterion,
                    points=points[criterion.pk],
                )
                for criterion in criteria
            )
    except IntegrityError:
        raise DomainError(_("You have already scored this entry in this stage.")) from None
    record_event(
        actor=user,
        verb="contest.score",
        target=entry,
        after={
            "stage": contest.stage,
            "judge": judge.pk,
            "points": {c.name: points[c.pk] for c in criteria},
        },
    )
    return scores


# --- Stages, results, vote, awards --------------------------------------------------


def max_total(contest: Contest) -> int:
    return sum(c.max_points for c in contest.criteria.all())


def results_for(contest: Contest, stage: str | None = None) -> list[Result]:
    """The ranking of the entries that competed in ``stage`` (default: the current
    one). The public vote counts only in the final; earlier stages rank by jury alone."""
    stage = stage or contest.stage
    reached = Stage.order()[Stage.order().index(stage) :]
    entries = list(contest.entries.filter(stage__in=reached).values_list("pk", flat=True))
    judge_totals: dict[int, dict[int, int]] = {pk: {} for pk in entries}
    for entry_id, judge_id, points in Score.objects.filter(
        entry_id__in=entries, stage=stage
    ).values_list("entry_id", "judge_id", "points"):
        per_judge = judge_totals[entry_id]
        per_judge[judge_id] = per_judge.get(judge_id, 0) + points
    if stage == Stage.FINAL:
        votes = dict(
            PublicVote.objects.filter(contest=contest, entry_id__in=entries)
            .values("entry_id")
            .annotate(n=Count("pk"))
            .values_list("entry_id", "n")
        )
        jury_weight, public_weight = contest.jury_weight, contest.public_weight
    else:
        votes, jury_weight, public_weight = {}, 100, 0
    return compute_results(
        judge_totals={pk: list(totals.values()) for pk, totals in judge_totals.items()},
        max_total=max(max_total(contest), 1),
        votes=votes,
        jury_weight=jury_weight,
        public_weight=public_weight,
    )


@transaction.atomic
def advance_stage(*, contest: Contest, actor, keep=None, at=None) -> Contest:
    """Move the contest to its next stage. Leaving submission closes it (after the
    published closing date) and takes every entry into the early review; after a
    review, the entries in ``keep`` go on and the others are eliminated."""
    require_perm(actor, "contests.manage", contest)
    contest = _lock(contest)
    if contest.status != ContestStatus.OPEN:
        raise DomainError(_("Only an open contest moves between stages."))
    following = Stage.next(contest.stage)
    if following is None:
        raise DomainError(_("The final is the last stage: give the awards."))
    competing = list(contest.entries.in_running().filter(stage=contest.stage))
    if not competing:
        raise DomainError(_("There are no entries in the running."))
    if contest.stage == Stage.SUBMISSION:
        if _today(at) <= contest.submission_closes:
            raise DomainError(
                _("Submissions are open until %(date)s.")
                % {"date": contest.submission_closes.isoformat()}
            )
        kept, dropped = competing, []
    else:
        keep_ids = {e.pk for e in keep or []}
        if not keep_ids:
            raise DomainError(_("Choose the entries that go on to the next stage."))
        if not keep_ids <= {e.pk for e in competing}:
            raise DomainError(_("Only entries in the running in this stage can go on."))
        kept = [e for e in competing if e.pk in keep_ids]
        dropped = [e for e in competing if e.pk not in keep_ids]
    before = contest.stage
    Entry.objects.filter(pk__in=[e.pk for e in kept]).update(
        stage=following,
        status=EntryStatus.SUBMITTED if before == Stage.SUBMISSION else EntryStatus.ADVANCED,
        updated_at=timezone.now(),
    )
    Entry.objects.filter(pk__in=[e.pk for e in dropped]).update(
        status=EntryStatus.ELIMINATED, updated_at=timezone.now()
    )
    contest.stage = following
    contest.save(update_fields=["stage", "updated_at"])
    record_event(
        actor=actor,
        verb="contest.advance",
        target=contest,
        before={"stage": before},
        after={
            "stage": following,
            "advanced": [e.pk for e in kept],
            "eliminated": [e.pk for e in dropped],
        },
    )
    for entry in dropped:
        notify(
            user=entry.submitted_by,
            kind="contests.eliminated",
            params={"title": entry.title},
            url=entry.get_absolute_url(),
        )
    return contest


def vote_is_open(contest: Contest, at=None) -> bool:
    now = at or timezone.now()
    return (
        contest.status == ContestStatus.OPEN
        and contest.stage == Stage.FINAL
        and now < contest.public_vote_closes
    )


def cast_vote(*, entry: Entry, user, at=None) -> PublicVote:
    """One vote per account and contest, for a finalist, until the vote closes."""
    now = at or timezone.now()
    contest = Contest.objects.get(pk=entry.contest_id)  # the current stage, not a stale copy
    if not getattr(user, "is_authenticated", False):
        raise DomainError(_("Log in to vote."))
    require_perm(user, "contests.vote", contest)
    if contest.status != ContestStatus.OPEN or contest.stage != Stage.FINAL:
        raise DomainError(_("The public vote opens with the final."))
    if now >= contest.public_vote_closes:
        raise DomainError(_("The public vote has closed."))
    if not entry.in_running or entry.stage != Stage.FINAL:
        raise DomainError(_("Only finalists can receive votes."))
    if PublicVote.objects.filter(contest=contest, user=user).exists():
        raise DomainError(_("You have already voted in this contest."))
    try:
        with transaction.atomic():
            return PublicVote.objects.create(contest=contest, entry=entry, user=user, cast_at=now)
    except IntegrityError:
        # The same account voting from two devices at the same moment.
        raise DomainError(_("You have already voted in this contest.")) from None


@transaction.atomic
def award(*, contest: Contest, actor, titles: dict[int, str], at=None) -> list[Award]:
    """Give the awards once the public vote has closed: ``titles`` maps finalists'
    ids to their award (一等奖 ...). Winners are marked so that the renewal capability
    can turn them into projects; the ranking is the published combination."""
    require_perm(actor, "contests.manage", contest)
    contest = _lock(contest)
    now = at or timezone.now()
    if not contest.may_become(ContestStatus.AWARDED) or contest.stage != Stage.FINAL:
        raise DomainError(_("Awards are given after the final."))
    if now < contest.public_vote_closes:
        raise DomainError(_("The public vote is still open: awards come after it closes."))
    titles = {pk: title.strip() for pk, title in titles.items() if title and title.strip()}
    if not titles:
        raise DomainError(_("Give at least one award."))
    results = results_for(contest, Stage.FINAL)
    finalists = {r.entry_id: r for r in results}
    if not set(titles) <= set(finalists):
        raise DomainError(_("Only finalists can be awarded."))
    awards = []
    rank = 0
    for result in results:
        if result.entry_id in titles:
            rank += 1
            awards.append(
                Award.objects.create(
                    contest=contest,
                    entry_id=result.entry_id,
                    title=titles[result.entry_id][:30],
                    rank=rank,
                    combined_score=result.combined_display,
                )
            )
    Entry.objects.filter(pk__in=list(titles)).update(is_winner=True, updated_at=timezone.now())
    contest.status = ContestStatus.AWARDED
    contest.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        verb="contest.award",
        target=contest,
        before={"status": "open"},
        after={
            "status": "awarded",
            "awards": [
                {"entry": a.entry_id, "title": a.title, "score": a.combined_score} for a in awards
            ],
        },
    )
    for entry in Entry.objects.filter(pk__in=list(titles)).select_related("submitted_by"):
        notify(
            user=entry.submitted_by,
            kind="contests.award",
            params={"title": entry.title, "award": titles[entry.pk]},
            url=entry.get_absolute_url(),
        )
    return awards
