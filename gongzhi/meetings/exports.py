"""The meetings capability's part of a person's data export."""

from gongzhi.accounts.exports import register_export_section

from .models import Attendee


def attendances(user):
    return [
        {
            "meeting": a.meeting.title,
            "date": a.meeting.starts_at.isoformat(),
            "party": a.party,
            "present": a.present,
            "votes": [
                {"motion": v.motion.text, "vote": v.choice}
                for v in a.votes.select_related("motion")
            ],
        }
        for a in Attendee.objects.filter(user=user).select_related("meeting")
    ]


register_export_section("meeting_attendances", attendances)
