"""The ledgers bundle download: every ledger of the town in one Excel workbook, one
sheet each, built by ledgers.py and streamed from a temporary file; logged."""

from gongzhi.core.access import get_checked
from gongzhi.core.ledgers import logged_download
from gongzhi.places.models import Town

from .ledgers import SHEETS, bundle, bundle_filename


def _year(value) -> int | None:
    """?year= as the other ledgers read it: a year between 2000 and 2100, or None
    (every year) for anything else."""
    value = str(value or "").strip()
    if not value.isdecimal() or len(value) != 4:
        return None
    year = int(value)
    return year if 2000 <= year <= 2100 else None


def ledgers_bundle(request, town_slug):
    """GET ?year=YYYY: the town's ledgers for the secretariat, the rows of their own
    areas for area staff; without a (valid) year, every year's records."""
    town = get_checked(request, "reports.export_ledgers", Town, slug=town_slug)
    year = _year(request.GET.get("year"))
    return logged_download(
        bundle(town=town, user=request.user, year=year),
        *bundle_filename(town, year),
        actor=request.user,
        town=town,
        name="bundle",
        sheets=SHEETS,
        year=year,
    )
