"""Writes on the 1+5+n organisation: setting it up, forming teams, memberships."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.services import notify, record_event
from gongzhi.partners.models import Mode, Partner, PartnerStatus

from .models import MemberRole, Membership, OrgUnit, TeamBasis, UnitKind

COMMITTEE_NAMES = {
    Mode.THINK_TANK: "社区智库合伙人委员会",
    Mode.PLANNING: "社区规划合伙人委员会",
    Mode.GOVERNANCE: "社区治理合伙人委员会",
    Mode.MEDIA: "社区媒体合伙人委员会",
    Mode.EDUCATION: "社区教育合伙人委员会",
}


@transaction.atomic
def set_up_organisation(*, town, actor) -> OrgUnit:
    """Create the town's secretariat and its five committees, one per work mode.

    Idempotent: what exists is kept. Returns the secretariat.
    """
    require_perm(actor, "organisations.manage_unit", town)
    secretariat, created = OrgUnit.objects.get_or_create(
        town=town, kind=UnitKind.SECRETARIAT, defaults={"name": f"{town.name}社区合伙人秘书处"}
    )
    if created:
        record_event(actor=actor, verb="orgunit.create", target=secretariat)
    for mode in Mode:
        committee, created = OrgUnit.objects.get_or_create(
            town=town,
            kind=UnitKind.COMMITTEE,
            mode=mode,
            defaults={"name": COMMITTEE_NAMES[mode], "parent": secretariat},
        )
        if created:
            record_event(actor=actor, verb="orgunit.create", target=committee)
    return secretariat


def _save_unit(unit: OrgUnit) -> None:
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        raise DomainError(_("A unit with this name already exists in the town.")) from exc


@transaction.atomic
def create_committee(*, town, actor, mode: str, name: str) -> OrgUnit:
    """Committees come one per work mode: a sixth is refused, as is a second per mode."""
    require_perm(actor, "organisations.manage_unit", town)
    if mode not in Mode.values:
        raise DomainError(_("Unknown work mode: %(mode)s.") % {"mode": mode})
    if OrgUnit.objects.filter(town=town, kind=UnitKind.COMMITTEE, mode=mode).exists():
        raise DomainError(
            _("The town already has its committee for this mode; there are exactly five.")
        )
    secretariat = OrgUnit.objects.filter(town=town, kind=UnitKind.SECRETARIAT).first()
    unit = OrgUnit(town=town, kind=UnitKind.COMMITTEE, mode=mode, name=name, parent=secretariat)
    _save_unit(unit)
    record_event(actor=actor, verb="orgunit.create", target=unit)
    return unit


@transaction.atomic
def create_team(
    *,
    town,
    actor,
    name: str,
    basis: str,
    leader: Partner | None = None,
    group_name: str = "",
    parent: OrgUnit | None = None,
    areas=(),
    description: str = "",
) -> OrgUnit:
    """Form a team around a planning leader (a partner, who joins as its leader) or a
    planning group."""
    require_perm(actor, "organisations.create_team", town)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the team a name."))
    if basis == TeamBasis.LEADER:
        if leader is None:
            raise DomainError(_("A team formed around a planning leader needs its leader."))
        if leader.town_id != town.pk or leader.status != PartnerStatus.ACTIVE:
            raise DomainError(_("The leader must be an active partner of this town."))
        group_name = ""
    elif basis == TeamBasis.GROUP:
        group_name = group_name.strip()
        if not group_name:
            raise DomainError(_("A team formed around a planning group needs the group's name."))
        leader = None
    else:
        raise DomainError(_("A team forms around a planning leader or a planning group."))
    areas = list(areas)
    if any(area.town_id != town.pk for area in areas):
        raise DomainError(_("The residential area is not in this town."))
    if parent is not None and parent.town_id != town.pk:
        raise DomainError(_("The parent unit belongs to another town."))
    if parent is None:
        parent = OrgUnit.objects.filter(town=town, kind=UnitKind.SECRETARIAT).first()
    team = OrgUnit(
        town=town,
        kind=UnitKind.TEAM,
        name=name,
        basis=basis,
        leader=leader,
        group_name=group_name,
        parent=parent,
        description=description,
    )
    _save_unit(team)
    team.areas.set(areas)
    record_event(
        actor=actor,
        verb="orgunit.create",
        target=team,
        after={"basis": basis, "leader": leader.pk if leader else None, "group": group_name},
    )
    if leader is not None:
        add_member(unit=team, partner=leader, role=MemberRole.LEADER, actor=actor)
    return team


@transaction.atomic
def add_member(*, unit: OrgUnit, partner: Partner, role: str, actor, start_date=None) -> Membership:
    require_perm(actor, "organisations.manage_members", unit)
    if role not in MemberRole.values:
        raise DomainError(_("Unknown role."))
    if partner.town_id != unit.town_id:
        raise DomainError(_("Only partners of the unit's town can join it."))
    if partner.status != PartnerStatus.ACTIVE:
        raise DomainError(_("Only active partners can join a unit."))
    membership = Membership(
        unit=unit, partner=partner, role=role, start_date=start_date or timezone.localdate()
    )
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise DomainError(
            _("%(name)s is already a member of %(unit)s.")
            % {"name": partner.name, "unit": unit.name}
        ) from exc
    record_event(
        actor=actor,
        verb="membership.start",
        target=membership,
        after={"unit": unit.pk, "partner": partner.pk, "role": role},
        town_id=unit.town_id,
    )
    notify(
        user=partner.user,
        kind="organisations.joined",
        params={"unit": unit.name, "role": membership.role},
        url=unit.get_absolute_url(),
    )
    return membership


@transaction.atomic
def end_membership(*, membership: Membership, actor, end_date=None) -> Membership:
    """End a membership; the row stays as history."""
    require_perm(actor, "organisations.manage_members", membership.unit)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end_date is not None:
        raise DomainError(_("This membership has already ended."))
    end_date = end_date or timezone.localdate()
    if end_date < membership.start_date:
        raise DomainError(_("A membership cannot end before it starts."))
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    record_event(
        actor=actor,
        verb="membership.end",
        target=membership,
        after={"end_date": end_date},
        town_id=membership.unit.town_id,
    )
    return membership
