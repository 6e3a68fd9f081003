import rules

from gongzhi.core.rules import (
    can_manage,
    can_manage_town,
    can_take_part,
    is_area_staff_in_town_of,
)

# Proposals are public; any signed-in resident submits, supports and comments (the
# views require log-in). Staff of the proposal's area and the town's secretariat
# review it, reply officially and moderate its comments.
rules.add_perm("proposals.manage", can_manage)
# Submitting, supporting, commenting and reporting a comment.
rules.add_perm("proposals.take_part", can_take_part)
# The town's moderation queue and ledger: the secretariat sees every area, area
# staff see their own areas' proposals (the view narrows the list).
rules.add_perm("proposals.moderate_town", can_manage_town | is_area_staff_in_town_of)
rules.add_perm("proposals.export_ledger", can_manage_town | is_area_staff_in_town_of)
# The town's rules for proposals (support threshold, authors' own support).
rules.add_perm("proposals.configure", can_manage_town)
