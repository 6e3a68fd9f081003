"""The meeting ledger (会议台账): one row per meeting with its kind, date, place,
attendance, topics and decisions, as communities file it. Rows stream from the
database in chunks (each chunk's agenda and motions prefetched), so the export's
memory does not grow with the town."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core.ledgers import LIST_SEPARATOR, Column, Ledger, logged_download, wall_clock
from gongzhi.core.scope import within_scope

from .models import AgendaItem, Meeting, MeetingStatus, MinutesStatus, Motion, MotionResult

CHUNK_SIZE = 200


def ledger_meetings(*, town, user, year=None):
    """The meetings a user's ledger lists: not cancelled, of their scope, in order."""
    meetings = Meeting.objects.filter(town=town).exclude(status=MeetingStatus.CANCELLED)
    if year is not None:
        meetings = meetings.filter(starts_at__year=year)
    return within_scope(meetings, user, town).order_by("starts_at", "pk")


def _decision(motion) -> str:
    result = (
        pgettext("ledger", "passed")
        if motion.result == MotionResult.PASSED
        else pgettext("ledger", "failed")
    )
    return _("%(motion)s (%(result)s)") % {"motion": motion.text, "result": result}


def _minutes_status(meeting) -> str:
    minutes = getattr(meeting, "minutes", None)
    if minutes is None:
        return _("None")
    if minutes.status == MinutesStatus.APPROVED:
        return pgettext("minutes", "Approved")
    return _("Draft")


def meeting_ledger(*, town, user, year=None) -> Ledger:
    meetings = (
        ledger_meetings(town=town, user=user, year=year)
        .select_related("area", "organiser", "minutes")
        .annotate(
            invited_count=Count("attendees", filter=Q(attendees__invited=True)),
            present_count=Count("attendees", filter=Q(attendees__present=True)),
        )
        .prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("order")),
            Prefetch("motions", queryset=Motion.objects.decided().order_by("decided_at", "pk")),
        )
    )

    def rows():
        for number, meeting in enumerate(meetings.iterator(chunk_size=CHUNK_SIZE), start=1):
            yield [
                number,
                wall_clock(meeting.starts_at),
                meeting.get_kind_display(),
                meeting.title,
                meeting.area.name if meeting.area else _("Town-wide"),
                meeting.venue,
                meeting.organiser.name if meeting.organiser else "",
                meeting.invited_count,
                meeting.present_count,
                LIST_SEPARATOR.join(item.title for item in meeting.agenda.all()),
                LIST_SEPARATOR.join(_decision(m) for m in meeting.motions.all()),
                _minutes_status(meeting),
            ]

    title = (
        _("%(town)s meeting ledger, %(year)d") % {"town": town.name, "year": year}
        if year
        else _("%(town)s meeting ledger") % {"town": town.name}
    )
    return Ledger(
        sheet_title=pgettext("sheet title", "Meetings"),
        title=title,
        columns=[
            Column(pgettext("ledger column", "No."), 6),
            Column(pgettext("ledger column", "Date"), 17),
            Column(pgettext("ledger column", "Kind"), 12),
            Column(pgettext("ledger column", "Meeting title"), 28),
            Column(pgettext("ledger column", "Residential area"), 14),
            Column(pgettext("ledger column", "Venue"), 16),
            Column(pgettext("ledger column", "Organiser"), 16),
            Column(pgettext("ledger column", "Invited"), 8),
            Column(pgettext("ledger column", "Present (people)"), 10),
            Column(pgettext("ledger column", "Topics"), 36),
            Column(pgettext("ledger column", "Decisions"), 48),
            Column(pgettext("ledger column", "Minutes"), 10),
        ],
        rows=rows,
    )


def ledger_filename(town, year=None) -> tuple[str, str]:
    on = timezone.localdate().isoformat()
    suffix = str(year) if year else on
    name = _("Meeting ledger")
    return (
        f"{name}-{town.name}-{suffix}.xlsx",
        f"meeting-ledger-{town.slug}-{suffix}.xlsx",
    )


def export_meeting_ledger(*, town, user, year=None):
    """The ledger as a download; the access is logged (ledgers hold names of people
    and decisions: DOMAIN.md, access to ledgers is logged)."""
    return logged_download(
        [meeting_ledger(town=town, user=user, year=year)],
        *ledger_filename(town, year),
        actor=user,
        town=town,
        name="meetings",
        year=year,
    )
