"""The person's proposals on their 我的 page (core/mine.py): those they wrote with
their status, those they support, and their comments with the official replies."""

from django.db.models import Prefetch
from django.urls import reverse

from gongzhi.core.mine import MINE_LIMIT, home_town_slug, register_mine, town_page

from .models import Comment, Proposal, Support


def mine_context(user) -> dict:
    proposals = list(
        Proposal.objects.filter(author=user)
        .select_related("town")
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    supports = list(
        Support.objects.filter(user=user, withdrawn_at__isnull=True)
        .select_related("proposal__town")
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    # Replies are one level deep (Comment's docstring): the official ones answering a
    # comment are its visible replies marked official.
    comments = list(
        Comment.objects.filter(author=user, parent__isnull=True)
        .select_related("proposal__town")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.filter(is_official=True, hidden_at__isnull=True),
                to_attr="official_replies",
            )
        )
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    slug = home_town_slug(user)
    return {
        "proposals": proposals,
        "supports": supports,
        "comments": comments,
        "browse_url": town_page("proposals:proposal_list", slug),
        "submit_url": reverse("proposals:submit", args=[slug]) if slug else None,
    }


register_mine(key="proposals", order=20, template="proposals/mine.html", context=mine_context)
