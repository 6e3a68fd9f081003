"""Counting the days of a notice: calendar days, or working days that skip weekends
and the holiday list, with 调休 weekend days worked instead."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.planning.calendar import days_between, is_working_day, last_day
from gongzhi.planning.evidence_services import notice_last_day
from gongzhi.planning.models import Holiday

MONDAY = date(2030, 9, 2)
SATURDAY = date(2030, 9, 7)


def test_calendar_days_count_every_day():
    assert last_day(MONDAY, 7, working=False) == date(2030, 9, 8)
    assert last_day(SATURDAY, 1, working=False) == SATURDAY


def test_working_days_skip_weekends():
    assert last_day(MONDAY, 5, working=True) == date(2030, 9, 6)
    assert last_day(MONDAY, 7, working=True) == date(2030, 9, 10)


def test_a_period_posted_on_a_weekend_starts_counting_on_monday():
    assert last_day(SATURDAY, 1, working=True) == date(2030, 9, 9)
    assert last_day(date(2030, 9, 8), 5, working=True) == date(2030, 9, 13)


def test_holidays_are_skipped_and_workdays_counted():
    holidays = {date(2030, 9, 3), date(2030, 9, 4)}
    assert last_day(MONDAY, 3, working=True, holidays=holidays) == date(2030, 9, 6)
    assert last_day(
        MONDAY, 6, working=True, holidays=holidays, workdays=frozenset({SATURDAY})
    ) == date(2030, 9, 10)
    assert is_working_day(SATURDAY, set(), frozenset({SATURDAY}))
    assert not is_working_day(date(2030, 9, 3), holidays)


def test_a_period_lasts_at_least_one_day():
    with pytest.raises(ValueError):
        last_day(MONDAY, 0, working=True)


def test_days_between():
    assert days_between(MONDAY, date(2030, 9, 9)) == 7


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31)),
    days=st.integers(min_value=1, max_value=60),
)
def test_working_period_never_ends_before_calendar_period(start, days):
    working = last_day(start, days, working=True)
    assert working >= last_day(start, days, working=False)
    assert working.weekday() < 5


@pytest.mark.django_db
def test_the_holiday_table_counts_for_notices():
    # Spring festival 2030 (illustrative): a week off, with Saturday 9 February worked.
    Holiday.objects.bulk_create(
        [Holiday(date=date(2030, 2, d), name="春节") for d in range(2, 9)]
        + [Holiday(date=date(2030, 2, 9), name="春节调休", is_workday=True)]
    )
    # Friday 1 February (1), Saturday 9 (2), Monday 11 to Thursday 14 (3-6), Friday 15 (7).
    assert notice_last_day(date(2030, 2, 1), 7, working=True) == date(2030, 2, 15)
    assert notice_last_day(date(2030, 2, 1), 7, working=False) == date(2030, 2, 7)
    # Posted on the Sunday before the holiday: counting starts after it.
    assert notice_last_day(date(2030, 2, 3), 1, working=True) == date(2030, 2, 9)
