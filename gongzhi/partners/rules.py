import rules

from gongzhi.core.rules import (
    can_manage,
    is_administrator,
    is_area_staff_in_town_of,
    is_partner_in_town_of,
    is_secretariat_for,
)


@rules.predicate
def is_self(user, partner):
    return bool(partner is not None and partner.user_id == user.pk)


@rules.predicate
def is_applicant(user, application):
    return bool(application is not None and application.applicant_id == user.pk)


town_staff = is_administrator | is_secretariat_for

# The applicant answers the secretariat's request for more information.
rules.add_perm("partners.answer_application", is_applicant)

# Applications are reviewed by the town's secretariat.
rules.add_perm("partners.review", town_staff)
# A partner keeps their own profile; the secretariat may correct it and manage status.
rules.add_perm("partners.edit_profile", is_self | town_staff)
rules.add_perm("partners.manage", town_staff)
rules.add_perm("partners.import", town_staff)
# A partner's full contact: the secretariat, the staff of the partner's area, the
# partner themself. Everyone else sees it masked.
rules.add_perm("partners.view_contact", can_manage | is_self)
# Area staff, partners and the secretariat recommend residents of an area (the object).
rules.add_perm("partners.recommend", can_manage | is_partner_in_town_of)
rules.add_perm(
    "partners.recommend_in_town",
    town_staff | is_area_staff_in_town_of | is_partner_in_town_of,
)
# Staff who assign people use matching and keep the roster ledger (town object);
# area staff get the rows of their own areas.
rules.add_perm("partners.match", town_staff | is_area_staff_in_town_of)
rules.add_perm("partners.export_roster", town_staff | is_area_staff_in_town_of)
rules.add_perm("partners.see_recommendations", town_staff | is_area_staff_in_town_of)
