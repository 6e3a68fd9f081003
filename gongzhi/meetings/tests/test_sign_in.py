"""Self sign-in at a meeting: only from two hours before the start until its end."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from gongzhi.core.errors import DomainError
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    Attendee,
)

from .builders import make_meeting

# --- 1. Self sign-in only from two hours before the start until the end --------------


@translation.override("en")
def test_self_sign_in_is_refused_after_the_meeting_ended(town, area_a, staff, people):
    now = timezone.now()
    ended = make_meeting(
        town=town,
        area=area_a,
        actor=staff,
        starts_at=now - timedelta(days=2, hours=2),
        ends_at=now - timedelta(days=2),
    )
    resident = people["resident"]
    services.invite(meeting=ended, actor=staff, name="李居民", user=resident)
    assert not services.self_sign_in_open(ended, now)
    with pytest.raises(DomainError, match="The meeting is over"):
        services.sign_in_self(meeting=ended, user=resident)
    assert not Attendee.objects.get(user=resident).present
    # staff may still record it afterwards
    attendee = Attendee.objects.get(user=resident)
    assert services.sign_in(meeting=ended, actor=staff, attendee=attendee).present


def test_self_sign_in_window_bounds(meeting):
    start, end = meeting.starts_at, meeting.ends_at
    assert not services.self_sign_in_open(meeting, start - timedelta(hours=2, seconds=1))
    assert services.self_sign_in_open(meeting, start - timedelta(hours=2))
    assert services.self_sign_in_open(meeting, end)
    assert not services.self_sign_in_open(meeting, end + timedelta(seconds=1))
