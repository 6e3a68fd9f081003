"""The kinds of in-app notification, each app registering its own (from its
``ready()``, as core/mine.py and core/todo.py do).

A notification is stored as its kind's key and parameters and written out when it
is read, in the reader's language: a message caused by an English-speaking staff
member reads in Chinese to a Chinese reader. The text rendered when it was sent is
kept too (``Notification.message``): it is what an old row or a kind no longer
registered shows, and what a message whose parameters no longer fit falls back to.

A kind is a dataclass so that later needs become fields with defaults, not a new
registry: ``channels`` says whether it also goes out by SMS (issue 16), ``label``
names its switch on 我的 and ``sms_params`` the short values its SMS template takes.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

APP, SMS = "app", "sms"
# The longest value of one SMS template variable (Alibaba and Tencent cap variables
# at about 20 characters for notification templates).
SMS_PARAM_LIMIT = 20


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
    # Where it is sent: always in-app ("app"); "sms" too for what a resident must not
    # miss (issue 16). Each person may turn a kind's SMS off on 我的.
    channels: tuple[str, ...] = (APP,)
    # What the person reads on 我的 beside its SMS switch (a lazy translation).
    label: Any = ""
    # The parameters an SMS template gets (providers' approved templates take short
    # variables, ~20 characters: longer values are cut, see ``sms_values``).
    sms_params: tuple[str, ...] = ()

    @property
    def by_sms(self) -> bool:
        return SMS in self.channels

    def prepared(self, params: dict) -> dict:
        values = dict(params)
        if self.prepare is not None:
            values = self.prepare(values)
        return values

    def render(self, params: dict) -> str:
        return str(self.message) % self.prepared(params)

    def sms_values(self, params: dict) -> dict[str, str]:
        """The SMS template's variables: the declared parameters, prepared as the
        message shows them (a status as its label), each cut to SMS_PARAM_LIMIT."""
        values = self.prepared(params)
        return {name: _cut(str(values.get(name, ""))) for name in self.sms_params}


def _cut(value: str) -> str:
    value = " ".join(value.split())
    if len(value) <= SMS_PARAM_LIMIT:
        return value
    return value[: SMS_PARAM_LIMIT - 1] + "…"


_kinds: dict[str, NotificationKind] = {}


def register_kind(
    key: str, message, sample=None, *, prepare=None, label="", sms_params=()
) -> NotificationKind:
    """Register (or, on a reload, replace) the kind ``key``; returns it. Every kind is
    shown in-app; one that names the parameters its SMS template takes
    (``sms_params``) goes out by SMS too, and must say what its switch on 我的 is
    called (``label``): the two come together or not at all."""
    if bool(label) != bool(sms_params):
        raise ValueError(f"the SMS kind {key!r} needs both a label and its sms_params")
    kind = NotificationKind(
        key=key,
        message=message,
        sample=dict(sample or {}),
        prepare=prepare,
        channels=(APP, SMS) if sms_params else (APP,),
        label=label,
        sms_params=tuple(sms_params),
    )
    _kinds[key] = kind
    return kind


def get_kind(key: str) -> NotificationKind | None:
    return _kinds.get(key)


def registered_kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def sms_kinds() -> list[NotificationKind]:
    """The kinds sent by SMS too, in the order 我的 lists their switches."""
    return [kind for kind in registered_kinds() if kind.by_sms]


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
