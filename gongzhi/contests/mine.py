"""The person's design contests on their 我的 page (core/mine.py): the entries they
submitted, each with how far it went (still competing, advanced, not advanced, a
winner) and its award; the votes they cast in public votes; and the public votes of
their town still open in which they have not voted yet. For a partner's section
(partners/mine.py), the juries being formed that matching would put them on."""

from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.mine import MINE_LIMIT, home_town_slug, register_mine, town_page
from gongzhi.partners.matching import Need
from gongzhi.partners.mine import Opening, register_openings

from .models import Contest, ContestStatus, Entry, PublicVote, Stage
from .services import JURY_MODES


def mine_context(user) -> dict:
    now = timezone.now()
    entries = list(
        Entry.objects.filter(submitted_by=user)
        .select_related("contest__town", "award")
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    for entry in entries:
        contest = entry.contest
        # The team adds drafts on the entry's page while the contest runs (views.py).
        entry.can_add_drafts = contest.status == ContestStatus.OPEN and entry.in_running
        # Selected with the entry: None when it won nothing (no query either way).
        entry.won = getattr(entry, "award", None)
    votes = list(
        PublicVote.objects.filter(user=user)
        .select_related("contest__town", "entry__contest__town")
        .order_by("-cast_at", "-pk")[:MINE_LIMIT]
    )
    slug = home_town_slug(user)
    # What the person can do now: vote where their town's public vote is open (the
    # same condition as services.vote_is_open) and they have not voted yet.
    open_votes = []
    if slug:
        open_votes = list(
            Contest.objects.filter(
                town__slug=slug,
                status=ContestStatus.OPEN,
                stage=Stage.FINAL,
                public_vote_closes__gt=now,
            )
            .exclude(votes__user=user)
            .select_related("town")
            .order_by("public_vote_closes", "pk")[:MINE_LIMIT]
        )
    return {
        "entries": entries,
        "votes": votes,
        "open_votes": open_votes,
        "browse_url": town_page("contests:contest_list", slug),
    }


register_mine(key="contests", order=37, template="contests/mine.html", context=mine_context)


# --- For a partner's 我的 (partners/mine.py) ------------------------------------------


def jury_openings(partners, now) -> list:
    """Published contests of the partners' towns still running, whose jury they are
    not on and which they did not enter: judges are found by the need
    ``services.suggest_judges`` describes."""
    contests = (
        Contest.objects.filter(town_id__in={p.town_id for p in partners}, status=ContestStatus.OPEN)
        .exclude(jury__partner__in=partners)
        .exclude(entries__submitted_by_id__in={p.user_id for p in partners})
        .select_related("town")
        .order_by("submission_closes", "pk")[:MINE_LIMIT]
    )
    return [
        Opening(
            need=Need(town_id=contest.town_id, modes=list(JURY_MODES)),
            title=_("The jury of “%(contest)s”") % {"contest": contest.title},
            url=contest.get_absolute_url(),
        )
        for contest in contests
    ]


register_openings("contests", jury_openings)
