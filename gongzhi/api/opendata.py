"""Open data: a town's organisation and its meetings in the Popolo shape (popolo.py).

Public and read-only; personal data is masked (docs/open-data.md). Answers may be
cached for a while by anything in between, like the iCalendar feeds.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from gongzhi.places.models import Town

from . import popolo
from .schemas import READ_ERRORS, TownSlug

router = Router()

MIN_YEAR = 2000
MAX_AGE = 15 * 60


def _town(slug: str) -> Town:
    town = Town.objects.filter(slug=slug).first()
    if town is None:
        raise HttpError(404, _("There is no town at this address."))
    return town


def _cacheable(response: HttpResponse) -> None:
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"


@router.get(
    "/towns/{slug}/popolo.json",
    response={200: dict, **READ_ERRORS},
    url_name="opendata_popolo",
    summary="The town's organisation (Popolo)",
)
def popolo_organisation(request, slug: TownSlug, response: HttpResponse):
    """Persons (community partners, names masked), organizations (the town, its
    secretariat, committees and teams, each area's residents' committee), memberships,
    posts and areas, in the Popolo shape."""
    town = _town(slug)
    _cacheable(response)
    return popolo.organisation(request, town)


@router.get(
    "/towns/{slug}/meetings.json",
    response={200: dict, **READ_ERRORS},
    url_name="opendata_meetings",
    summary="The town's meetings of a year as events (Popolo)",
)
def popolo_meetings(
    request,
    slug: TownSlug,
    response: HttpResponse,
    year: int | None = Query(None, ge=MIN_YEAR, le=9999, description="This year when not given."),
):
    """The meetings held in ``year`` (this year when not given) as Popolo events, with
    their motions and vote events (counts and result). Cancelled meetings and
    meetings whose minutes are not yet approved are not included."""
    town = _town(slug)
    this_year = timezone.localdate().year
    if year is None:
        year = this_year
    if not MIN_YEAR <= year <= this_year + 1:
        raise HttpError(
            400,
            _("Choose a year between %(first)d and %(last)d.")
            % {"first": MIN_YEAR, "last": this_year + 1},
        )
    _cacheable(response)
    return popolo.meetings(request, town, year=year)
