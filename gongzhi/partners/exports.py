"""The talent pool's part of a person's data export."""

from gongzhi.accounts.exports import register_export_section

from .models import Application, Partner


def applications(user):
    return [
        {
            "town": a.town.name,
            "channel": a.channel,
            "status": a.status,
            "name": a.name,
            "area": a.area.name,
            "profession": a.profession,
            "skills": [s.name for s in a.skills.all()],
            "modes_wanted": a.modes_wanted,
            "party_status": a.party_status,
            "availability": a.availability,
            "motivation": a.motivation,
            "decision_note": a.decision_note,
            "submitted_at": a.created_at.isoformat(),
        }
        for a in Application.objects.filter(applicant=user)
        .select_related("town", "area")
        .prefetch_related("skills")
    ]


def partner_profiles(user):
    return [
        {
            "town": p.town.name,
            "name": p.name,
            "area": p.area.name,
            "profession": p.profession,
            "skills": [s.name for s in p.skills.all()],
            "modes": [m.mode for m in p.modes.all()],
            "party_status": p.party_status,
            "availability": p.availability,
            "status": p.status,
            "joined_on": p.joined_on.isoformat(),
        }
        for p in Partner.objects.filter(user=user)
        .select_related("town", "area")
        .prefetch_related("skills", "modes")
    ]


register_export_section("partner_applications", applications)
register_export_section("partner_profiles", partner_profiles)
