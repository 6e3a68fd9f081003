"""The proposal figures, counted from records. Labels, rules in words and links are
the reports' (reports/figures.py)."""

from gongzhi.core.counting import Span, Tally, in_area, tally

from .models import Proposal


def submitted(town, period: Span, area=None):
    """Proposals submitted (created) in the period, whatever became of them."""
    return Proposal.objects.filter(
        town=town,
        created_at__gte=period.first_moment,
        created_at__lt=period.after_moment,
        **in_area(area),
    )


def proposals(town, period: Span, area=None) -> Tally:
    """The ``submitted`` proposals by their status today and by month of submission;
    for the whole town also by area (town-wide proposals count for the town only).
    Two or three queries."""
    return tally(submitted(town, period, area), "status", month="created_at", areas=area is None)
