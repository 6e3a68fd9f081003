"""待办: what waits for a staff member, contributed by each capability.

Core cannot import the apps above it (DESIGN.md), so each app registers its sections
here from its ``ready()``: a count and the first rows of what waits, both narrowed to
the viewer's scope by ``TodoScope.narrow`` (area staff: their areas; the secretariat:
their towns; the administrator: everything). A section costs one COUNT query for the
header's badge and one more query for its rows on the workbench (or a fixed few, when
a row says what is missing), whatever the number of records.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import SimpleLazyObject

from .pagecache import remembered
from .scope import UserScope, user_scope

ROWS_SHOWN = 20
DEFAULT_TEMPLATE = "core/todo_rows.html"


@dataclass(frozen=True)
class TodoSection:
    key: str
    order: int
    title: Any  # a lazy translation
    # (TodoScope) -> a QuerySet (or None) of what waits; counted for the badge.
    count: Callable[["TodoScope"], Any]
    # (TodoScope, limit) -> the rows shown: dicts with url, title and optional detail.
    rows: Callable[["TodoScope", int], list[dict]]
    template: str
    # Whose work it is: "staff" (area staff and the secretariat) or "town" (only the
    # secretariat and the administrator, e.g. partner applications).
    who: str


_sections: dict[str, TodoSection] = {}


def register_todo(
    *, key: str, order: int, title, count, rows, template: str = DEFAULT_TEMPLATE, who="staff"
) -> None:
    if who not in ("staff", "town"):
        raise ValueError(f"who must be 'staff' or 'town', not {who!r}")
    _sections[key] = TodoSection(key, order, title, count, rows, template, who)


def todo_section(key: str, order: int, title, waiting, *, template=DEFAULT_TEMPLATE, who="staff"):
    """Decorator: registers, next to its definition, the section ``key`` whose rows
    are the decorated ``row(item)`` (a dict with url, title and optional detail) for
    the first items of ``waiting(todo)``. ``waiting`` gives what waits in the order
    the rows show it, joined to what they read (``select_related``): the badge
    counts it (a COUNT drops the order and the joins), the workbench reads its
    first rows in one query. The row function is returned unchanged.

    A section whose rows need all its items at once (one query for what every row
    lacks) calls ``register_todo`` with its own ``rows(todo, limit)`` instead."""

    def register(row):
        def rows(todo_scope, limit):
            return [row(item) for item in waiting(todo_scope)[:limit]]

        register_todo(
            key=key, order=order, title=title, count=waiting, rows=rows, template=template, who=who
        )
        return row

    return register


def place_of(record) -> str:
    """Where a record that may be town-wide happens: its area's name, else its town's."""
    return record.area.name if record.area else record.town.name


def is_staff(scope: UserScope) -> bool:
    return bool(scope.is_administrator or scope.secretariat_towns or scope.staff_areas)


@dataclass
class TodoScope:
    """The viewer and what they may reach, handed to the sections' functions."""

    user: Any
    scope: UserScope
    town_only: bool = False

    def narrow(self, queryset, *, through: str = "", town_field: str = "", area_field: str = ""):
        """Rows of the viewer's scope: every row for the administrator, the rows of
        their towns for the secretariat, of their areas for area staff (unless the
        section is the town's work only). The town and area are the queryset's own,
        or those of the record ``through`` names (``through="activity"`` reads
        ``activity__town_id`` and ``activity__area_id``); ``town_field`` and
        ``area_field`` name other fields outright."""
        prefix = f"{through}__" if through else ""
        town_field = town_field or f"{prefix}town_id"
        area_field = area_field or f"{prefix}area_id"
        scope = self.scope
        if scope.is_administrator:
            return queryset
        conditions = []
        if scope.secretariat_towns:
            conditions.append(Q(**{f"{town_field}__in": sorted(scope.secretariat_towns)}))
        if scope.staff_areas and not self.town_only:
            conditions.append(Q(**{f"{area_field}__in": sorted(scope.staff_areas)}))
        if not conditions:
            return queryset.none()
        condition = conditions[0]
        for other in conditions[1:]:
            condition |= other
        return queryset.filter(condition)


def _applies(section: TodoSection, scope: UserScope) -> bool:
    if section.who == "town":
        return bool(scope.is_administrator or scope.secretariat_towns)
    return is_staff(scope)


def _count(section: TodoSection, todo_scope: TodoScope) -> int:
    queryset = section.count(todo_scope)
    return 0 if queryset is None else queryset.count()


def _scopes(user):
    scope = user_scope(user)
    if not is_staff(scope):
        return
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        if _applies(section, scope):
            yield section, TodoScope(user, scope, town_only=section.who == "town")


def count_for(user) -> int:
    """The number of things waiting for ``user`` (0 for anyone but staff): one COUNT
    query per section, for the badge beside the 待办 link."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return sum(_count(section, todo_scope) for section, todo_scope in _scopes(user))


def sections_for(user) -> list[dict]:
    """The workbench's sections, in order: each with its title, count, first rows
    and template."""
    found = []
    for section, todo_scope in _scopes(user):
        count = _count(section, todo_scope)
        rows = section.rows(todo_scope, ROWS_SHOWN) if count else []
        found.append(
            {
                "key": section.key,
                "title": section.title,
                "count": count,
                "rows": rows,
                "more": max(count - len(rows), 0),
                "template": section.template,
            }
        )
    return found


def header(request):
    """Context processor for the 待办 entry of the header: ``todo_nav`` is false for
    anyone but staff and holds ``count`` for staff. Lazy, so nothing is read unless
    the template shows it; then one COUNT query per section (none on the workbench
    itself, which has counted them). The count is kept until the next write
    (core/pagecache.py: every committed write draws a new data version), so it is
    right after every action without counting a district's sections on every page;
    what waits by the clock alone (a deadline passing) shows within a minute."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"todo_nav": None}

    def entry():
        if not is_staff(user_scope(user)):
            return None
        # The workbench has just counted every section (todo_views.todo): reuse it.
        counted = getattr(request, "todo_count", None)
        if counted is None:
            counted = remembered("todo", (user.pk,), lambda: count_for(user), seconds=60)
        return {"count": counted}

    return {"todo_nav": SimpleLazyObject(entry)}
