"""The proposal ledger (提案台账): one row per proposal, for staff (authors' full
names; the download is logged by whoever serves it). The reports capability bundles
it with the other ledgers into one workbook."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.ledgers import Column, Ledger, ledger_title
from gongzhi.core.scope import within_scope

from .models import Proposal, StatusChange

# Rows are read from the database this many at a time: memory stays bounded.
CHUNK_SIZE = 500


def ledger_proposals(*, town, user, year: int | None = None):
    """The proposals a user's ledger holds: the whole town for its secretariat and
    administrators, their own areas' for area staff; those submitted in ``year``."""
    proposals = within_scope(Proposal.objects.filter(town=town), user, town)
    if year is not None:
        proposals = proposals.filter(created_at__year=year)
    last_change = StatusChange.objects.filter(proposal=OuterRef("pk")).order_by("-at", "-pk")
    return (
        proposals.annotate(last_change_at=Subquery(last_change.values("at")[:1]))
        .select_related("area", "site", "author")
        .order_by("created_at", "pk")
    )


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def proposal_ledger(*, town, user, year: int | None = None) -> Ledger:
    """The ledger of ``town``'s proposals as ``user`` may see them."""
    columns = [
        Column(pgettext_lazy("ledger column", "No."), 6),
        Column(pgettext_lazy("ledger column", "Submitted on"), 12),
        Column(pgettext_lazy("ledger column", "Residential area"), 16),
        Column(pgettext_lazy("ledger column", "Site"), 16),
        Column(pgettext_lazy("ledger column", "Title"), 30),
        Column(pgettext_lazy("ledger column", "Category"), 12),
        Column(pgettext_lazy("ledger column", "Author"), 12),
        Column(pgettext_lazy("ledger column", "Supports"), 8),
        Column(pgettext_lazy("ledger column", "Comments"), 8),
        Column(pgettext_lazy("ledger column", "Status"), 10),
        Column(pgettext_lazy("ledger column", "Reason"), 30),
        Column(pgettext_lazy("ledger column", "Last change"), 12),
    ]
    title = ledger_title(
        _("%(town)s proposal ledger, %(year)d"),
        _("%(town)s proposal ledger, exported %(date)s"),
        town=town,
        year=year,
    )

    def rows():
        proposals = ledger_proposals(town=town, user=user, year=year)
        for number, p in enumerate(proposals.iterator(chunk_size=CHUNK_SIZE), start=1):
            yield [
                number,
                _local_date(p.created_at),
                p.area.name,
                p.site.name if p.site else "",
                p.title,
                p.get_category_display(),
                p.author.display_name,
                p.support_count,
                p.comment_count,
                p.get_status_display(),
                p.status_reason,
                _local_date(p.last_change_at or p.created_at),
            ]

    return Ledger(
        sheet_title=pgettext_lazy("sheet title", "Proposal ledger"),
        title=title,
        columns=columns,
        rows=rows,
    )


def ledger_filename(town, year: int | None) -> tuple[str, str]:
    """The download's name and its ASCII fallback."""
    when = str(year) if year else timezone.localdate().isoformat()
    name = _("Proposal ledger")
    return (
        f"{name}-{town.name}-{when}.xlsx",
        f"proposal-ledger-{town.slug}-{when}.xlsx",
    )
