import rules

from gongzhi.core.rules import can_manage, can_manage_town, is_area_staff_in_town_of

# A survey is run by the staff of its residential area, the town's secretariat and
# the administrator; a town-wide survey (no area) by the secretariat. Who may create
# one in a given area is checked again on the chosen area (see views.create_survey).
rules.add_perm("surveys.manage_survey", can_manage)
rules.add_perm("surveys.create_survey", can_manage_town | is_area_staff_in_town_of)


@rules.predicate
def is_public(user, survey):
    """Opened once: an open survey is answered, a closed one still shows its page."""
    return survey is not None and survey.status != "draft"


# A draft is seen only by those who build it.
rules.add_perm("surveys.view_survey", is_public | can_manage)
