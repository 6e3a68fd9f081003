"""The partner figures (partner cultivation), counted from records: which partners
count for a period, and how they split by area, work mode and party membership.
Labels, rules in words and links are the reports' (reports/figures.py)."""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from gongzhi.core.counting import Span, grouped, in_area, per

from .models import Partner, PartnerMode, PartnerStatus, PartyStatus


@dataclass(frozen=True)
class PartnerCount:
    total: int
    party_members: int
    # {area pk: partners}; None for partners with no area.
    areas: dict
    # {mode: partners}: a partner with several modes counts once in each.
    by_mode: dict


def active(town, period: Span, area=None):
    """Partners whose status is active and who joined on or before the period's last
    day. The records keep no date of leaving or pausing, so a partner who has left or
    paused counts in no period."""
    return Partner.objects.filter(
        town=town, status=PartnerStatus.ACTIVE, joined_on__lte=period.end, **in_area(area)
    )


def partners(town, period: Span, area=None) -> PartnerCount:
    """The ``active`` partners: how many, how many are dual-registered party members,
    per area and per work mode (primary and secondary modes alike). Two queries."""
    partners = active(town, period, area)
    by_area = grouped(
        partners,
        F("area"),
        n=Count("pk"),
        party=Count("pk", filter=Q(party_status=PartyStatus.DUAL_REGISTERED)),
    )
    return PartnerCount(
        total=sum(row["n"] for row in by_area.values()),
        party_members=sum(row["party"] for row in by_area.values()),
        areas={key: row["n"] for key, row in by_area.items()},
        by_mode=per(
            PartnerMode.objects.filter(partner__in=partners),
            "mode",
            Count("partner", distinct=True),
        ),
    )
