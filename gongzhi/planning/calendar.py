"""Counting the days of a notice or a window: calendar days, or working days that
skip weekends and the administrator's holiday list (with weekend days made working
days, 调休). Pure functions; the holiday list is passed in."""

from datetime import date, timedelta


def is_working_day(day: date, holidays: set[date], workdays: frozenset[date] = frozenset()) -> bool:
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def last_day(
    start: date,
    days: int,
    *,
    working: bool,
    holidays: set[date] = frozenset(),
    workdays: frozenset[date] = frozenset(),
) -> date:
    """The last day of a period of ``days`` days that starts on ``start`` (day one).
    With ``working`` only working days count, so a period posted on a Saturday starts
    counting on the Monday."""
    if days < 1:
        raise ValueError("a period lasts at least one day")
    if not working:
        return start + timedelta(days=days - 1)
    counted, day = 0, start
    while True:
        if is_working_day(day, holidays, workdays):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def days_between(start: date, end: date) -> int:
    """Whole calendar days from ``start`` to ``end`` (end excluded)."""
    return (end - start).days
