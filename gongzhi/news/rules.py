"""Who may do what with community news.

Media partners (社区媒体合伙人, an active partner of the town with the media work mode)
and staff write; the town's secretariat, or the staff of the article's residential
area, publish or return what was submitted. Published articles are public; a draft
is its author's and its reviewers'.
"""

import rules

from gongzhi.core.rules import can_manage, can_manage_town, is_area_staff_in_town_of
from gongzhi.core.scope import scope_of


@rules.predicate
def is_media_partner_in_town_of(user, obj):
    """An active partner of the object's town whose work modes include media."""
    scope = scope_of(obj)
    if scope is None or not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_gongzhi_media_partner", {})
    if scope.town_id not in cache:
        from gongzhi.partners.models import Mode, Partner

        cache[scope.town_id] = (
            Partner.objects.active()
            .with_mode(Mode.MEDIA)
            .filter(town_id=scope.town_id, user=user)
            .exists()
        )
    return cache[scope.town_id]


@rules.predicate
def is_author(user, article):
    return bool(article is not None and user.is_authenticated and article.author_id == user.pk)


@rules.predicate
def is_published(user, article):
    return article is not None and article.status == "published"


town_staff = can_manage_town | is_area_staff_in_town_of

# On the town: write an article, and see the desk (one's own articles; for reviewers,
# what waits for review).
rules.add_perm("news.write", town_staff | is_media_partner_in_town_of)
rules.add_perm("news.desk", town_staff | is_media_partner_in_town_of)
rules.add_perm("news.see_waiting", town_staff)
# On an article: its author edits and submits it (while a draft or returned, the
# service says), its area's staff or the town's secretariat publish or return it.
rules.add_perm("news.edit", is_author)
rules.add_perm("news.review", can_manage)
rules.add_perm("news.view", is_published | is_author | can_manage)
