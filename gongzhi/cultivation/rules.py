"""Who may do what with partner cultivation.

Programmes are the town's: its secretariat (and the administrator) create them, link
their sessions and open and close them. Open and closed programmes are public; a
draft only for those who manage it. An area's cultivation record names people, so
it is for the area's staff, the town's secretariat and the administrator.
"""

import rules

from gongzhi.core.rules import can_manage, can_manage_town


@rules.predicate
def is_public(user, programme):
    return programme is not None and programme.status != "draft"


rules.add_perm("cultivation.manage_programme", can_manage_town)
rules.add_perm("cultivation.view_programme", is_public | can_manage_town)
# On a residential area: the names of the people trained there.
rules.add_perm("cultivation.view_area_record", can_manage)
