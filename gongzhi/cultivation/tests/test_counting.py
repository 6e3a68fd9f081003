"""Residential areas served with partner cultivation, counted from the sessions'
check-ins (cultivation/counting.py), and the dashboard figure that shows it."""

from datetime import date

import pytest
from django.utils import timezone

from gongzhi.cultivation.counting import areas_served
from gongzhi.reports.figures import Period, compute
from gongzhi.tests.factories import AreaFactory, PartnerFactory, UserFactory

from .builders import attend, past_activity, programme_with_sessions


@pytest.fixture
def staff(people):
    return people["secretariat"]


def _period(activity):
    day = timezone.localdate(activity.starts_at)
    return Period(date(day.year, 1, 1), date(day.year, 12, 31))


def test_an_area_counts_when_one_of_its_people_attended_a_session(town, area_a, area_b, staff):
    programme = programme_with_sessions(town=town, area=area_a, actor=staff, sessions=1, required=1)
    activity = programme.sessions.get().activity
    period = Period(timezone.localdate(activity.starts_at), timezone.localdate(activity.starts_at))
    assert areas_served(town, period).total == 0
    # A resident of area B at a session held in area A: area B is served.
    attend(activity, UserFactory(residential_area=area_b), staff=staff)
    attend(activity, UserFactory(residential_area=area_b), staff=staff)
    served = areas_served(town, period)
    assert (served.total, served.areas) == (1, {area_b.pk: 2})
    assert areas_served(town, period, area_a).total == 0
    assert areas_served(town, period, area_b).total == 1


def test_a_partner_without_an_area_on_the_account_counts_for_the_partners_area(town, area_a, staff):
    programme = programme_with_sessions(town=town, area=area_a, actor=staff, sessions=1, required=1)
    activity = programme.sessions.get().activity
    partner = PartnerFactory(town=town, area=area_a, user=UserFactory(residential_area=None))
    attend(activity, partner.user, staff=staff)
    assert areas_served(town, _period(activity)).areas == {area_a.pk: 1}


def test_what_does_not_count(town, area_a, staff):
    """A draft programme's session, an activity that is no session, a person without
    an area, and a session outside the period."""
    draft = programme_with_sessions(
        town=town, area=area_a, actor=staff, sessions=1, required=1, status="draft"
    )
    resident = UserFactory(residential_area=area_a)
    attend(draft.sessions.get().activity, resident, staff=staff)
    attend(past_activity(area=area_a), resident, staff=staff)
    programme = programme_with_sessions(
        town=town, area=area_a, actor=staff, sessions=1, required=1, title="第二期"
    )
    session = programme.sessions.get().activity
    attend(session, UserFactory(residential_area=None), staff=staff)
    assert areas_served(town, _period(session)).total == 0
    attend(session, resident, staff=staff)
    assert areas_served(town, _period(session)).total == 1
    day = timezone.localdate(session.starts_at)
    before = Period(date(day.year - 1, 1, 1), date(day.year - 1, 12, 31))
    assert areas_served(town, before).total == 0


def test_the_dashboard_figure_is_this_count_with_its_rule(town, area_a, staff):
    programme = programme_with_sessions(town=town, area=area_a, actor=staff, sessions=1, required=1)
    activity = programme.sessions.get().activity
    for area in (area_a, AreaFactory(town=town)):
        attend(activity, UserFactory(residential_area=area), staff=staff)
    figure = compute(town=town, period=_period(activity))["areas_served"]
    assert figure.value == 2
    assert "cultivation" in str(figure.rule) or "培育" in str(figure.rule)
