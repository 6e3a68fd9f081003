"""Writes on places: granting and revoking roles (audited)."""

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.scope import Role
from gongzhi.core.services import record_event

from .models import RoleGrant


@transaction.atomic
def grant_role(*, actor, user, role: str, town, areas=()) -> RoleGrant:
    """Give ``user`` a role in ``town`` (area staff: in ``areas`` of that town).

    Permission: checked by partners.services.accept_application (partners.review);
    otherwise roles are granted in the Django admin (its own permissions) or by the
    demo seeding.
    """
    if role not in RoleGrant.GRANTABLE:
        raise DomainError(_("This role cannot be granted."))
    areas = list(areas)
    if role == Role.AREA_STAFF and not areas:
        raise DomainError(_("Area staff must serve at least one residential area."))
    if any(area.town_id != town.pk for area in areas):
        raise DomainError(_("Every area must belong to the town of the role."))
    grant, _created = RoleGrant.objects.get_or_create(user=user, role=role, town=town)
    before = {"areas": sorted(grant.areas.values_list("pk", flat=True))}
    if areas:
        grant.areas.add(*areas)
    after = {"role": role, "user": user.pk, "areas": sorted(a.pk for a in grant.areas.all())}
    record_event(actor=actor, verb="role.grant", target=grant, before=before, after=after)
    return grant


@transaction.atomic
def log_roster_access(*, actor, area, page_number: int) -> None:
    """Record that ``actor`` saw the contact details of ``area``'s residents (PIPL:
    access to personal data is logged)."""
    require_perm(actor, "places.view_area_residents", area)
    record_event(actor=actor, verb="personal_data.view", target=area, after={"page": page_number})


@transaction.atomic
def revoke_role(*, actor, grant: RoleGrant) -> None:
    require_perm(actor, "places.manage_roles", grant.town)
    record_event(
        actor=actor,
        verb="role.revoke",
        target=grant,
        before={"role": grant.role, "user": grant.user_id},
    )
    grant.delete()
