"""The community news figures, counted from records: articles published in the period
by who wrote them (media partner or staff) and by residential area. Labels, rules in
words and links are the reports' (reports/figures.py)."""

from gongzhi.core.counting import Span, Tally, in_area, tally

from .models import Article


def published(town, period: Span, area=None) -> Tally:
    """Articles published in the period (their publication moment), by the author's
    role; for the whole town also by area (town-wide articles count for the town only)."""
    articles = Article.objects.published().filter(
        town=town,
        published_at__gte=period.first_moment,
        published_at__lt=period.after_moment,
        **in_area(area),
    )
    return tally(articles, "author_role", areas=area is None)
