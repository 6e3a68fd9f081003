"""The micro-renewal figures, counted from records: projects built, projects by
status and the satisfaction averages (satisfaction.py) over the projects built.
Labels, rules in words and links are the reports' (reports/figures.py)."""

from django.db.models import Q

from gongzhi.core.counting import Span, Tally, in_area, tally

from .models import Project
from .satisfaction import Scores, overall_scores


def completed(town, period: Span, area=None):
    """Projects completed in the period: by their completion date."""
    return Project.objects.filter(
        town=town, actual_end__gte=period.start, actual_end__lte=period.end, **in_area(area)
    )


def built(town, period: Span, area=None) -> Tally:
    """The ``completed`` projects by kind; for the whole town also by area (town-wide
    projects count for the town only). One or two queries."""
    return tally(completed(town, period, area), "kind", areas=area is None)


def by_status(town, period: Span, area=None) -> Tally:
    """Projects whose planned or actual dates overlap the period (planned, under way
    or finished in it), by their status today. One query."""
    overlapping = Project.objects.filter(town=town, **in_area(area)).filter(
        Q(planned_start__lte=period.end, planned_end__gte=period.start)
        | Q(actual_start__lte=period.end)
        & (Q(actual_end__isnull=True) | Q(actual_end__gte=period.start))
    )
    return tally(overlapping, "status")


def scores(town, period: Span, area=None) -> Scores:
    """Satisfaction and sense of gain over every answer to the satisfaction surveys
    of the ``completed`` projects (satisfaction.overall_scores)."""
    return overall_scores(completed(town, period, area))
