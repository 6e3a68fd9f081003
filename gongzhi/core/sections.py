"""Sections that capabilities higher in the import order add to pages of the apps
below them, without those apps importing them (DESIGN.md: imports run one way).

A page names itself (e.g. "places.area", "organisations.unit", "proposals.proposal")
and renders ``{% page_sections "places.area" area %}``; meetings registers the action
items of an area there, and the proposal's agenda items on the proposal page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    page: str
    key: str
    order: int
    template: str
    # (request, obj) -> the template's context, or None to leave the section out.
    context: Callable[[Any, Any], dict | None]


_sections: dict[str, dict[str, Section]] = {}


def register_section(*, page: str, key: str, order: int, template: str, context) -> None:
    _sections.setdefault(page, {})[key] = Section(page, key, order, template, context)


def sections_for(page: str, request, obj) -> list[dict]:
    """The page's registered sections, in order, each with its template and context."""
    found = []
    for section in sorted(_sections.get(page, {}).values(), key=lambda s: s.order):
        context = section.context(request, obj)
        if context is not None:
            found.append({"key": section.key, "template": section.template, **context})
    return found
