"""Sections of a partner's profile page that later capabilities fill.

The profile shows the partner's units and roles (organisations), and the service
record: activities, volunteer hours, proposals, drafts (events, proposals, planning).
Each capability registers its section here; partners imports none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfileSection:
    key: str
    order: int
    template: str
    context: Callable[[Any], dict]


_sections: dict[str, ProfileSection] = {}


def register_profile_section(*, key: str, order: int, template: str, context) -> None:
    _sections[key] = ProfileSection(key, order, template, context)


def sections_for(partner) -> list[dict]:
    """The registered sections, in order, each with its template and context."""
    return [
        {"key": s.key, "template": s.template, **s.context(partner)}
        for s in sorted(_sections.values(), key=lambda s: s.order)
    ]
