"""Activities and who took part: registrations with a waiting list, attendance by
QR check-in or from the roster, and head counts of walk-ins.

Counting (DOMAIN.md): person-times (人次) are attendance records plus walk-in head
counts; people (人数) are distinct named persons. Every figure says which it is.
Activities are a building block: planning links them as evidence; nothing here
imports planning.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import area_link, person_link, town_link
from gongzhi.core.models import FromPaper, TimeStampedModel
from gongzhi.core.scope import Scoped


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    SALON = "salon", _("Salon")
    WORLD_CAFE = "world_cafe", _("World Café")
    PLACEMAKING = "placemaking", _("Place-making activity")
    CHARITY_MARKET = "charity_market", _("Charity market")
    TRAINING = "training", _("Training")
    VOLUNTEER_SERVICE = "volunteer_service", _("Volunteer service")
    CONTEST_EVENT = "contest_event", _("Contest event")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


# Where an activity may go from each status: used by the services that move it and by
# the pages that decide which buttons to show (DESIGN.md: one table per workflow).
ACTIVITY_TRANSITIONS: dict[str, set[str]] = {
    ActivityStatus.DRAFT: {ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED},
    ActivityStatus.PUBLISHED: {ActivityStatus.CANCELLED},
    ActivityStatus.CANCELLED: set(),
}


class ActivityQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=ActivityStatus.PUBLISHED)

    def with_counts(self):
        """Annotate person-times and people, counted from records (see module doc)."""
        return self.annotate(
            attendance_count=models.Count("attendances", distinct=True),
            people_count=models.Count(
                "attendances__user", filter=Q(attendances__user__isnull=False), distinct=True
            ),
            walk_in_total=models.Subquery(
                WalkInCount.objects.filter(activity=models.OuterRef("pk"))
                .values("activity")
                .annotate(total=Sum("count"))
                .values("total")[:1]
            ),
            registered_count=models.Count(
                "registrations",
                filter=Q(registrations__status="registered"),
                distinct=True,
            ),
        ).annotate(
            person_times=models.F("attendance_count")
            + Coalesce(models.F("walk_in_total"), models.Value(0)),
        )


class Activity(Scoped, TimeStampedModel):
    town = town_link(related_name="activities")
    area = area_link(
        related_name="activities", optional=True, help_text=_("Empty for a town-wide activity.")
    )
    organiser = models.ForeignKey(
        "organisations.OrgUnit",
        verbose_name=_("organising unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(pgettext_lazy("activity description", "description"), blank=True)
    venue = models.CharField(_("venue"), max_length=120)
    site = models.ForeignKey(
        "places.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Empty for an open event without sign-up limit."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    created_by = person_link(_("created by"))
    # Why it was called off (services.cancel_activity): its page tells everyone.
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    # Called off before it was ever published: then it stays off the public pages.
    cancelled_as_draft = models.BooleanField(_("cancelled as a draft"), default=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["town", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="activity_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:activity", args=[self.town.slug, self.pk])

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    def may_become(self, status: str) -> bool:
        """Whether ACTIVITY_TRANSITIONS lets the activity go to ``status`` now."""
        return status in ACTIVITY_TRANSITIONS[self.status]

    @property
    def can_publish(self) -> bool:
        return self.may_become(ActivityStatus.PUBLISHED)

    @property
    def can_cancel(self) -> bool:
        """The table allows it and it has not ended (what took place stays on record)."""
        return self.may_become(ActivityStatus.CANCELLED) and not self.is_past

    @property
    def can_edit(self) -> bool:
        """Neither cancelled nor ended: the details of what happened stay as they were."""
        return self.status != ActivityStatus.CANCELLED and not self.is_past


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(Scoped, FromPaper, TimeStampedModel):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = person_link(_("person"), related_name="registrations")
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_person",
            )
        ]

    def __str__(self):
        return f"{self.activity} · {self.get_status_display()}"

    scope_parent = "activity"


class CheckInMethod(models.TextChoices):
    QR = "qr", _("Scanned the QR code")
    QUICK = "quick", _("Quick sign-up at the door")
    ROSTER = "roster", _("Checked in by staff")


class Attendance(models.Model):
    """One named person at one activity: one person-time. Check-out gives hours."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendances"
    )
    user = person_link(_("person"), related_name="attendances")
    method = models.CharField(_("how"), max_length=10, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    recorded_by = person_link(_("recorded by"), optional=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["checked_in_at", "pk"]
        constraints = [
            # A second check-in by the same person is ignored, never counted twice.
            models.UniqueConstraint(fields=["activity", "user"], name="one_attendance_per_person"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gt=models.F("checked_in_at")),
                name="attendance_checks_out_after_in",
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.user_id}"


class WalkInCount(models.Model):
    """A head count at an open event (a market): person-times without names."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="walk_ins"
    )
    count = models.PositiveIntegerField(_("people counted"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    recorded_by = person_link(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("walk-in head count")
        verbose_name_plural = _("walk-in head counts")
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="walk_in_count_positive")
        ]

    def __str__(self):
        return f"{self.activity} · {self.count}"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the organiser")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class HoursClaim(Scoped, TimeStampedModel):
    """Volunteer hours added by hand (forgot to check out, helped set up before the
    start). Flagged as manual, capped at the activity's length, approved by the
    organiser before they count."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="hours_claims"
    )
    user = person_link(_("volunteer"), related_name="hours_claims")
    minutes = models.PositiveIntegerField(_("minutes"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    decided_by = person_link(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("manual volunteer hours")
        verbose_name_plural = _("manual volunteer hours")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="hours_claim_positive"),
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=Q(status="pending"),
                name="one_pending_claim_per_activity",
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.minutes} min"

    scope_parent = "activity"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


# --- Partners involved, World Café, charity market -----------------------------------


class PartnerRole(models.TextChoices):
    HOST = "host", _("Host")
    HELPER = "helper", _("Helper")
    SPEAKER = "speaker", _("Speaker")


class ActivityPartner(Scoped, models.Model):
    """A community partner taking part in running an activity. While they are on it,
    a Commitment for the activity's time keeps matching from suggesting them twice."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="partners"
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="activity_roles",
    )
    role = models.CharField(_("role"), max_length=10, choices=PartnerRole.choices)
    commitment = models.OneToOneField(
        "partners.Commitment",
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_by = person_link(_("added by"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("partner involved")
        verbose_name_plural = _("partners involved")
        ordering = ["role", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "partner"], name="partner_once_per_activity"
            )
        ]

    def __str__(self):
        return f"{self.activity} · {self.partner} · {self.get_role_display()}"

    scope_parent = "activity"


class WorldCafe(Scoped, TimeStampedModel):
    """The World Café (世界咖啡馆) format of one activity: rounds, tables, notes and
    the harvest of themes that planning may later cite as evidence."""

    DEFAULT_ROUNDS = 3

    activity = models.OneToOneField(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="world_cafe"
    )

    class Meta:
        verbose_name = _("World Café")
        verbose_name_plural = _("World Cafés")

    def __str__(self):
        return str(self.activity)

    scope_parent = "activity"

    def get_absolute_url(self):
        return reverse("events:cafe", args=[self.activity.town.slug, self.activity_id])


class Round(models.Model):
    cafe = models.ForeignKey(
        WorldCafe, verbose_name=_("World Café"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    question = models.CharField(_("question"), max_length=200)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"),
        default=25,
        validators=[MinValueValidator(20), MaxValueValidator(30)],
        help_text=_("Usually 20 to 30 minutes."),
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["cafe", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cafe", "number"], name="cafe_round_number_once"),
            models.CheckConstraint(
                condition=Q(minutes__gte=20, minutes__lte=30), name="cafe_round_20_to_30_minutes"
            ),
            models.CheckConstraint(condition=Q(number__gt=0), name="cafe_round_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.question}"


class CafeTable(models.Model):
    """A table of 4–5 with one host (桌长) who stays all rounds while the others move:
    the host belongs to the table, never to a round."""

    cafe = models.ForeignKey(
        WorldCafe, verbose_name=_("World Café"), on_delete=models.CASCADE, related_name="tables"
    )
    number = models.PositiveSmallIntegerField(_("table"))
    name = models.CharField(_("name"), max_length=40, blank=True)
    host_partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("table host (partner)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_tables",
    )
    host_user = person_link(_("table host (person)"), related_name="hosted_tables", optional=True)
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=5, validators=[MinValueValidator(4), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["cafe", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cafe", "number"], name="cafe_table_number_once"),
            models.CheckConstraint(
                condition=Q(host_partner__isnull=True) | Q(host_user__isnull=True),
                name="cafe_table_one_host",
            ),
            models.UniqueConstraint(
                fields=["cafe", "host_partner"], name="cafe_partner_hosts_one_table"
            ),
            models.UniqueConstraint(fields=["cafe", "host_user"], name="cafe_user_hosts_one_table"),
            models.CheckConstraint(
                condition=Q(seats__gte=4, seats__lte=5), name="cafe_table_4_to_5_seats"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name or _("Table %(n)d") % {"n": self.number}

    @property
    def host_name(self) -> str:
        if self.host_partner_id:
            return self.host_partner.name
        if self.host_user_id:
            return self.host_user.display_name
        return ""


def _note_photo_path(instance, filename):
    return f"events/cafe/{timezone.now():%Y/%m}/{filename}"


class TableNote(models.Model):
    """What one table said in one round (cards, a photo of the paper tablecloth)."""

    table = models.ForeignKey(
        CafeTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="notes"
    )
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("notes"), max_length=2000)
    photo = models.ImageField(_("photo"), upload_to=_note_photo_path, blank=True)
    written_by = person_link(_("written by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("table note")
        verbose_name_plural = _("table notes")
        ordering = ["round__number", "table__number", "pk"]

    def __str__(self):
        return f"{self.table} · {self.round.number}"


class HarvestTheme(Scoped, models.Model):
    """A theme of the whole-room harvest (成果汇总), optionally citing table notes."""

    cafe = models.ForeignKey(
        WorldCafe, verbose_name=_("World Café"), on_delete=models.CASCADE, related_name="themes"
    )
    title = models.CharField(_("theme"), max_length=100)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    notes = models.ManyToManyField(
        TableNote, verbose_name=_("from the notes"), blank=True, related_name="themes"
    )

    class Meta:
        verbose_name = _("harvest theme")
        verbose_name_plural = _("harvest themes")
        ordering = ["cafe", "order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.cafe.get_absolute_url()}#theme-{self.pk}"

    scope_parent = "cafe"


class OfferKind(models.TextChoices):
    SERVICE = "service", _("Service")
    GOODS = "goods", _("Goods")


class MarketStall(Scoped, TimeStampedModel):
    """A stall (摊位) at a charity market (公益市集), run by a unit or by a partner."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="stalls"
    )
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        verbose_name=_("run by a unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stalls",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("run by a partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stalls",
    )
    offer = models.CharField(_("what is offered"), max_length=200)
    offer_kind = models.CharField(_("offered as"), max_length=10, choices=OfferKind.choices)
    raised_amount = models.DecimalField(
        _("funds raised (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    items_raised = models.CharField(_("items raised"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stall")
        verbose_name_plural = _("stalls")
        ordering = ["activity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(partner__isnull=True))
                | (Q(unit__isnull=True) & Q(partner__isnull=False)),
                name="stall_run_by_unit_or_partner",
            ),
            models.CheckConstraint(
                condition=Q(raised_amount__isnull=True) | Q(raised_amount__gte=0),
                name="stall_raised_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.run_by} · {self.offer}"

    scope_parent = "activity"

    @property
    def run_by(self):
        return self.unit or self.partner


def _activity_photo_path(instance, filename):
    return f"activities/{instance.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    """A photo for the activity ledger: time, place, content, people, photographer
    (DOMAIN.md "Ledgers"). Re-encoded on upload, so no location metadata is kept."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=_activity_photo_path)
    content = models.CharField(_("what it shows"), max_length=200)
    taken_at = models.DateTimeField(_("taken at"))
    place = models.CharField(_("place"), max_length=120)
    people = models.CharField(_("people in it"), max_length=200, blank=True)
    photographer = models.CharField(_("photographer"), max_length=40)
    uploaded_by = person_link(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["taken_at", "pk"]

    def __str__(self):
        return self.content
