"""Who may do what in the planning loop: the transition table.

``TRANSITIONS`` names, for each transition of a process, the predicate a user must
satisfy; the services check the state and the evidence, the views check these.
tests/test_transitions.py walks every step × evidence present/missing × role.
"""

import rules

from gongzhi.core.rules import (
    can_manage,
    can_manage_town,
    can_take_part,
    is_area_staff_in_town_of,
)


@rules.predicate
def is_public_process(user, process):
    return bool(process is not None and process.status != "draft")


@rules.predicate
def is_process_partner(user, process):
    """The process's lead partner, or a current member of its responsible team."""
    if process is None or not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_gongzhi_process_partner", {})
    if process.pk not in cache:
        partner = getattr(process, "lead_partner", None)
        cache[process.pk] = bool(
            (partner is not None and partner.user_id == user.pk)
            or (
                process.team_id
                and process.team.memberships.current().filter(partner__user=user).exists()
            )
        )
    return cache[process.pk]


TRANSITIONS = {
    # Close the open step when its evidence exists (and open the next).
    "advance": can_manage,
    # Send the plan back, reading a joint meeting's decision to return.
    "return_by_meeting": can_manage,
    # Send the plan back on the secretariat's own authority, with a reason.
    "return_by_secretariat": can_manage_town,
    # Stop the process for good, with a reason.
    "abandon": can_manage_town,
}
for name, predicate in TRANSITIONS.items():
    rules.add_perm(f"planning.{name}", predicate)

rules.add_perm("planning.view", is_public_process | can_manage)
# Residents follow a plan they can see and, while a step asks for it, comment on its
# drafts, place dots, comment in the consultation and object to the notice.
rules.add_perm("planning.take_part", can_take_part & (is_public_process | can_manage))
# Gather evidence: staff of the area and the secretariat, and the plan's own
# partners (lead partner, team members) who interview, survey and draft.
rules.add_perm("planning.contribute", can_manage | is_process_partner)
# Start processes (one area, or a batch) and watch the progress board.
rules.add_perm("planning.start", can_manage_town)
rules.add_perm("planning.board", can_manage_town | is_area_staff_in_town_of)
# Templates and the holiday list are the administrator's.
rules.add_perm("planning.templates", rules.is_superuser)
