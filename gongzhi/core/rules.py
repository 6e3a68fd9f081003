"""Base predicates every app combines in its own rules.py."""

import rules

from .scope import scope_of, user_scope


@rules.predicate
def is_administrator(user):
    return user_scope(user).is_administrator


@rules.predicate
def is_secretariat(user):
    """Secretariat of at least one town."""
    return bool(user_scope(user).secretariat_towns)


@rules.predicate
def is_any_staff(user):
    scope = user_scope(user)
    return bool(scope.secretariat_towns or scope.staff_areas or scope.is_administrator)


@rules.predicate
def is_secretariat_for(user, obj):
    """Secretariat of the town the object belongs to."""
    scope = scope_of(obj)
    return bool(scope and scope.town_id in user_scope(user).secretariat_towns)


@rules.predicate
def is_area_staff_for(user, obj):
    """Staff of the residential area the object belongs to (never a whole town)."""
    scope = scope_of(obj)
    return bool(scope and scope.area_id and scope.area_id in user_scope(user).staff_areas)


@rules.predicate
def is_area_staff_in_town_of(user, obj):
    """Staff of some residential area in the object's town (for town-wide lists that
    they then see filtered to their areas)."""
    scope = scope_of(obj)
    return bool(scope and scope.town_id in user_scope(user).staff_towns)


@rules.predicate
def is_partner_in_town_of(user, obj):
    scope = scope_of(obj)
    return bool(scope and scope.town_id in user_scope(user).partner_towns)


# Who may manage an object: the deployment's administrator, its town's secretariat,
# or the staff of its residential area.
can_manage = is_administrator | is_secretariat_for | is_area_staff_for
can_manage_town = is_administrator | is_secretariat_for
# Taking part as oneself (signing up, supporting, commenting, signing in): any
# signed-in, active account; whether the object's state allows it is the service's to say.
can_take_part = rules.is_authenticated & rules.is_active

rules.add_perm("core.view_audit", is_administrator | is_secretariat_for)

# The SMS ledger: every staff member, each seeing the messages of their scope (the
# secretariat its towns, area staff the people of their areas). The demo outbox
# (what the console backend "sent", codes included) is the administrator's alone.
rules.add_perm("core.view_sms_ledger", is_any_staff)
rules.add_perm("core.view_sms_outbox", is_administrator)
