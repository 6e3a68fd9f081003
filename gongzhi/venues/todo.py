"""What venues adds to staff's 待办 (core/todo.py): booking requests that wait for a
decision, for the keeper of the venue and for those who may decide them (the staff of
the venue's area, the town's secretariat; a town-wide venue is the secretariat's)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.todo import todo_section

from .models import Booking, BookingStatus


def open_requests(todo):
    requests = Booking.objects.filter(
        status=BookingStatus.REQUESTED, ends_at__gt=timezone.now(), venue__active=True
    )
    return (
        (todo.narrow(requests, through="venue") | requests.filter(venue__keeper=todo.user))
        .select_related("venue__town")
        .order_by("starts_at", "pk")
    )


@todo_section("venues.requests", 45, gettext_lazy("Venue requests to decide"), open_requests)
def request_row(booking):
    venue = booking.venue
    return {
        "url": venue.get_absolute_url(),
        "title": _("%(venue)s: %(purpose)s") % {"venue": venue.name, "purpose": booking.purpose},
        "detail": date_format(timezone.localtime(booking.starts_at), "DATETIME_FORMAT"),
    }
