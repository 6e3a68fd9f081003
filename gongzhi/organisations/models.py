"""The "1+5+n" organisation of a town: one secretariat, five committees (one per
work mode) and any number of teams, with memberships whose history is kept."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import town_link
from gongzhi.core.models import TimeStampedModel
from gongzhi.core.pinyin import PinyinSorted
from gongzhi.core.scope import Scope, Scoped
from gongzhi.partners.models import Mode


class UnitKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    COMMITTEE = "committee", _("Committee")
    TEAM = "team", _("Team")


class TeamBasis(models.TextChoices):
    """What a team forms around."""

    LEADER = "leader", _("A planning leader")
    GROUP = "group", _("A planning group")


class OrgUnit(Scoped, PinyinSorted, TimeStampedModel):
    town = town_link(related_name="org_units")
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    mode = models.CharField(
        _("work mode"), max_length=20, choices=Mode.choices, blank=True, default=""
    )
    basis = models.CharField(
        _("formed around"), max_length=10, choices=TeamBasis.choices, blank=True, default=""
    )
    leader = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("planning leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_teams",
    )
    group_name = models.CharField(_("planning group"), max_length=60, blank=True)
    areas = models.ManyToManyField(
        "places.ResidentialArea",
        verbose_name=_("residential areas"),
        blank=True,
        related_name="teams",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["town", "kind", "mode", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["town"], condition=Q(kind="secretariat"), name="one_secretariat_per_town"
            ),
            # With a mode required and unique per town, a town can never have a sixth
            # committee; set_up_organisation creates all five at once.
            models.UniqueConstraint(
                fields=["town", "mode"],
                condition=Q(kind="committee"),
                name="one_committee_per_mode",
            ),
            models.CheckConstraint(
                condition=(Q(kind="committee") & Q(mode__in=[m.value for m in Mode]))
                | (~Q(kind="committee") & Q(mode="")),
                name="committee_has_a_mode_others_none",
            ),
            models.CheckConstraint(
                condition=~Q(kind="team")
                | (Q(basis="leader") & Q(leader__isnull=False))
                | (Q(basis="group") & ~Q(group_name="")),
                name="team_formed_around_leader_or_group",
            ),
            models.CheckConstraint(
                condition=Q(kind="team")
                | (Q(basis="") & Q(leader__isnull=True) & Q(group_name="")),
                name="only_teams_have_a_basis",
            ),
            models.UniqueConstraint(fields=["town", "name"], name="unit_name_unique_in_town"),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_label(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    def get_absolute_url(self):
        return reverse("organisations:unit", args=[self.town.slug, self.pk])


class MemberRole(models.TextChoices):
    HEAD = "head", _("Head")
    DEPUTY = "deputy", _("Deputy")
    LEADER = "leader", _("Leader")
    MEMBER = "member", _("Member")


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships running on a date (today by default). The end date is the day
        the membership stopped, so a membership ended today is no longer current."""
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gt=on))


class Membership(TimeStampedModel):
    """A partner's role in a unit over a term. Ending a membership sets end_date;
    rows are never deleted, so the history stays."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("ended on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit", "end_date", "role", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "partner"],
                condition=Q(end_date__isnull=True),
                name="one_open_membership_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.partner} · {self.unit} · {self.get_role_display()}"

    @property
    def scope(self) -> Scope:
        return Scope(self.unit.town_id, None)

    @property
    def audit_label(self) -> str:
        return f"membership #{self.pk}"
