"""Partner cultivation (培育服务): programmes that train community partners and
residents in participatory planning, held as real activities (a salon, a World
Café, a training). Who attended a session is read from the activity's check-ins
(``events.Attendance``), never typed in here; completion and each area's record are
counted from them (queries.py, counting.py).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import person_link, town_link
from gongzhi.core.models import TimeStampedModel
from gongzhi.core.scope import Scoped


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("programme status", "Draft")
    OPEN = "open", pgettext_lazy("programme status", "Open")
    CLOSED = "closed", pgettext_lazy("programme status", "Closed")


# Where a programme may go from each status: read by the services that move it and by
# the page that decides which buttons to show (DESIGN.md: one table per workflow).
PROGRAMME_TRANSITIONS: dict[str, set[str]] = {
    ProgrammeStatus.DRAFT: {ProgrammeStatus.OPEN},
    ProgrammeStatus.OPEN: {ProgrammeStatus.CLOSED},
    ProgrammeStatus.CLOSED: set(),
}


class ProgrammeQuerySet(models.QuerySet):
    def public(self):
        """Programmes residents see: open or closed, never drafts."""
        return self.exclude(status=ProgrammeStatus.DRAFT)


class Programme(Scoped, TimeStampedModel):
    """A cultivation programme of a town (e.g. 参与式规划培训): completed by whoever
    attends at least ``sessions_required`` of its sessions."""

    town = town_link(related_name="cultivation_programmes")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(
        pgettext_lazy("programme description", "description"), blank=True
    )
    sessions_required = models.PositiveSmallIntegerField(
        _("sessions to attend"),
        default=1,
        help_text=_("A person completes the programme by attending at least this many sessions."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.DRAFT,
    )
    created_by = person_link(_("created by"))

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cultivation programme")
        verbose_name_plural = _("cultivation programmes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_required__gt=0), name="programme_requires_a_session"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cultivation:programme", args=[self.town.slug, self.pk])

    def may_become(self, status: str) -> bool:
        return status in PROGRAMME_TRANSITIONS[self.status]


class Session(Scoped, models.Model):
    """One session of a programme, held as an activity. An activity is a session of
    at most one programme, so nobody's attendance counts twice."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="sessions"
    )
    activity = models.OneToOneField(
        "events.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="cultivation_session",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    added_by = person_link(_("added by"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    scope_parent = "programme"

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="session_order_once"),
            models.CheckConstraint(condition=Q(order__gt=0), name="session_order_positive"),
        ]

    def __str__(self):
        return f"{self.programme} · {self.order}. {self.activity}"
