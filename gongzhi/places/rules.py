import rules

from gongzhi.core.rules import can_manage, can_manage_town, is_administrator

# Area pages are public; the list of registered residents (with contact details)
# belongs to the staff who serve the area, its town's secretariat and the administrator.
rules.add_perm("places.view_area_residents", can_manage)
rules.add_perm("places.manage_town", can_manage_town)
# Taking a role away (granting one is part of enrolling a partner, or the admin's).
rules.add_perm("places.manage_roles", is_administrator)
