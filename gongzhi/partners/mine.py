"""A person's partner applications on their 我的 page (core/mine.py): each with its
status and, when the secretariat asked for more, the way to answer; once accepted,
the partner profile."""

from django.urls import reverse

from gongzhi.core.mine import MINE_LIMIT, home_town_slug, register_mine

from .models import Application


def mine_context(user) -> dict:
    applications = list(
        Application.objects.filter(applicant=user)
        .select_related("town", "partner__town")
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    slug = home_town_slug(user)
    return {
        "applications": applications,
        "apply_url": reverse("partners:apply", args=[slug]) if slug else reverse("places:home"),
    }


register_mine(key="partners", order=40, template="partners/mine.html", context=mine_context)
