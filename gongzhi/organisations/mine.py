"""A partner's teams and committees on their 我的 page (core/mine.py): the units they
belong to now, with their role. Shown to partners only; other people are in none."""

from gongzhi.core.mine import MINE_LIMIT, register_mine
from gongzhi.partners.models import Partner

from .models import Membership


def mine_context(user) -> dict:
    memberships = list(
        Membership.objects.current()
        .filter(partner__user=user)
        .select_related("unit__town")
        .order_by("-start_date", "-pk")[:MINE_LIMIT]
    )
    is_partner = bool(memberships) or Partner.objects.filter(user=user).exists()
    return {"memberships": memberships, "is_partner": is_partner}


register_mine(
    key="organisations", order=50, template="organisations/mine.html", context=mine_context
)
