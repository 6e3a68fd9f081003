"""Reads on cultivation: a person's progress in a programme, the sessions of a
programme, and each residential area's record of who was trained. All from the
activities' check-ins; shared by the pages, the certificate and the tests."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _

from gongzhi.core.errors import DomainError
from gongzhi.core.scope import Scope
from gongzhi.events.models import Attendance

from .counting import session_attendances
from .models import Programme, ProgrammeStatus, Session


class NotCompleted(DomainError):
    """No certificate: the person has not attended enough sessions."""


@dataclass
class Progress:
    programme: Programme
    # The sessions the person attended, in the programme's order.
    attended: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.attended)

    @property
    def completed(self) -> bool:
        """The completion rule: at least ``sessions_required`` sessions attended, of a
        programme that is not a draft."""
        return (
            self.programme.status != ProgrammeStatus.DRAFT
            and self.count >= self.programme.sessions_required
        )

    @property
    def completed_on(self):
        """The day of the session that completed it (the N-th attended)."""
        if not self.completed:
            return None
        return self.attended[self.programme.sessions_required - 1].activity.starts_at


def sessions(programme: Programme):
    return (
        Session.objects.filter(programme=programme)
        .select_related("activity", "activity__area")
        .order_by("order")
    )


def progress(programme: Programme, user) -> Progress:
    """Which of the programme's sessions ``user`` attended (checked in to). One query."""
    if not getattr(user, "is_authenticated", False):
        return Progress(programme)
    attended = list(sessions(programme).filter(activity__attendances__user=user))
    return Progress(programme, attended)


@dataclass(frozen=True)
class Trainee:
    """A person as a trainee of a programme, for the permission rules: scoped to the
    programme's town and the person's residential area there, the area whose record
    names them (see counting.py for which area that is), or none."""

    programme: Programme
    user: object
    area_id: int | None

    @property
    def scope(self) -> Scope:
        return Scope(self.programme.town_id, self.area_id)


def trainee(programme: Programme, user) -> Trainee:
    """``user`` as a trainee of ``programme``. Two queries at most."""
    from gongzhi.places.models import ResidentialArea

    home = (
        session_attendances()
        .filter(user=user, activity__cultivation_session__programme=programme)
        .order_by()
        .values_list("home", flat=True)[:1]
    )
    area_id = next(iter(home), None)
    # An area of another town (the account's) is no area of this town's record.
    if (
        area_id is not None
        and not ResidentialArea.objects.filter(pk=area_id, town_id=programme.town_id).exists()
    ):
        area_id = None
    return Trainee(programme, user, area_id)


def certificate(programme: Programme, user) -> Progress:
    """The progress behind a certificate of completion, or NotCompleted with the
    reason when ``user`` has not completed the programme. Nothing is stored: the
    certificate is read from the check-ins whenever it is printed."""
    found = progress(programme, user)
    if programme.status == ProgrammeStatus.DRAFT:
        raise NotCompleted(_("This programme has not opened yet."))
    if not found.completed:
        raise NotCompleted(
            _(
                "No certificate yet: the programme is completed by attending at least "
                "%(needed)d of its sessions, and you have attended %(count)d."
            )
            % {"needed": programme.sessions_required, "count": found.count}
        )
    return found


def certificate_of(programme: Programme, user) -> Progress:
    """``certificate`` for staff printing another person's: NotCompleted says so in
    the third person."""
    found = progress(programme, user)
    if not found.completed:
        raise NotCompleted(
            _(
                "There is no certificate for this person: the programme is completed by "
                "attending at least %(needed)d of its sessions, and they have attended "
                "%(count)d."
            )
            % {"needed": programme.sessions_required, "count": found.count}
        )
    return found


@dataclass
class Trained:
    """One person's part in one programme: sessions attended, first and last day."""

    user: object
    programme: Programme
    sessions: int
    first: object
    last: object

    @property
    def completed(self) -> bool:
        return self.sessions >= self.programme.sessions_required


def area_record(area) -> list[Trained]:
    """Everyone of ``area`` who attended a session of a cultivation programme, one
    row a person and programme, latest first. Three queries, whatever the rows."""
    from gongzhi.accounts.models import User

    rows = list(
        session_attendances()
        .filter(activity__town_id=area.town_id, home=area.pk)
        .order_by()
        .values("user", "activity__cultivation_session__programme")
        .annotate(
            n=Count("activity", distinct=True),
            first=Min("activity__starts_at"),
            last=Max("activity__starts_at"),
        )
    )
    users = User.objects.in_bulk({row["user"] for row in rows})
    programmes = Programme.objects.in_bulk(
        {row["activity__cultivation_session__programme"] for row in rows}
    )
    record = [
        Trained(
            user=users[row["user"]],
            programme=programmes[row["activity__cultivation_session__programme"]],
            sessions=row["n"],
            first=row["first"],
            last=row["last"],
        )
        for row in rows
    ]
    # Latest first; within one programme and day, names in pinyin order.
    record.sort(key=lambda t: (t.user.name_sort, t.user.pk))
    record.sort(key=lambda t: (t.last, t.programme.pk), reverse=True)
    return record


@dataclass
class ProgrammeSummary:
    programme: Programme
    people: int
    completed: int
    last: object


def area_summary(area) -> list[ProgrammeSummary]:
    """The public summary of ``area``'s record: per programme, how many people of the
    area took part and completed it; no names."""
    by_programme: dict[int, ProgrammeSummary] = {}
    for trained in area_record(area):
        summary = by_programme.setdefault(
            trained.programme.pk, ProgrammeSummary(trained.programme, 0, 0, trained.last)
        )
        summary.people += 1
        summary.completed += trained.completed
        summary.last = max(summary.last, trained.last)
    return sorted(by_programme.values(), key=lambda s: s.last, reverse=True)


def attended_count(programme: Programme):
    """Per session activity: people checked in (for the programme's page). One query."""
    return dict(
        Attendance.objects.filter(activity__cultivation_session__programme=programme)
        .order_by()
        .values("activity")
        .annotate(n=Count("user", distinct=True))
        .values_list("activity", "n")
    )
