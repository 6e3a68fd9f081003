"""Participation's part of a person's data export."""

from gongzhi.accounts.exports import register_export_section

from .models import Attendance, HoursClaim, Registration


def registrations(user):
    return [
        {"activity": r.activity.title, "status": r.status, "at": r.created_at.isoformat()}
        for r in Registration.objects.filter(user=user).select_related("activity")
    ]


def attendances(user):
    return [
        {
            "activity": a.activity.title,
            "method": a.method,
            "checked_in_at": a.checked_in_at.isoformat(),
            "checked_out_at": a.checked_out_at.isoformat() if a.checked_out_at else None,
        }
        for a in Attendance.objects.filter(user=user).select_related("activity")
    ]


def hours_claims(user):
    return [
        {"activity": c.activity.title, "minutes": c.minutes, "reason": c.reason, "status": c.status}
        for c in HoursClaim.objects.filter(user=user).select_related("activity")
    ]


register_export_section("activity_registrations", registrations)
register_export_section("activity_attendances", attendances)
register_export_section("volunteer_hours_claims", hours_claims)
