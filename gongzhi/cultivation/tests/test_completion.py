"""The completion rule: at least N of the programme's sessions attended, counted from
the check-ins; and the certificate, refused with the reason until then."""

import pytest
from django.utils import translation

from gongzhi.core.testing import database_snapshot, snapshot_changes
from gongzhi.cultivation import queries
from gongzhi.tests.factories import UserFactory

from .builders import attend, attend_sessions, past_activity, programme_with_sessions


@pytest.fixture
def staff(people):
    return people["secretariat"]


@pytest.fixture
def programme(town, area_a, staff):
    return programme_with_sessions(town=town, area=area_a, actor=staff, sessions=3, required=2)


@pytest.mark.parametrize(("attended", "completed"), [(0, False), (1, False), (2, True), (3, True)])
def test_completed_at_exactly_n_sessions(programme, staff, attended, completed):
    person = UserFactory()
    attend_sessions(programme, person, attended, staff=staff)
    progress = queries.progress(programme, person)
    assert (progress.count, progress.completed) == (attended, completed)


def test_completed_on_is_the_day_of_the_nth_session(programme, staff):
    person = UserFactory()
    attend_sessions(programme, person, 3, staff=staff)
    second = programme.sessions.get(order=2).activity
    assert queries.progress(programme, person).completed_on == second.starts_at


def test_a_second_check_in_counts_once(programme, staff):
    person = UserFactory()
    first = programme.sessions.get(order=1).activity
    attend(first, person, staff=staff)
    attend(first, person, staff=staff)
    assert queries.progress(programme, person).count == 1


def test_attending_other_activities_does_not_count(programme, area_a, staff):
    person = UserFactory()
    attend(programme.sessions.get(order=1).activity, person, staff=staff)
    attend(past_activity(area=area_a), person, staff=staff)
    assert not queries.progress(programme, person).completed


def test_a_draft_programme_is_never_completed(town, area_a, staff):
    draft = programme_with_sessions(
        town=town, area=area_a, actor=staff, sessions=1, required=1, status="draft"
    )
    person = UserFactory()
    attend_sessions(draft, person, 1, staff=staff)
    assert not queries.progress(draft, person).completed
    with translation.override("en"), pytest.raises(queries.NotCompleted, match="not opened"):
        queries.certificate(draft, person)


def test_a_closed_programme_keeps_its_completions(town, area_a, staff):
    closed = programme_with_sessions(
        town=town, area=area_a, actor=staff, sessions=1, required=1, status="draft"
    )
    person = UserFactory()
    attend_sessions(closed, person, 1, staff=staff)
    from gongzhi.cultivation import services

    services.open_programme(programme=closed, actor=staff)
    services.close_programme(programme=closed, actor=staff)
    closed.refresh_from_db()
    assert queries.certificate(closed, person).completed


def test_the_certificate_is_refused_with_the_count_and_nothing_stored(programme, staff):
    person = UserFactory()
    attend_sessions(programme, person, 1, staff=staff)
    before = database_snapshot()
    with translation.override("en"), pytest.raises(queries.NotCompleted) as error:
        queries.certificate(programme, person)
    assert "at least 2" in error.value.message and "attended 1" in error.value.message
    assert snapshot_changes(before, database_snapshot()) == []
