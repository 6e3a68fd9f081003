"""Writes on proposals: submitting, supporting, commenting, moderating, and the review
decisions. Each checks state, writes in one transaction (the proposal row locked, so
that concurrent supports are counted exactly), records the audit event and notifies
the people concerned once the transaction commits."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.errors import checked_text as _text
from gongzhi.core.images import clean_photo
from gongzhi.core.services import claim_submission, notify, record_event

from .counters import recount
from .models import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    TRANSITIONS,
    Category,
    Comment,
    CommentReport,
    Proposal,
    ProposalPhoto,
    ProposalSettings,
    ProposalStatus,
    StatusChange,
    Support,
)

MAX_PHOTOS = 6


def settings_for(town) -> ProposalSettings:
    """The town's proposal rules, created with the defaults on first use."""
    found, _created = ProposalSettings.objects.get_or_create(town=town)
    return found


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("town").get(pk=proposal.pk)


def current_supporters(proposal: Proposal):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        proposal_supports__proposal=proposal, proposal_supports__withdrawn_at__isnull=True
    )


def support_count(proposal: Proposal) -> int:
    return proposal.supports.filter(withdrawn_at__isnull=True).count()


# --- Submitting ----------------------------------------------------------------------


@transaction.atomic
def submit_proposal(
    *,
    town,
    author,
    area,
    title: str,
    description: str,
    category: str,
    site=None,
    photos=(),
    submission_token: str | None = None,
) -> Proposal:
    """A resident's proposal for their community; photos are re-encoded (no EXIF)."""
    require_perm(author, "proposals.take_part", town)
    claim_submission(submission_token, user=author)
    if area.town_id != town.pk:
        raise DomainError(_("Choose a residential area of this town."))
    if site is not None and site.area_id != area.pk:
        raise DomainError(_("The site must be in the chosen residential area."))
    if category not in Category.values:
        raise DomainError(_("Choose one of the categories."))
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("Add at most %(n)d photos.") % {"n": MAX_PHOTOS})
    cleaned = []
    for photo in photos:
        try:
            cleaned.append(clean_photo(photo, name="proposal"))
        except ValidationError as error:
            raise DomainError(" ".join(error.messages)) from None
    proposal = Proposal.objects.create(
        town=town,
        area=area,
        site=site,
        author=author,
        title=_text(title, label=_("The title"), limit=TITLE_MAX),
        description=_text(
            description,
            label=pgettext("proposal description", "The description"),
            limit=DESCRIPTION_MAX,
        ),
        category=category,
        last_activity_at=timezone.now(),
    )
    for content in cleaned:
        ProposalPhoto.objects.create(proposal=proposal, image=content)
    record_event(
        actor=author,
        verb="proposal.submit",
        target=proposal,
        after={"title": proposal.title, "area": area.pk, "category": category},
    )
    return proposal


# --- Supporting ----------------------------------------------------------------------


@transaction.atomic
def support_proposal(*, proposal: Proposal, user) -> Support:
    """One current support per person. The proposal row is locked first, so two
    requests arriving together are counted one after the other; reaching the town's
    threshold moves a submitted proposal to review by itself."""
    require_perm(user, "proposals.take_part", proposal)
    proposal = _lock(proposal)
    if not proposal.is_open:
        raise DomainError(_("This proposal is no longer open for support."))
    rules = settings_for(proposal.town)
    if proposal.author_id == user.pk and not rules.authors_may_support:
        raise DomainError(_("You cannot support your own proposal in this town."))
    if proposal.supports.filter(user=user, withdrawn_at__isnull=True).exists():
        raise DomainError(_("You already support this proposal."))
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        # The constraint is the last line of defence should the lock ever be bypassed.
        raise DomainError(_("You already support this proposal.")) from None
    proposal.last_activity_at = timezone.now()
    proposal.save(update_fields=["last_activity_at"])
    recount(Proposal.objects.filter(pk=proposal.pk))
    _review_at_threshold(proposal, rules)
    return support


def _review_at_threshold(proposal: Proposal, rules: ProposalSettings | None = None) -> None:
    """A locked, submitted proposal with the town's threshold of supports goes to
    review by itself (after a support, or after supporters moved to it by a merge)."""
    if proposal.status != ProposalStatus.SUBMITTED:
        return
    threshold = (rules or settings_for(proposal.town)).support_threshold
    count = support_count(proposal)
    if count >= threshold:
        _change_status(
            proposal,
            ProposalStatus.UNDER_REVIEW,
            actor=None,
            reason=_("%(n)d residents support it (the threshold is %(t)d).")
            % {"n": count, "t": threshold},
        )


