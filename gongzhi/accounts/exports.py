"""Sections of a person's personal-data export that other capabilities contribute.

accounts sits near the bottom of the import order, so it cannot read registrations,
applications or contest entries itself; each capability registers a function that
returns the person's records of its kind as JSON-ready data (PIPL: people can see and
take all their data).
"""

from collections.abc import Callable

_sections: dict[str, Callable] = {}


def register_export_section(key: str, collect: Callable) -> None:
    _sections[key] = collect


def export_sections(user) -> dict:
    return {key: collect(user) for key, collect in sorted(_sections.items())}
