"""Who may do what with the reports.

The dashboard and the annual report are public: they show aggregate figures only.
The ledgers bundle holds personal data (names, phones in the rosters), so only the
town's secretariat, the administrator and the town's area staff (who get their own
areas' rows) download it.
"""

import rules

from gongzhi.core.rules import can_manage_town, is_area_staff_in_town_of

# On the town.
rules.add_perm("reports.export_ledgers", can_manage_town | is_area_staff_in_town_of)
