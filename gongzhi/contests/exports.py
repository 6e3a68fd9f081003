"""The design contest's part of a person's data export."""

from gongzhi.accounts.exports import register_export_section

from .models import Entry, PublicVote


def entries(user):
    return [
        {
            "contest": e.contest.title,
            "team": e.team_name,
            "members": e.members,
            "title": e.title,
            "status": e.status,
            "submitted_at": e.created_at.isoformat(),
        }
        for e in Entry.objects.filter(submitted_by=user).select_related("contest")
    ]


def votes(user):
    return [
        {"contest": v.contest.title, "entry": v.entry.title, "cast_at": v.cast_at.isoformat()}
        for v in PublicVote.objects.filter(user=user).select_related("contest", "entry")
    ]


register_export_section("contest_entries", entries)
register_export_section("contest_votes", votes)
