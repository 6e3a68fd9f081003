"""The transitions tables beside the statuses: complete, and the services refuse the
moves they do not allow (with the reason the state gives)."""

import pytest

from gongzhi.core.errors import DomainError
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    MEETING_TRANSITIONS,
    MOTION_TRANSITIONS,
    Meeting,
    MeetingStatus,
    Motion,
    MotionStatus,
)


def test_every_status_has_a_row():
    assert set(MEETING_TRANSITIONS) == set(MeetingStatus.values)
    assert set(MOTION_TRANSITIONS) == set(MotionStatus.values)
    for table in (MEETING_TRANSITIONS, MOTION_TRANSITIONS):
        assert all(targets <= set(table) for targets in table.values())


@pytest.mark.parametrize("status", MeetingStatus.values)
def test_a_refused_meeting_move_says_why(status):
    """Every move the table refuses is refused with a DomainError, never the guard."""
    meeting = Meeting(status=status)
    for to in set(MeetingStatus.values) - {status}:
        if to in MEETING_TRANSITIONS[status]:
            services._check_meeting_move(meeting, to)
        else:
            with pytest.raises(DomainError):
                services._check_meeting_move(meeting, to)


@pytest.mark.parametrize("status", MotionStatus.values)
def test_a_refused_motion_move_is_a_domain_error(status):
    motion = Motion(status=status)
    for to in MotionStatus.values:
        if to in MOTION_TRANSITIONS[status]:
            services._check_motion_move(motion, to, "no")
        else:
            with pytest.raises(DomainError):
                services._check_motion_move(motion, to, "no")
