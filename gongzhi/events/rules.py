import rules

from gongzhi.core.rules import (
    can_manage,
    can_manage_town,
    can_take_part,
    is_area_staff_in_town_of,
)

# Activities are run by the staff of their area, the town's secretariat and the
# administrator; town-wide activities (no area) by the secretariat.
rules.add_perm("events.manage_activity", can_manage)
rules.add_perm("events.create_activity", can_manage_town | is_area_staff_in_town_of)
# Residents sign up, cancel and check in with the code for themselves.
rules.add_perm("events.take_part", can_take_part)


@rules.predicate
def is_published(user, activity):
    return activity is not None and activity.status == "published"


# A published activity's pages (its World Café, its market) are public; a draft's
# only for those who manage it.
rules.add_perm("events.view_activity", is_published | can_manage)
