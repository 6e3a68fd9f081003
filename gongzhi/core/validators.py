from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError


def validate_upload_size(file):
    """Reject a single uploaded file larger than GONGZHI_MAX_UPLOAD_BYTES."""
    limit = settings.GONGZHI_MAX_UPLOAD_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


# --- Plausible dates ------------------------------------------------------------------

# No date the platform records is earlier than this. The programme's works are all from
# this century, so an earlier year is a typing slip ("0202" for "2022"); and a time in
# year 1 is before Python's earliest datetime once converted to UTC (Shanghai is
# UTC+8): SQLite fails to store it, and PostgreSQL stores it but every page that reads
# it back then fails.
EARLIEST_DATE = date(2000, 1, 1)
# How far ahead a plan, a milestone or a due date may be set: to the end of the year
# this many years from now. Later is a slip too ("9999-12-31", "2205" for "2025").
YEARS_AHEAD = 5


class DateRange:
    """The plausible dates (or dates and times) for one kind of date, checked the same
    way everywhere: a form field lists the range as a validator (``validators=[PLANNED]``,
    a field error), a service calls ``check`` (a DomainError naming the field), and an
    API schema calls ``check`` from a field validator (a 400 naming the field).

    Two kinds: what has happened (HAPPENED: a photo's time, the day work started) lies
    between EARLIEST_DATE and now; what is planned (PLANNED: a due date, a milestone's
    planned end) between EARLIEST_DATE and the end of the YEARS_AHEAD-th year from now
    (the past is allowed: records are often entered after the fact)."""

    def __init__(self, *, happened: bool):
        self.happened = happened

    def latest(self) -> date:
        """The last plausible day."""
        today = timezone.localdate()
        return today if self.happened else date(today.year + YEARS_AHEAD, 12, 31)

    def _fault(self, value) -> str | None:
        """ "early", "future" (what happened, later than now) or "late" (what is
        planned, beyond the horizon); None within the range."""
        day = value.date() if isinstance(value, datetime) else value
        latest, margin = self.latest(), timedelta(days=1)
        beyond = "future" if self.happened else "late"
        # Far outside, decided on the day as written: a time in year 1 or 9999
        # cannot even be converted between time zones.
        if day < EARLIEST_DATE - margin:
            return "early"
        if day > latest + margin:
            return beyond
        if isinstance(value, datetime):
            # A time without an offset (an API client's) is the town's local time.
            aware = timezone.make_aware(value) if timezone.is_naive(value) else value
            if self.happened and aware > timezone.now():
                return "future"
            day = timezone.localtime(aware).date()
        if day < EARLIEST_DATE:
            return "early"
        return beyond if day > latest else None

    def check(self, value, *, label: str):
        """``value`` when it is a date (or date and time) within the range, a time
        without an offset made the town's local time; otherwise a DomainError whose
        message names the field (``label``, e.g. "The due date")."""
        if not isinstance(value, date):
            raise DomainError(_("%(field)s must be a date.") % {"field": label})
        fault = self._fault(value)
        if fault == "early":
            raise DomainError(
                _("%(field)s cannot be before %(date)s.")
                % {"field": label, "date": EARLIEST_DATE.isoformat()}
            )
        if fault == "future" and isinstance(value, datetime):
            raise DomainError(_("%(field)s cannot be later than now.") % {"field": label})
        if fault == "future":
            raise DomainError(_("%(field)s cannot be in the future.") % {"field": label})
        if fault == "late":
            raise DomainError(
                _("%(field)s cannot be after %(date)s.")
                % {"field": label, "date": self.latest().isoformat()}
            )
        if isinstance(value, datetime) and timezone.is_naive(value):
            return timezone.make_aware(value)
        return value

    def __call__(self, value) -> None:
        """As a form field's validator: the same range, as an error on the field."""
        if value is None:
            return
        fault = self._fault(value)
        if fault == "early":
            raise ValidationError(
                _("Give a date from %(date)s on.") % {"date": EARLIEST_DATE.isoformat()},
                code="too_early",
            )
        if fault == "future":
            raise ValidationError(_("Give a date that is not in the future."), code="future")
        if fault == "late":
            raise ValidationError(
                _("Give a date no later than %(date)s.") % {"date": self.latest().isoformat()},
                code="too_late",
            )


HAPPENED = DateRange(happened=True)
PLANNED = DateRange(happened=False)
