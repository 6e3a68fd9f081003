"""The surveys a person answered, on their 我的 page (core/mine.py). Answers given
without an account (by device) are not theirs to list."""

from gongzhi.core.mine import MINE_LIMIT, home_town_slug, register_mine, town_page

from .models import Response


def mine_context(user) -> dict:
    responses = list(
        Response.objects.filter(user=user)
        .select_related("survey__town")
        .order_by("-submitted_at", "-pk")[:MINE_LIMIT]
    )
    slug = home_town_slug(user)
    return {
        "responses": responses,
        "browse_url": town_page("surveys:survey_list", slug),
    }


register_mine(key="surveys", order=35, template="surveys/mine.html", context=mine_context)
