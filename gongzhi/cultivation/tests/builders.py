"""Builders for the cultivation tests: past activities, a programme with its sessions,
and check-ins through the events service (never typed-in attendance)."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.cultivation import services
from gongzhi.events.services import check_in
from gongzhi.tests.factories import ActivityFactory


def past_activity(*, area, days_ago=10, **fields):
    """A published activity of ``area`` held ``days_ago`` days ago, two hours long."""
    starts = timezone.now().replace(microsecond=0) - timedelta(days=days_ago)
    return ActivityFactory(
        area=area, starts_at=starts, ends_at=starts + timedelta(hours=2), **fields
    )


def programme_with_sessions(
    *, town, area, actor, sessions=3, required=2, status="open", title="参与式规划培训"
):
    """A programme of ``town`` with ``sessions`` past activities of ``area`` linked,
    opened (and closed) as ``status`` asks."""
    programme = services.create_programme(
        town=town, actor=actor, title=title, sessions_required=required
    )
    for n in range(sessions):
        services.add_session(
            programme=programme,
            activity=past_activity(area=area, days_ago=30 - n, kind="salon"),
            actor=actor,
        )
    if status in ("open", "closed"):
        services.open_programme(programme=programme, actor=actor)
    if status == "closed":
        services.close_programme(programme=programme, actor=actor)
    programme.refresh_from_db()
    return programme


def attend(activity, user, *, staff):
    """``user`` checked in from the roster by ``staff`` while the activity ran."""
    attendance, _created = check_in(
        activity=activity,
        user=user,
        method="roster",
        recorded_by=staff,
        at=activity.starts_at + timedelta(minutes=5),
    )
    return attendance


def attend_sessions(programme, user, count, *, staff):
    for session in programme.sessions.select_related("activity").order_by("order")[:count]:
        attend(session.activity, user, staff=staff)
