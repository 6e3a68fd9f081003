"""The kinds of in-app notification, each app registering its own (from its
``ready()``, as core/mine.py and core/todo.py do).

A notification is stored as its kind's key and parameters and written out when it
is read, in the reader's language: a message caused by an English-speaking staff
member reads in Chinese to a Chinese reader. The text rendered when it was sent is
kept too (``Notification.message``): it is what an old row or a kind no longer
registered shows, and what a message whose parameters no longer fit falls back to.

A kind is a dataclass so that later needs (issue 16: the channels a kind is sent
on, such as SMS) become fields with defaults, not a new registry.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotificationKind:
    key: str
    # A lazy translation with %(name)s placeholders, formatted with the parameters.
    message: Any
    # Parameters as its callers pass them: the test formats every kind with them.
    sample: dict = field(default_factory=dict)
    # (params) -> params for the message, in the active language: turns stored
    # values (a status, a step's order and kind) into their labels when read.
    prepare: Callable[[dict], dict] | None = None

    def render(self, params: dict) -> str:
        values = dict(params)
        if self.prepare is not None:
            values = self.prepare(values)
        return str(self.message) % values


_kinds: dict[str, NotificationKind] = {}


def register_kind(key: str, *, message, sample=None, prepare=None) -> NotificationKind:
    """Register (or, on a reload, replace) the kind ``key``; returns it."""
    kind = NotificationKind(key=key, message=message, sample=dict(sample or {}), prepare=prepare)
    _kinds[key] = kind
    return kind


def get_kind(key: str) -> NotificationKind | None:
    return _kinds.get(key)


def registered_kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def render(key: str, params, fallback: str = "") -> str:
    """The message of kind ``key`` with ``params`` in the active language; the
    ``fallback`` text when the kind is unknown or the parameters do not fit (never
    an error: a broken message must not break the page that lists it)."""
    kind = _kinds.get(key) if key else None
    if kind is None or not isinstance(params, dict):
        return fallback
    try:
        return kind.render(params)
    except Exception:  # a stored row whose parameters no longer fit its kind
        logger.warning("notification of kind %s does not render with %r", key, params)
        return fallback


def choice_labels(**choices) -> Callable[[dict], dict]:
    """A ``prepare`` that shows stored choice values as their labels in the reader's
    language: ``choice_labels(status=ProposalStatus)``. An unknown value raises, so
    the message falls back to its stored text."""

    def prepare(params: dict) -> dict:
        return {
            **params,
            **{name: str(cls(params[name]).label) for name, cls in choices.items()},
        }

    return prepare
