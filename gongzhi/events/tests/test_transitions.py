"""The activity's workflow is one table beside its status (ACTIVITY_TRANSITIONS),
read by the service that publishes and by the page that offers the button."""

import pytest

from gongzhi.core.errors import DomainError
from gongzhi.events.models import ACTIVITY_TRANSITIONS, ActivityStatus
from gongzhi.events.services import publish_activity
from gongzhi.tests.factories import ActivityFactory


def test_the_table_covers_every_status():
    assert set(ACTIVITY_TRANSITIONS) == set(ActivityStatus.values)
    for targets in ACTIVITY_TRANSITIONS.values():
        assert targets <= set(ActivityStatus.values)


@pytest.mark.parametrize(
    ("status", "may_publish"),
    [
        (ActivityStatus.DRAFT, True),
        (ActivityStatus.PUBLISHED, False),
        (ActivityStatus.CANCELLED, False),
    ],
)
def test_only_what_the_table_allows_is_published(db, people, area_a, status, may_publish):
    activity = ActivityFactory(area=area_a, status=status)
    assert activity.can_publish is may_publish
    if may_publish:
        publish_activity(activity=activity, actor=people["area_staff"])
        activity.refresh_from_db()
        assert activity.status == ActivityStatus.PUBLISHED
    else:
        with pytest.raises(DomainError):
            publish_activity(activity=activity, actor=people["area_staff"])
        activity.refresh_from_db()
        assert activity.status == status
