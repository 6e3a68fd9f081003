"""The community-partner talent pool: applications (online, recommended, imported),
partners with their work modes and skills, and commitments that matching respects."""

import hashlib

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import area_link, person_link, town_link
from gongzhi.core.models import TimeStampedModel
from gongzhi.core.pinyin import PinyinSorted
from gongzhi.core.scope import Scoped


class Mode(models.TextChoices):
    """The five work modes (工作模式); each has one committee."""

    THINK_TANK = "think_tank", _("Think-tank")
    PLANNING = "planning", _("Planning")
    GOVERNANCE = "governance", _("Governance")
    MEDIA = "media", _("Media")
    EDUCATION = "education", _("Education")


class PartyStatus(models.TextChoices):
    NONE = "none", _("Not a party member")
    MEMBER = "member", _("Party member")
    DUAL_REGISTERED = "dual_registered", _("Dual-registered party member")


class Slot(models.TextChoices):
    """When a person can usually serve."""

    WEEKDAY_DAY = "weekday_day", _("Weekday daytime")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evening")
    WEEKEND_DAY = "weekend_day", _("Weekend daytime")
    WEEKEND_EVENING = "weekend_evening", _("Weekend evening")

    @classmethod
    def of(cls, moment) -> "Slot":
        """The slot a (local) datetime falls in; evening starts at 18:00."""
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        weekend = moment.weekday() >= 5
        evening = moment.hour >= 18
        if weekend:
            return cls.WEEKEND_EVENING if evening else cls.WEEKEND_DAY
        return cls.WEEKDAY_EVENING if evening else cls.WEEKDAY_DAY


class Skill(models.Model):
    """A skill tag (园艺, 摄影, 法律咨询 ...), shared by all towns."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProfileFields(Scoped, models.Model):
    """What an applicant says about themselves; copied onto the partner on acceptance."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    area = area_link(related_name="+")
    profession = models.CharField(_("profession"), max_length=40)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="+")
    party_status = models.CharField(
        _("party membership"), max_length=20, choices=PartyStatus.choices, default=PartyStatus.NONE
    )
    # When the person can usually serve: one flag per Slot, so lists can filter on it.
    weekday_day = models.BooleanField(_("weekday daytime"), default=False)
    weekday_evening = models.BooleanField(_("weekday evening"), default=False)
    weekend_day = models.BooleanField(_("weekend daytime"), default=False)
    weekend_evening = models.BooleanField(_("weekend evening"), default=False)

    class Meta:
        abstract = True

    @property
    def availability(self) -> list[str]:
        """The Slot values this person is available in."""
        return [slot.value for slot in Slot if getattr(self, slot.value)]

    @availability.setter
    def availability(self, slots) -> None:
        for slot in Slot:
            setattr(self, slot.value, slot.value in slots)

    def get_availability_display(self) -> list[str]:
        return [str(slot.label) for slot in Slot if getattr(self, slot.value)]


class Channel(models.TextChoices):
    ONLINE = "online", _("Online recruitment")
    RECOMMENDED = "recommended", _("Community recommendation")
    IMPORTED = "imported", _("Imported from a ledger")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    MORE_INFO = "more_info", _("More information requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        """Applications still waiting for a decision."""
        return self.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.MORE_INFO])


class Application(TimeStampedModel, ProfileFields):
    """A resident's application to become a community partner of a town."""

    town = town_link(related_name="applications")
    applicant = person_link(_("applicant"), related_name="partner_applications")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    modes_wanted = models.JSONField(_("work modes wanted"), default=list)
    motivation = models.TextField(_("motivation"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    decision_note = models.TextField(_("reason or question"), blank=True)
    decided_by = person_link(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner application")
        verbose_name_plural = _("partner applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open application per person and town: a second one is a duplicate.
            models.UniqueConstraint(
                fields=["town", "applicant"],
                condition=models.Q(status__in=["submitted", "more_info"]),
                name="one_open_application_per_town",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decision_note=""),
                name="declined_application_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.get_status_display()}"

    @property
    def audit_label(self) -> str:
        return f"application #{self.pk}"

    def get_modes_wanted_display(self) -> list[str]:
        labels = dict(Mode.choices)
        return [str(labels[m]) for m in self.modes_wanted if m in labels]


class PartnerStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("partner status", "Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=PartnerStatus.ACTIVE)

    def with_mode(self, mode: str):
        return self.filter(modes__mode=mode)

    def by_pinyin(self):
        """In the order Chinese readers expect: by the pinyin of the name, the surname
        read as a surname."""
        return self.order_by("name_sort", "name", "pk")

    def for_directory(self):
        """What the directory and matching show, in a fixed number of queries."""
        return self.select_related("area", "user").prefetch_related("skills", "modes")


class Partner(PinyinSorted, TimeStampedModel, ProfileFields):
    """An enrolled community partner (社区合伙人) of one town."""

    pinyin_person = True

    town = town_link(related_name="partners")
    user = person_link(_("account"), related_name="partnerships")
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PartnerStatus.choices, default=PartnerStatus.ACTIVE
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("community partner")
        verbose_name_plural = _("community partners")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["town", "user"], name="one_partner_per_user_and_town")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:partner", args=[self.town.slug, self.pk])

    @property
    def audit_label(self) -> str:
        return f"partner #{self.pk}"

    @property
    def primary_mode(self) -> str | None:
        # Reads the prefetched modes when present (directory pages), else queries.
        return next((m.mode for m in self.modes.all() if m.is_primary), None)

    @property
    def secondary_modes(self) -> list[str]:
        return [m.mode for m in self.modes.all() if not m.is_primary]

    @property
    def mode_labels(self) -> list[str]:
        labels = dict(Mode.choices)
        ordered = sorted(self.modes.all(), key=lambda m: (not m.is_primary, m.mode))
        return [str(labels[m.mode]) for m in ordered]


class PartnerMode(models.Model):
    """A partner's work mode; exactly one of them is primary."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="modes"
    )
    mode = models.CharField(_("work mode"), max_length=20, choices=Mode.choices)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("partner work mode")
        verbose_name_plural = _("partner work modes")
        constraints = [
            models.UniqueConstraint(fields=["partner", "mode"], name="partner_mode_once"),
            models.UniqueConstraint(
                fields=["partner"],
                condition=models.Q(is_primary=True),
                name="one_primary_mode_per_partner",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=[m.value for m in Mode]), name="partner_mode_known"
            ),
        ]

    def __str__(self):
        return self.get_mode_display()


class RecommendationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the resident")
    CONFIRMED = "confirmed", _("Confirmed by the resident")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Recommendation(Scoped, TimeStampedModel):
    """Area staff or a partner recommends a resident; nothing more happens until the
    resident opens the one-time link and applies themselves."""

    VALID_DAYS = 14

    town = town_link(related_name="+")
    area = area_link(related_name="+")
    recommended_by = person_link(_("recommended by"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    phone = models.CharField(_("mobile number"), max_length=11)
    reason = models.TextField(_("why"), max_length=500)
    # Only the hash of the link's token is stored: a leaked database gives no links.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link valid until"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PENDING,
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendation",
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def audit_label(self) -> str:
        return f"recommendation #{self.pk}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class Commitment(models.Model):
    """A partner is busy at a time (hosting a table, an interview, a jury ...).

    Later capabilities write these when they assign people; matching leaves out
    partners committed at the time of a need and counts upcoming ones as load.
    """

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="commitments"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    what = models.CharField(_("what"), max_length=120)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="commitment_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.partner} · {self.what}"
