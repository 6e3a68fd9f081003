"""Helpers for the apps' ``counting.py`` modules (DESIGN.md "Counting"): each app says
which of its records a figure counts; these say how a set of records is split, so
every app splits the same way and in a fixed number of grouped queries, whatever the
number of areas, months or records.

A period is anything with ``start`` and ``end`` (dates, both included) and
``first_moment`` / ``after_moment`` (aware datetimes), such as reports' ``Period``:
apps take that shape instead of importing reports, which comes after them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone


class Span(Protocol):
    start: date
    end: date

    @property
    def first_moment(self) -> datetime: ...

    @property
    def after_moment(self) -> datetime: ...


def in_area(area) -> dict:
    """The filter keeping one residential area's records; none for the whole town."""
    return {"area": area} if area is not None else {}


def grouped(queryset, key, **aggregates) -> dict:
    """{group value: {aggregate: value}} in one query."""
    rows = queryset.order_by().values(group=key).annotate(**aggregates)
    return {row.pop("group"): row for row in rows}


def month_key(value) -> str:
    """The month (YYYY-MM) of a date, or of a moment in local time (TruncMonth gives aware
    moments, and a month is the town's, not UTC's)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m}"


def per(queryset, key: str, value=None) -> dict:
    """{value of field ``key``: count of records (or the aggregate ``value``)}; one
    query. Records with no value form the group None."""
    groups = grouped(queryset, F(key), n=value or Count("pk"))
    return {group: row["n"] or 0 for group, row in groups.items()}


def per_month(queryset, moment: str, value=None) -> dict[str, int]:
    """{"YYYY-MM": count of records (or the aggregate ``value``)} by the local calendar
    month of the datetime field ``moment``; records without one are left out. One query."""
    months: dict[str, int] = {}
    for group, row in grouped(queryset, TruncMonth(moment), n=value or Count("pk")).items():
        if group is not None:
            month = month_key(group)
            months[month] = months.get(month, 0) + (row["n"] or 0)
    return months


def added(*counts: dict) -> dict:
    """The sum, group by group, of several {group: number} dicts."""
    total: dict = {}
    for count in counts:
        for group, n in count.items():
            total[group] = total.get(group, 0) + n
    return total


@dataclass(frozen=True)
class Tally:
    """How many records a figure counts and how they split: by a kind or status
    (``by``, only groups that have records), by month (``months``, "YYYY-MM") and by
    residential area (``areas``, area pk; None for town-wide records). ``months`` and
    ``areas`` are empty when not asked for."""

    by: dict
    months: dict = field(default_factory=dict)
    areas: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by.values())


def tally(queryset, by: str, *, month: str | None = None, areas: bool = False) -> Tally:
    """The records of ``queryset`` split by field ``by``, by the month of datetime
    field ``month`` if given, and by ``area`` if ``areas``; one query each."""
    return Tally(
        by=per(queryset, by),
        months=per_month(queryset, month) if month else {},
        areas=per(queryset, "area") if areas else {},
    )
