"""The cultivation figure, counted from records: which residential areas were served
with partner cultivation in a period.

The rule: a residential area is served when at least one person of the area checked
in to a session of a cultivation programme (open or closed, not a draft) whose
activity started in the period. A person's area is their account's residential
area or, for a community partner whose account names none, the partner's area in
the programme's town. Labels and rules in words are the reports' (reports/figures.py).
"""

from dataclasses import dataclass

from django.db.models import BigIntegerField, Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from gongzhi.core.counting import Span, grouped
from gongzhi.events.models import ActivityStatus, Attendance
from gongzhi.partners.models import Partner

from .models import ProgrammeStatus


def session_attendances():
    """Check-ins at sessions of programmes that are open or closed, each with the
    attendee's residential area as ``home`` (see the module's docstring)."""
    partner_area = (
        Partner.objects.filter(user=OuterRef("user"), town=OuterRef("activity__town"))
        .order_by("pk")
        .values("area")[:1]
    )
    return Attendance.objects.filter(
        activity__status=ActivityStatus.PUBLISHED,
        activity__cultivation_session__programme__status__in=[
            ProgrammeStatus.OPEN,
            ProgrammeStatus.CLOSED,
        ],
    ).annotate(
        home=Coalesce(
            "user__residential_area", Subquery(partner_area), output_field=BigIntegerField()
        )
    )


@dataclass(frozen=True)
class Served:
    # {area pk: distinct people of the area who attended a session}
    areas: dict

    @property
    def total(self) -> int:
        """Residential areas served: those with at least one person trained."""
        return sum(1 for pk, n in self.areas.items() if pk is not None and n)


def areas_served(town, period: Span, area=None) -> Served:
    """The areas of ``town`` (or only ``area``) served with partner cultivation in
    ``period`` and how many people of each attended a session. One query."""
    attendances = session_attendances().filter(
        activity__town=town,
        activity__starts_at__gte=period.first_moment,
        activity__starts_at__lt=period.after_moment,
    )
    if area is not None:
        attendances = attendances.filter(home=area.pk)
    rows = grouped(attendances, F("home"), n=Count("user", distinct=True))
    return Served(areas={key: row["n"] for key, row in rows.items()})
