import rules

from gongzhi.core.rules import (
    can_manage,
    can_manage_town,
    can_take_part,
    is_area_staff_in_town_of,
)


@rules.predicate
def is_public_meeting(user, meeting):
    return bool(meeting is not None and meeting.status != "cancelled")


# Meetings are public records (agenda, attendance counts, decisions, approved minutes
# with names masked). The area's staff and the town's secretariat run them: agenda,
# invitees, sign-in, motions, votes, minutes and action items.
rules.add_perm("meetings.view", is_public_meeting | can_manage)
rules.add_perm("meetings.manage", can_manage)
# An invited resident signs themself in (the invitation is the service's to check).
rules.add_perm("meetings.take_part", can_take_part)
# Creating a meeting and the town's meeting ledger: secretariat for every area, area
# staff for their own (the form and the ledger are narrowed to them).
rules.add_perm("meetings.create", can_manage_town | is_area_staff_in_town_of)
rules.add_perm("meetings.export_ledger", can_manage_town | is_area_staff_in_town_of)
