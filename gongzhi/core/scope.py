"""Roles and scopes: who may act where.

A deployment serves many towns. Every protected object exposes ``scope`` (a
``Scope`` of its town and, where it has one, its residential area). A user's
powers come from role grants (``places.RoleGrant``) read once per request.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    PARTNER = "partner", _("Community partner")
    AREA_STAFF = "area_staff", _("Area staff")
    SECRETARIAT = "secretariat", _("Secretariat")
    ADMINISTRATOR = "administrator", _("Administrator")


@dataclass(frozen=True)
class Scope:
    town_id: int | None
    area_id: int | None = None


@dataclass
class UserScope:
    """What one user may reach. Built from role grants; cached on the user object."""

    is_administrator: bool = False
    secretariat_towns: set[int] = field(default_factory=set)
    staff_areas: set[int] = field(default_factory=set)
    staff_towns: set[int] = field(default_factory=set)
    partner_towns: set[int] = field(default_factory=set)

    @property
    def roles(self) -> list[str]:
        roles = [Role.RESIDENT.value]
        if self.partner_towns:
            roles.append(Role.PARTNER.value)
        if self.staff_areas:
            roles.append(Role.AREA_STAFF.value)
        if self.secretariat_towns:
            roles.append(Role.SECRETARIAT.value)
        if self.is_administrator:
            roles.append(Role.ADMINISTRATOR.value)
        return roles


def user_scope(user) -> UserScope:
    """Return the user's scope, reading their role grants once per user object."""
    if not getattr(user, "is_authenticated", False):
        return UserScope()
    cached = getattr(user, "_gongzhi_scope", None)
    if cached is not None:
        return cached
    scope = UserScope(is_administrator=bool(user.is_superuser))
    # role_grants is the reverse side of places.RoleGrant; read it without importing places.
    # One query on every signed-in page: a row per grant and area (the area is None for
    # a grant without areas), no model objects.
    for role, town_id, area_id in user.role_grants.values_list("role", "town_id", "areas__id"):
        if role == Role.SECRETARIAT:
            scope.secretariat_towns.add(town_id)
        elif role == Role.AREA_STAFF:
            if area_id is not None:
                scope.staff_areas.add(area_id)
            scope.staff_towns.add(town_id)
        elif role == Role.PARTNER:
            scope.partner_towns.add(town_id)
    user._gongzhi_scope = scope
    return scope


def scope_of(obj) -> Scope | None:
    return getattr(obj, "scope", None) if obj is not None else None


def within_scope(queryset, user, town, *, area_field: str = "area_id"):
    """Rows of ``town`` a user may work with: all of them for the administrator and
    the town's secretariat, only those of their own residential areas for area staff
    (nothing for anyone else). Views check the permission first; this narrows lists."""
    scope = user_scope(user)
    if scope.is_administrator or town.pk in scope.secretariat_towns:
        return queryset
    return queryset.filter(**{f"{area_field}__in": scope.staff_areas})


class Scoped:
    """A record's place in the town, read by the permission rules.

    A record with its own ``town`` (and ``area``, if it has one) is scoped by them;
    a record that lives inside another (a registration inside its activity) names
    that parent in ``scope_parent`` and shares its scope.
    """

    scope_parent: str | None = None

    @property
    def scope(self) -> Scope:
        if self.scope_parent:
            return getattr(self, self.scope_parent).scope
        return Scope(self.town_id, getattr(self, "area_id", None))
