"""Participation figures, counted from records (DOMAIN.md "Attendance").

person_times (人次): attendance records + walk-in head counts.
people (人数): distinct named persons who attended.
"""

from dataclasses import dataclass

from django.db.models import Count, Sum

from .models import Attendance, WalkInCount


@dataclass(frozen=True)
class Participation:
    person_times: int
    people: int
    named_attendances: int
    walk_ins: int


def participation(activities) -> Participation:
    """Figures over a queryset of activities (one, an area's, a period's ...)."""
    named = Attendance.objects.filter(activity__in=activities).aggregate(
        n=Count("pk"), people=Count("user", distinct=True)
    )
    walk_ins = (
        WalkInCount.objects.filter(activity__in=activities).aggregate(n=Sum("count"))["n"] or 0
    )
    return Participation(
        person_times=named["n"] + walk_ins,
        people=named["people"],
        named_attendances=named["n"],
        walk_ins=walk_ins,
    )
