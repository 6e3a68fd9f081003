"""A person's partner applications on their 我的 page (core/mine.py): each with its
status and, when the secretariat asked for more, the way to answer; once accepted,
the partner profile.

For a partner, a second section: their commitments still to come (the times they
are booked, which matching respects) and the openings matching finds for them — the
same reasons and points ``matching.assess`` gives when staff rank partners for a
need, asked the other way round. The capabilities above offer their openings (an
activity to help run, a jury being formed, a plan's drafts to design) and the page
where a commitment of theirs is seen, through ``register_openings`` and
``register_commitment_links``; partners imports none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.utils import timezone

from gongzhi.core.mine import MINE_LIMIT, home_town_slug, register_mine, town_page

from . import matching
from .models import Application, Commitment, Partner, PartnerStatus

# How many openings the section suggests, best first.
SUGGESTIONS_SHOWN = 5


def mine_context(user) -> dict:
    applications = list(
        Application.objects.filter(applicant=user)
        .select_related("town", "partner__town")
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    slug = home_town_slug(user)
    return {
        "applications": applications,
        "apply_url": town_page("partners:apply", slug),
    }


register_mine(key="partners", order=40, template="partners/mine.html", context=mine_context)


# --- A partner's commitments and openings ---------------------------------------------


@dataclass
class Opening:
    """Something a capability needs a partner for, as matching sees it."""

    need: matching.Need
    title: str  # what the partner would do, and where, in words
    url: str  # the page where it is seen
    at: datetime | None = None


# (active partners of the person, now) -> their openings, in a fixed number of
# queries; each need in the town of the partner it is meant for, and (when it has a
# time) within matching.UPCOMING_DAYS, the horizon of the bookings read here.
OpeningSource = Callable[[list[Partner], datetime], list[Opening]]
# (commitment ids) -> {commitment id: the URL of what it is for}, in one query.
CommitmentLinks = Callable[[list[int]], dict[int, str]]

_openings: dict[str, OpeningSource] = {}
_commitment_links: dict[str, CommitmentLinks] = {}


def register_openings(key: str, source: OpeningSource) -> None:
    _openings[key] = source


def register_commitment_links(key: str, links: CommitmentLinks) -> None:
    _commitment_links[key] = links


def _overlaps(commitments, start, end) -> bool:
    return any(c.starts_at < end and c.ends_at > start for c in commitments)


def suggestions(partners: list[Partner], commitments: list[Commitment], now) -> list[dict]:
    """The openings that fit the person's active partners best: each assessed by
    ``matching.assess`` with the partner's current load, leaving out those the
    partner is already on (the need excludes them) or is booked at the time of."""
    active = [p for p in partners if p.status == PartnerStatus.ACTIVE]
    if not active:
        return []
    by_town = {p.town_id: p for p in active}
    load_of = matching.loads([p.pk for p in active])
    # Matching calls a partner "nearby" when they live in a neighbour of the need's
    # area; the relation is symmetrical, so the partner's own neighbours (one query)
    # answer it for every need.
    neighbours = {p.pk: set(matching.nearby_areas(p.area)) if p.area_id else set() for p in active}
    found = []
    for key in sorted(_openings):
        for opening in _openings[key](active, now):
            partner = by_town.get(opening.need.town_id)
            if partner is None or partner.pk in opening.need.exclude_partner_ids:
                continue
            need = opening.need
            if need.at is not None:
                until = need.until or need.at + timedelta(hours=2)
                booked = [c for c in commitments if c.partner_id == partner.pk]
                if _overlaps(booked, need.at, until):
                    continue
            if need.area_id in neighbours[partner.pk] and not need.nearby_area_ids:
                need = replace(need, nearby_area_ids=[partner.area_id])
            match = matching.assess(partner, need, load=load_of.get(partner.pk, 0))
            if match is None:
                continue
            found.append(
                {
                    "title": opening.title,
                    "url": opening.url,
                    "at": opening.at,
                    "score": match.score,
                    "reasons": [r for r in match.reasons if r.points > 0],
                }
            )
    far = now + timedelta(days=3650)
    found.sort(key=lambda s: (-s["score"], s["at"] or far, s["title"]))
    return found[:SUGGESTIONS_SHOWN]


def work_context(user) -> dict:
    now = timezone.now()
    partners = list(Partner.objects.filter(user=user).for_directory().select_related("town"))
    if not partners:
        return {"is_partner": False}
    # Every booking still to come within matching's horizon: the list shows the
    # first of them, the suggestions leave out needs at a booked time.
    commitments = list(
        Commitment.objects.filter(
            partner__in=partners,
            ends_at__gt=now,
            starts_at__lt=now + timedelta(days=matching.UPCOMING_DAYS),
        ).order_by("starts_at", "pk")
    )
    shown = commitments[:MINE_LIMIT]
    links: dict[int, str] = {}
    if shown:
        for key in sorted(_commitment_links):
            links.update(_commitment_links[key]([c.pk for c in shown]))
    for commitment in shown:
        commitment.url = links.get(commitment.pk)
    return {
        "is_partner": True,
        "commitments": shown,
        "more_commitments": max(len(commitments) - len(shown), 0),
        "suggestions": suggestions(partners, commitments, now),
        "profiles": partners,
    }


register_mine(
    key="partners.work", order=55, template="partners/mine_work.html", context=work_context
)
