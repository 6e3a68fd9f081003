"""Who may record a resident's paper form, and who may read what was recorded.

Only the staff of the resident's own residential area record from paper: they know the
resident, and the paper came to their office. The objects checked are residential
areas (the resident's)."""

import rules

from gongzhi.core.rules import (
    is_administrator,
    is_area_staff_for,
    is_area_staff_in_town_of,
    is_secretariat_for,
)

# Record an input from paper for a resident of this area.
rules.add_perm("paper.record", is_area_staff_for)
# Open the paper desk and print the paper forms of a town's surveys and plans (staff of
# an area of the town; the desk lists their own areas).
rules.add_perm("paper.use_desk", is_area_staff_in_town_of)
# Read the photo of a paper form recorded for a resident of this area.
rules.add_perm("paper.view_photo", is_administrator | is_secretariat_for | is_area_staff_for)
