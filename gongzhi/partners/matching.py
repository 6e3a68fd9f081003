"""Matching: the right partner for a job.

Given a need (work modes, skills or profession, residential area, time), rank the
town's active partners and say why. Partners committed at that time are left out.
Later capabilities add load through ``register_load_source`` (organisations counts
team memberships) and add commitments when they assign people.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Commitment, Mode, Partner, Slot

# Points per reason. Mode and place matter most; load only breaks near-ties.
POINTS = {
    "primary_mode": 4,
    "secondary_mode": 2,
    "skill": 3,  # per matching skill
    "profession": 3,
    "same_area": 3,
    "nearby_area": 2,
    "available": 2,
    "load": -1,  # per current engagement, at most LOAD_CAP of them
}
LOAD_CAP = 3
UPCOMING_DAYS = 30

# Each source maps partner ids to how many ongoing engagements they have.
LoadSource = Callable[[list[int]], dict[int, int]]
_load_sources: list[tuple[str, LoadSource]] = []


def register_load_source(label: str, source: LoadSource) -> None:
    """Let a later capability count what keeps partners busy (team memberships, ...)."""
    if all(existing != label for existing, _source in _load_sources):
        _load_sources.append((label, source))


@dataclass
class Need:
    town_id: int
    modes: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    profession: str = ""
    area_id: int | None = None
    nearby_area_ids: list[int] = field(default_factory=list)
    at: datetime | None = None
    until: datetime | None = None
    exclude_partner_ids: list[int] = field(default_factory=list)


@dataclass
class Reason:
    code: str
    text: str
    points: int


@dataclass
class Match:
    partner: Partner
    score: int
    reasons: list[Reason]


def _busy_partner_ids(need: Need) -> set[int]:
    if need.at is None:
        return set()
    until = need.until or need.at + timedelta(hours=2)
    return set(
        Commitment.objects.filter(
            partner__town_id=need.town_id, starts_at__lt=until, ends_at__gt=need.at
        ).values_list("partner_id", flat=True)
    )


def loads(partner_ids: list[int]) -> dict[int, int]:
    """How many current engagements each partner has: upcoming commitments within
    UPCOMING_DAYS plus what the registered load sources count (team memberships)."""
    return _loads(partner_ids)


def _loads(partner_ids: list[int]) -> dict[int, int]:
    now = timezone.now()
    upcoming = dict(
        Commitment.objects.filter(
            partner_id__in=partner_ids,
            ends_at__gt=now,
            starts_at__lt=now + timedelta(days=UPCOMING_DAYS),
        )
        .values_list("partner_id")
        .annotate(n=Count("pk"))
        .values_list("partner_id", "n")
    )
    totals = dict(upcoming)
    for _label, source in _load_sources:
        for pk, n in source(partner_ids).items():
            totals[pk] = totals.get(pk, 0) + n
    return totals


def rank_partners(need: Need, *, limit: int = 20) -> list[Match]:
    """Active partners of the town ranked for ``need``, best first, with reasons.

    Only partners with at least one positive reason are returned; ties are broken by
    lower load, then by name, so the order is stable.
    """
    wanted_skills = {s.strip().lower() for s in need.skills if s.strip()}
    profession = need.profession.strip().lower()
    busy = _busy_partner_ids(need)
    candidates = (
        Partner.objects.active()
        .filter(town_id=need.town_id)
        .exclude(pk__in=busy | set(need.exclude_partner_ids))
        .for_directory()
    )
    # Narrow in SQL to partners with something in common, then score in Python.
    relevant = Q()
    if need.modes:
        relevant |= Q(modes__mode__in=need.modes)
    if wanted_skills:
        relevant |= Q(skills__name__in=[s for s in need.skills if s.strip()])
    if profession:
        relevant |= Q(profession__icontains=profession)
    if need.area_id:
        relevant |= Q(area_id__in=[need.area_id, *need.nearby_area_ids])
    if relevant:
        candidates = candidates.filter(relevant).distinct()
    partners = list(candidates)
    load_of = _loads([p.pk for p in partners])
    matches = []
    for partner in partners:
        match = assess(partner, need, load=load_of.get(partner.pk, 0))
        if match is not None:
            matches.append(match)
    matches.sort(
        key=lambda m: (-m.score, load_of.get(m.partner.pk, 0), m.partner.name, m.partner.pk)
    )
    return matches[:limit]


def assess(partner: Partner, need: Need, *, load: int = 0) -> Match | None:
    """How ``partner`` fits ``need``: the reasons and their points, exactly as
    ``rank_partners`` scores each candidate; None when they have nothing in common
    with it. Reads the partner's skills and modes (prefetched by ``for_directory``,
    else queried); whether they are busy then and their ``load`` are the caller's.
    A partner's 我的 page asks it the other way round: which open needs fit me."""
    wanted_skills = {s.strip().lower() for s in need.skills if s.strip()}
    profession = need.profession.strip().lower()
    slot = Slot.of(need.at) if need.at else None
    labels = dict(Mode.choices)
    reasons = []
    if need.modes:
        primary = partner.primary_mode
        if primary in need.modes:
            reasons.append(
                Reason(
                    "primary_mode",
                    _("Primary mode: %(m)s") % {"m": labels[primary]},
                    POINTS["primary_mode"],
                )
            )
        for mode in partner.secondary_modes:
            if mode in need.modes:
                reasons.append(
                    Reason(
                        "secondary_mode",
                        _("Also works in: %(m)s") % {"m": labels[mode]},
                        POINTS["secondary_mode"],
                    )
                )
    for skill in partner.skills.all():
        if skill.name.lower() in wanted_skills:
            reasons.append(Reason("skill", _("Skill: %(s)s") % {"s": skill.name}, POINTS["skill"]))
    if profession and profession in partner.profession.lower():
        reasons.append(
            Reason(
                "profession",
                _("Profession: %(p)s") % {"p": partner.profession},
                POINTS["profession"],
            )
        )
    if need.area_id and partner.area_id == need.area_id:
        reasons.append(Reason("same_area", _("Lives in the area"), POINTS["same_area"]))
    elif partner.area_id in need.nearby_area_ids:
        reasons.append(
            Reason(
                "nearby_area",
                _("Lives nearby: %(a)s") % {"a": partner.area.name},
                POINTS["nearby_area"],
            )
        )
    if not any(r.points > 0 for r in reasons):
        return None
    if slot and getattr(partner, slot.value):
        reasons.append(
            Reason("available", _("Usually free: %(s)s") % {"s": slot.label}, POINTS["available"])
        )
    if load:
        counted = min(load, LOAD_CAP)
        reasons.append(
            Reason(
                "load",
                ngettext(
                    "Already has %(n)d current engagement",
                    "Already has %(n)d current engagements",
                    load,
                )
                % {"n": load},
                POINTS["load"] * counted,
            )
        )
    return Match(partner, sum(r.points for r in reasons), reasons)


def nearby_areas(area) -> list[int]:
    """Areas next to ``area`` (as staff recorded them in the places admin)."""
    return list(area.neighbours.values_list("pk", flat=True)) if area else []


def split_tags(text: str | Iterable[str]) -> list[str]:
    """ "园艺, 摄影、法律" -> ["园艺", "摄影", "法律"]: commas (both widths), 、 and ;."""
    if not isinstance(text, str):
        text = ",".join(text)
    for separator in ["，", "、", ";", "；", "\n"]:
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]
