"""Support and comment counts kept on the proposal row.

A list of proposals sorts and shows them by their supports and comments; counting the
rows for every proposal on every page grows with the town (issue 19). So each proposal
carries ``support_count`` (current supports, one per person) and ``comment_count``
(comments not hidden). Every service that changes supports or comments calls
``recount`` for the proposals it touched, inside its own transaction and with the
proposal row locked, so the counts change together with the rows and concurrent
supports are counted one after the other. ``drift`` finds counts that disagree with
the rows (written around the services, e.g. a bulk import); ``manage.py repair_counts``
reports and repairs them.
"""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Comment, Proposal, Support


def _counted(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(proposal=OuterRef("pk"), **filters)
            .order_by()
            .values("proposal")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _from_rows():
    return {
        "support_count": _counted(Support, withdrawn_at__isnull=True),
        "comment_count": _counted(Comment, hidden_at__isnull=True),
    }


def recount(proposals) -> int:
    """Set the counts of ``proposals`` (a queryset) from their rows; one UPDATE.

    Permission: checked by the calling service; this only keeps its counts."""
    return proposals.update(**_from_rows())


def drift(proposals=None) -> list[dict]:
    """The proposals whose stored counts differ from their rows."""
    rows = (proposals if proposals is not None else Proposal.objects.all()).annotate(
        supports_now=_from_rows()["support_count"], comments_now=_from_rows()["comment_count"]
    )
    return [
        {
            "pk": p.pk,
            "support_count": (p.support_count, p.supports_now),
            "comment_count": (p.comment_count, p.comments_now),
        }
        for p in rows.order_by("pk").only("pk", "support_count", "comment_count")
        if (p.support_count, p.comment_count) != (p.supports_now, p.comments_now)
    ]
