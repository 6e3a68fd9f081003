"""The proposals capability's part of a person's data export."""

from gongzhi.accounts.exports import register_export_section

from .models import Comment, Proposal, Support


def proposals(user):
    return [
        {
            "title": p.title,
            "description": p.description,
            "area": p.area.name,
            "category": p.category,
            "status": p.status,
            "submitted_at": p.created_at.isoformat(),
        }
        for p in Proposal.objects.filter(author=user).select_related("area")
    ]


def supports(user):
    return [
        {
            "proposal": s.proposal.title,
            "supported_at": s.created_at.isoformat(),
            "withdrawn_at": s.withdrawn_at.isoformat() if s.withdrawn_at else None,
        }
        for s in Support.objects.filter(user=user).select_related("proposal")
    ]


def comments(user):
    return [
        {
            "proposal": c.proposal.title,
            "comment": c.body,
            "written_at": c.created_at.isoformat(),
            "hidden_reason": c.hidden_reason,
        }
        for c in Comment.objects.filter(author=user).select_related("proposal")
    ]


register_export_section("proposals", proposals)
register_export_section("proposal_supports", supports)
register_export_section("proposal_comments", comments)
