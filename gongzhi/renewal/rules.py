"""Who may do what with a micro-renewal project.

Projects are public (residents follow what is built in their area). Staff of the
project's residential area, the town's secretariat and the administrator manage it;
the project's own partners also record milestone progress and photos. Spending
beyond the budget needs an approval that only the town records.
"""

import rules

from gongzhi.core.rules import can_manage, can_manage_town, is_area_staff_in_town_of


@rules.predicate
def is_project_partner(user, project):
    """One of the project's partners (designers, volunteers on site) whose
    partnership is active: a paused partner, or one who left, no longer records
    progress or photos, though they stay listed on the project."""
    if project is None or not getattr(user, "is_authenticated", False) or not project.pk:
        return False
    cache = user.__dict__.setdefault("_gongzhi_project_partner", {})
    if project.pk not in cache:
        cache[project.pk] = project.partners.active().filter(user=user).exists()
    return cache[project.pk]


rules.add_perm("renewal.manage", can_manage)
rules.add_perm("renewal.contribute", can_manage | is_project_partner)
rules.add_perm("renewal.approve_budget", can_manage_town)
# On the town: start a project (the chosen area is checked again in the service),
# and download the project ledger (area staff get their own areas' rows).
rules.add_perm("renewal.create", can_manage_town | is_area_staff_in_town_of)
rules.add_perm("renewal.export_ledger", can_manage_town | is_area_staff_in_town_of)
