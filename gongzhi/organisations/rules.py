import rules

from gongzhi.core.rules import can_manage_town, is_administrator, is_secretariat_for

# The organisation belongs to the town's secretariat; everyone may look at it.
can_manage_units = is_administrator | is_secretariat_for

rules.add_perm("organisations.manage_unit", can_manage_units)
rules.add_perm("organisations.create_team", can_manage_town)


@rules.predicate
def is_area_staff_of_team(user, unit):
    """Area staff manage the teams tied to one of their residential areas."""
    from gongzhi.core.scope import user_scope

    staff_areas = user_scope(user).staff_areas
    if unit is None or unit.kind != "team" or not staff_areas:
        return False
    return unit.areas.filter(pk__in=staff_areas).exists()


rules.add_perm("organisations.manage_members", can_manage_units | is_area_staff_of_team)
