import rules

from gongzhi.core.rules import can_manage, can_manage_town, is_area_staff_in_town_of

# Activities are run by the staff of their area, the town's secretariat and the
# administrator; town-wide activities (no area) by the secretariat.
rules.add_perm("events.manage_activity", can_manage)
rules.add_perm("events.create_activity", can_manage_town | is_area_staff_in_town_of)
