"""What proposals add to the pages of the apps below it: the partner's service record
on their profile (their proposals), without partners importing proposals."""

from gongzhi.partners.profile import register_profile_section

from .models import Proposal

PROFILE_LIMIT = 10


def partner_proposals(partner):
    proposals = (
        Proposal.objects.filter(author_id=partner.user_id, town_id=partner.town_id)
        .select_related("town", "area")
        .order_by("-created_at")
    )
    return {"proposals": proposals[:PROFILE_LIMIT], "proposal_total": proposals.count()}


register_profile_section(
    key="proposals",
    order=30,
    template="proposals/_partner_section.html",
    context=partner_proposals,
)
