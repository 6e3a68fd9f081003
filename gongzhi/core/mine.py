"""The sections of a person's 我的 page, each contributed by the app that owns the
records (DESIGN.md: imports run one way), so the page in core imports none of them.

An app registers in its apps.py ``ready()``::

    register_mine(key="events", order=10, template="events/mine.html", context=fn)

``context(user)`` returns the section's template context: only that user's records,
a short list (at most ``MINE_LIMIT`` rows, newest first) read with a fixed number of
queries whatever the number of records, so the page's query count stays constant.
It always returns a dict: a section with nothing in it shows its empty-state
sentence with a next step, rather than vanishing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

# How many rows each list on 我的 shows; the section links to its full page for more.
MINE_LIMIT = 10


@dataclass(frozen=True)
class MineSection:
    key: str
    order: int
    template: str
    # (user) -> the template's context
    context: Callable[[Any], dict]


_mine: dict[str, MineSection] = {}


def register_mine(*, key: str, order: int, template: str, context) -> None:
    _mine[key] = MineSection(key, order, template, context)


def mine_sections(user) -> list[dict]:
    """The registered sections, in order, each with its template and its context."""
    return [
        {"key": section.key, "template": section.template, **section.context(user)}
        for section in sorted(_mine.values(), key=lambda s: s.order)
    ]


def home_town_slug(user) -> str | None:
    """The slug of the town the person lives in, for a section's "go and look" link;
    None when they have not said where they live (the link then goes to the towns).
    The user object caches the area and town, so every section asks at no new cost."""
    area = user.residential_area
    return area.town.slug if area is not None else None


def town_page(url_name: str, slug: str | None) -> str:
    """The page ``url_name`` of the person's town (``home_town_slug``), or the list of
    towns when they have not said where they live."""
    return reverse(url_name, args=[slug]) if slug else reverse("places:home")
