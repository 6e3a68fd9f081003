"""The project ledger (项目台账): one row per micro-renewal project with its site,
kind, origin, money, contractor, dates, status and satisfaction, for staff (the
download is logged by whoever serves it). The reports capability can bundle it with
the other ledgers into one workbook."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.ledgers import Column, Ledger, ledger_title
from gongzhi.core.scope import within_scope

from .models import OriginKind, Project
from .satisfaction import rounded

# Rows are read from the database this many at a time: memory stays bounded.
CHUNK_SIZE = 500


def ledger_projects(*, town, user, year: int | None = None):
    """The projects a user's ledger holds: the whole town for its secretariat and
    administrators, their own areas' for area staff; with ``year``, those planned to
    start in that year (the year's programme of works)."""
    projects = within_scope(Project.objects.filter(town=town), user, town)
    if year is not None:
        projects = projects.filter(planned_start__year=year)
    return (
        projects.with_money()
        .with_scores()
        .select_related("area", "site", "process", "proposal", "entry")
        .order_by("planned_start", "pk")
    )


def _origin(project) -> str:
    return f"{OriginKind(project.origin_kind).label}: {project.origin.title}"


def project_ledger(*, town, user, year: int | None = None) -> Ledger:
    """The ledger of ``town``'s projects as ``user`` may see them."""
    columns = [
        Column(pgettext_lazy("ledger column", "No."), 6),
        Column(pgettext_lazy("ledger column", "Residential area"), 16),
        Column(pgettext_lazy("ledger column", "Site"), 16),
        Column(pgettext_lazy("ledger column", "Title"), 30),
        Column(pgettext_lazy("project ledger column", "Kind"), 14),
        Column(pgettext_lazy("ledger column", "Origin"), 30),
        Column(pgettext_lazy("ledger column", "Funding source"), 14),
        Column(pgettext_lazy("ledger column", "Budget (yuan)"), 12),
        Column(pgettext_lazy("ledger column", "Spent (yuan)"), 12),
        Column(pgettext_lazy("ledger column", "Contractor"), 20),
        Column(pgettext_lazy("ledger column", "Planned start"), 12),
        Column(pgettext_lazy("ledger column", "Planned completion"), 12),
        Column(pgettext_lazy("ledger column", "Construction started"), 12),
        Column(pgettext_lazy("ledger column", "Completed on"), 12),
        Column(pgettext_lazy("ledger column", "Status"), 12),
        Column(pgettext_lazy("ledger column", "Satisfaction (1-5)"), 10),
        Column(pgettext_lazy("ledger column", "Sense of gain (1-5)"), 10),
        Column(pgettext_lazy("ledger column", "Responses"), 8),
    ]
    title = ledger_title(
        _("%(town)s project ledger, %(year)d"),
        _("%(town)s project ledger, exported %(date)s"),
        town=town,
        year=year,
    )

    def rows():
        projects = ledger_projects(town=town, user=user, year=year)
        for number, p in enumerate(projects.iterator(chunk_size=CHUNK_SIZE), start=1):
            satisfaction = rounded(p.satisfaction_score)
            gain = rounded(p.gain_score)
            yield [
                number,
                p.area.name,
                p.site.name,
                p.title,
                p.get_kind_display(),
                _origin(p),
                p.get_funding_source_display(),
                p.budget,
                p.spent,
                p.contractor,
                p.planned_start,
                p.planned_end,
                p.actual_start,
                p.actual_end,
                p.get_status_display(),
                float(satisfaction) if satisfaction is not None else None,
                float(gain) if gain is not None else None,
                p.score_count,
            ]

    return Ledger(
        sheet_title=pgettext_lazy("sheet title", "Project ledger"),
        title=title,
        columns=columns,
        rows=rows,
    )


def ledger_filename(town, year: int | None) -> tuple[str, str]:
    """The download's name and its ASCII fallback."""
    when = str(year) if year else timezone.localdate().isoformat()
    name = _("Project ledger")
    return (
        f"{name}-{town.name}-{when}.xlsx",
        f"project-ledger-{town.slug}-{when}.xlsx",
    )
