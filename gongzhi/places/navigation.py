"""Where the menu leads from a page that names no town (log-in, 我的, messages).

The menu's entries are pages of one town. A page under /t/<town>/ links them in its
own town; any other page links here, and this view picks the town when the link is
followed, so rendering the menu never reads the database (the benchmark's floor and
the error pages stay query-free).
"""

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect

from gongzhi.core.navigation import town_entry

from .models import Town


def town_for(user) -> str | None:
    """The town of the person's residential area, else of one of their role grants,
    else the deployment's first town (one query)."""
    towns = Town.objects.all()
    if user.is_authenticated:
        mine = Q(areas__residents=user) | Q(role_grants__user=user)
        towns = towns.annotate(
            rank=Case(
                When(areas__residents=user, then=Value(0)),
                When(mine, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("rank", "pk")
    else:
        towns = towns.order_by("pk")
    return towns.values_list("slug", flat=True).first()


def go(request, key):
    """Follow a menu entry from a page without a town, into the person's town."""
    entry = town_entry(key)
    if entry is None:
        raise Http404
    slug = town_for(request.user)
    if slug is None:
        # A deployment without a town yet: its home page says so.
        return redirect("places:home")
    return redirect(entry.url_name, slug)
