"""Creating programmes and linking sessions: each refusal says why and stores nothing."""

import pytest
from django.utils import translation

from gongzhi.core.errors import DomainError
from gongzhi.core.testing import database_snapshot, snapshot_changes
from gongzhi.cultivation import services
from gongzhi.cultivation.models import Programme, ProgrammeStatus, Session
from gongzhi.tests.factories import ActivityFactory, AreaFactory

from .builders import past_activity, programme_with_sessions


@pytest.fixture
def staff(people):
    return people["secretariat"]


@pytest.fixture
def draft(town, staff):
    return services.create_programme(
        town=town, actor=staff, title="参与式规划培训", sessions_required=2
    )


def refused(call, message_part):
    before = database_snapshot()
    with translation.override("en"), pytest.raises(DomainError) as error:
        call()
    assert message_part in error.value.message
    assert snapshot_changes(before, database_snapshot()) == []


def test_a_programme_is_created_as_a_draft(draft):
    assert draft.status == ProgrammeStatus.DRAFT
    assert draft.sessions_required == 2


@pytest.mark.parametrize(
    ("title", "required", "message"),
    [("", 2, "cannot be empty"), ("课" * 101, 2, "too long"), ("培训", 0, "from 1 to"),
     ("培训", 51, "from 1 to")],
)  # fmt: skip
def test_a_programme_without_a_title_or_with_a_bad_rule_is_refused(
    town, staff, title, required, message
):
    refused(
        lambda: services.create_programme(
            town=town, actor=staff, title=title, sessions_required=required
        ),
        message,
    )


def test_sessions_are_linked_in_order(draft, area_a, staff):
    first = services.add_session(programme=draft, activity=past_activity(area=area_a), actor=staff)
    second = services.add_session(programme=draft, activity=past_activity(area=area_a), actor=staff)
    assert (first.order, second.order) == (1, 2)


def test_an_activity_of_another_town_is_refused(draft, other_town, staff):
    elsewhere = ActivityFactory(area=AreaFactory(town=other_town))
    refused(
        lambda: services.add_session(programme=draft, activity=elsewhere, actor=staff),
        "another town",
    )


def test_a_draft_activity_is_refused(draft, area_a, staff):
    activity = ActivityFactory(area=area_a, status="draft")
    refused(lambda: services.add_session(programme=draft, activity=activity, actor=staff), "draft")


def test_a_cancelled_activity_is_refused(draft, area_a, staff):
    activity = ActivityFactory(area=area_a, status="cancelled")
    refused(
        lambda: services.add_session(programme=draft, activity=activity, actor=staff), "cancelled"
    )


def test_an_activity_already_linked_is_refused_here_and_in_another_programme(
    draft, town, area_a, staff
):
    activity = past_activity(area=area_a)
    services.add_session(programme=draft, activity=activity, actor=staff)
    other = services.create_programme(town=town, actor=staff, title="第二期", sessions_required=1)
    for programme in (draft, other):
        refused(
            lambda programme=programme: services.add_session(
                programme=programme, activity=activity, actor=staff
            ),
            "already a session",
        )
    assert Session.objects.filter(activity=activity).count() == 1


def test_a_closed_programme_takes_no_more_sessions(town, area_a, staff):
    programme = programme_with_sessions(
        town=town, area=area_a, actor=staff, sessions=1, required=1, status="closed"
    )
    activity = past_activity(area=area_a)
    refused(
        lambda: services.add_session(programme=programme, activity=activity, actor=staff),
        "closed",
    )


def test_a_programme_opens_only_with_enough_sessions(draft, area_a, staff):
    services.add_session(programme=draft, activity=past_activity(area=area_a), actor=staff)
    refused(lambda: services.open_programme(programme=draft, actor=staff), "at least 2")
    services.add_session(programme=draft, activity=past_activity(area=area_a), actor=staff)
    assert services.open_programme(programme=draft, actor=staff).status == "open"


def test_the_workflow_goes_one_way(town, area_a, staff):
    programme = programme_with_sessions(
        town=town, area=area_a, actor=staff, sessions=1, required=1, status="closed"
    )
    refused(lambda: services.open_programme(programme=programme, actor=staff), "cannot become")
    refused(lambda: services.close_programme(programme=programme, actor=staff), "cannot become")
    draft = services.create_programme(town=town, actor=staff, title="草稿", sessions_required=1)
    refused(lambda: services.close_programme(programme=draft, actor=staff), "cannot become")
    assert Programme.objects.get(pk=draft.pk).status == "draft"