@transaction.atomic
def withdraw_support(*, proposal: Proposal, user) -> None:
    require_perm(user, "proposals.take_part", proposal)
    proposal = _lock(proposal)
    if not proposal.is_open:
        raise DomainError(_("This proposal has been decided; supports can no longer change."))
    updated = proposal.supports.filter(user=user, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if not updated:
        raise DomainError(_("You do not support this proposal."))
    proposal.last_activity_at = timezone.now()
    proposal.save(update_fields=["last_activity_at"])
    recount(Proposal.objects.filter(pk=proposal.pk))


# --- Comments ------------------------------------------------------------------------


@transaction.atomic
def add_comment(
    *,
    proposal: Proposal,
    author,
    body: str,
    parent: Comment | None = None,
    submission_token: str | None = None,
) -> Comment:
    """A comment or a one-level reply. Staff who may manage the proposal write
    official replies."""
    require_perm(author, "proposals.take_part", proposal)
    claim_submission(submission_token, user=author)
    proposal = _lock(proposal)
    if proposal.status == ProposalStatus.MERGED:
        raise DomainError(_("This proposal was merged; comment on the one it was merged into."))
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise DomainError(_("Reply to a comment on this proposal."))
        if parent.parent_id is not None:
            # Replies stay one level deep: answer the thread's first comment.
            parent = parent.parent
        if parent.is_hidden:
            raise DomainError(_("This comment was hidden; it cannot be replied to."))
    comment = Comment.objects.create(
        proposal=proposal,
        parent=parent,
        author=author,
        body=_text(body, label=_("The comment"), limit=COMMENT_MAX),
        is_official=author.has_perm("proposals.manage", proposal),
    )
    proposal.last_activity_at = timezone.now()
    proposal.save(update_fields=["last_activity_at"])
    recount(Proposal.objects.filter(pk=proposal.pk))
    if comment.is_official:
        record_event(
            actor=author,
            verb="proposal.official_reply",
            target=proposal,
            after={"comment": comment.pk},
        )
    if parent is not None and parent.author_id != author.pk:
        notify(
            user=parent.author,
            kind="proposals.reply",
            params={"title": proposal.title},
            url=proposal.get_absolute_url(),
        )
    return comment


@transaction.atomic
def report_comment(*, comment: Comment, reporter, reason: str) -> CommentReport:
    require_perm(reporter, "proposals.take_part", comment.proposal)
    reason = _text(reason, label=_("The reason"), limit=200)
    if comment.author_id == reporter.pk:
        raise DomainError(_("You cannot report your own comment."))
    if comment.is_hidden:
        raise DomainError(_("This comment has already been hidden."))
    try:
        with transaction.atomic():
            return CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
    except IntegrityError:
        raise DomainError(_("You have already reported this comment.")) from None


@transaction.atomic
def hide_comment(*, comment: Comment, actor, reason: str) -> Comment:
    """Moderation: the comment disappears from the public page; its text, the
    moderator and the reason are kept (and audited)."""
    require_perm(actor, "proposals.manage", comment.proposal)
    comment = Comment.objects.select_for_update().select_related("proposal").get(pk=comment.pk)
    if comment.is_hidden:
        raise DomainError(_("This comment has already been hidden."))
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = _text(reason, label=_("The reason"), limit=200)
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    comment.reports.filter(resolved_at__isnull=True).update(resolved_at=comment.hidden_at)
    recount(Proposal.objects.filter(pk=comment.proposal_id))
    record_event(
        actor=actor,
        verb="proposal.hide_comment",
        target=comment.proposal,
        after={"comment": comment.pk, "reason": comment.hidden_reason},
    )
    notify(
        user=comment.author,
        kind="proposals.hidden",
        params={"title": comment.proposal.title, "reason": comment.hidden_reason},
        url=comment.proposal.get_absolute_url(),
    )
    return comment


@transaction.atomic
def dismiss_reports(*, comment: Comment, actor) -> int:
    """The moderator keeps the comment: its open reports are resolved."""
    require_perm(actor, "proposals.manage", comment.proposal)
    count = comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    if count:
        record_event(
            actor=actor,
            verb="proposal.keep_comment",
            target=comment.proposal,
            after={"comment": comment.pk, "reports": count},
        )
    return count


# --- Review decisions ----------------------------------------------------------------


def _change_status(proposal: Proposal, to: str, *, actor, reason: str = "") -> None:
    """Move a locked proposal to ``to``, keep the history, audit it and tell the
    author and the supporters."""
    before = proposal.status
    if to not in TRANSITIONS[before]:
        raise DomainError(
            _("A proposal that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ProposalStatus(before).label, "to": ProposalStatus(to).label}
        )
    proposal.status = to
    proposal.status_reason = reason
    proposal.last_activity_at = timezone.now()
    proposal.save(update_fields=["status", "status_reason", "merged_into", "last_activity_at"])
    StatusChange.objects.create(
        proposal=proposal, from_status=before, to_status=to, reason=reason, actor=actor
    )
    record_event(
        actor=actor,
        verb="proposal.status",
        target=proposal,
        before={"status": before},
        after={"status": to, "reason": reason, "merged_into": proposal.merged_into_id},
    )
    told = {"kind": "proposals.status", "params": {"title": proposal.title, "status": to}}
    url = proposal.get_absolute_url()
    notify(user=proposal.author, url=url, town_id=proposal.town_id, **told)
    # A text message only for the author's own proposal; supporters read it in-app.
    for supporter in current_supporters(proposal).exclude(pk=proposal.author_id):
        notify(user=supporter, url=url, sms=False, **told)


@transaction.atomic
def start_review(*, proposal: Proposal, actor) -> Proposal:
    """Staff take a proposal into review before it reaches the threshold."""
    require_perm(actor, "proposals.manage", proposal)
    proposal = _lock(proposal)
    _change_status(proposal, ProposalStatus.UNDER_REVIEW, actor=actor)
    return proposal


@transaction.atomic
def adopt(*, proposal: Proposal, actor, reason: str = "") -> Proposal:
    """Adopted: the meetings capability calls this when it puts the proposal on a
    meeting's agenda (later the planning and renewal capabilities adopt into a
    planning process or a project the same way)."""
    require_perm(actor, "proposals.manage", proposal)
    proposal = _lock(proposal)
    _change_status(
        proposal,
        ProposalStatus.ADOPTED,
        actor=actor,
        reason=_text(reason, label=_("The reason"), limit=REASON_MAX, required=False),
    )
    return proposal


@transaction.atomic
def merge(*, proposal: Proposal, into: Proposal, actor, reason: str = "") -> Proposal:
    """Merged into another proposal of the same area; supporters carry over to it
    (each once: someone supporting both is counted once)."""
    require_perm(actor, "proposals.manage", proposal)
    if into.pk == proposal.pk:
        raise DomainError(_("A proposal cannot be merged into itself."))
    # Both rows in one statement, in pk order: two merges crossing each other wait
    # for one another instead of deadlocking.
    locked = (
        Proposal.objects.select_for_update()
        .select_related("town")
        .filter(pk__in=[proposal.pk, into.pk])
    )
    locked = {found.pk: found for found in locked.order_by("pk")}
    proposal, target = locked[proposal.pk], locked[into.pk]
    if target.area_id != proposal.area_id:
        raise DomainError(_("Merge only into a proposal of the same residential area."))
    if target.status in (ProposalStatus.MERGED, ProposalStatus.NOT_ADOPTED):
        raise DomainError(_("Merge into a proposal that is still open, adopted or implemented."))
    proposal.merged_into = target
    _change_status(
        proposal,
        ProposalStatus.MERGED,
        actor=actor,
        reason=_text(reason, label=_("The reason"), limit=REASON_MAX, required=False),
    )
    already = set(target.supports.filter(withdrawn_at__isnull=True).values_list("user", flat=True))
    moved = [
        Support(proposal=target, user_id=user_id)
        for user_id in current_supporters(proposal).values_list("pk", flat=True)
        if user_id not in already and user_id != target.author_id
    ]
    Support.objects.bulk_create(moved)
    recount(Proposal.objects.filter(pk__in=[proposal.pk, target.pk]))
    if moved:
        _review_at_threshold(target)
    return proposal


@transaction.atomic
def decline(*, proposal: Proposal, actor, reason: str) -> Proposal:
    """Not adopted: the reason is required and shown to everyone."""
    require_perm(actor, "proposals.manage", proposal)
    proposal = _lock(proposal)
    _change_status(
        proposal,
        ProposalStatus.NOT_ADOPTED,
        actor=actor,
        reason=_text(reason, label=_("The reason"), limit=REASON_MAX),
    )
    return proposal


@transaction.atomic
def mark_implemented(*, proposal: Proposal, actor, reason: str = "") -> Proposal:
    require_perm(actor, "proposals.manage", proposal)
    proposal = _lock(proposal)
    _change_status(
        proposal,
        ProposalStatus.IMPLEMENTED,
        actor=actor,
        reason=_text(reason, label=_("The reason"), limit=REASON_MAX, required=False),
    )
    return proposal


@transaction.atomic
def update_settings(*, town, actor, support_threshold: int, authors_may_support: bool):
    require_perm(actor, "proposals.configure", town)
    if not 1 <= support_threshold <= 10000:
        raise DomainError(_("The threshold must be between 1 and 10,000 supports."))
    found = ProposalSettings.objects.select_for_update().get(pk=settings_for(town).pk)
    before = {"threshold": found.support_threshold, "authors": found.authors_may_support}
    found.support_threshold = support_threshold
    found.authors_may_support = authors_may_support
    found.save()
    record_event(
        actor=actor,
        verb="proposal.settings",
        target=town,
        before=before,
        after={"threshold": support_threshold, "authors": authors_may_support},
    )
    return found
