"""Towns, their residential areas and sites, and who holds which role where."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import person_link
from gongzhi.core.models import TimeStampedModel
from gongzhi.core.pinyin import PinyinSorted
from gongzhi.core.scope import Role, Scope, Scoped


class Town(TimeStampedModel):
    """A town (镇) or sub-district (街道) running the programme."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("short name in addresses"), max_length=40, unique=True)
    district = models.CharField(_("district"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def scope(self) -> Scope:
        return Scope(self.pk, None)

    def get_absolute_url(self):
        return reverse("places:town", args=[self.slug])


class ResidentialAreaQuerySet(models.QuerySet):
    def in_town(self, town):
        return self.filter(town=town)

    def by_pinyin(self):
        """In the order Chinese readers expect: by the pinyin of the name."""
        return self.order_by("name_sort", "name", "pk")

    def choices_in(self, town):
        """The town's areas in pinyin order, for the choice fields of forms (none when
        ``town`` is None)."""
        return self.in_town(town).select_related("town").by_pinyin()


class ResidentialArea(PinyinSorted, TimeStampedModel):
    """The area of one residents' committee (居民区)."""

    town = models.ForeignKey(
        Town, verbose_name=_("town"), on_delete=models.PROTECT, related_name="areas"
    )
    name = models.CharField(_("name"), max_length=60)
    code = models.CharField(
        _("code"), max_length=20, help_text=_("The town's own number for the area, e.g. 01.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    # Areas that share a border; matching counts a partner next door as nearby.
    neighbours = models.ManyToManyField(
        "self", verbose_name=_("neighbouring areas"), blank=True, symmetrical=True
    )

    objects = ResidentialAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("residential area")
        verbose_name_plural = _("residential areas")
        ordering = ["town", "code"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="area_name_unique_in_town"),
            models.UniqueConstraint(fields=["town", "code"], name="area_code_unique_in_town"),
        ]

    def __str__(self):
        return self.name

    @property
    def scope(self) -> Scope:
        return Scope(self.town_id, self.pk)

    def get_absolute_url(self):
        return reverse("places:area", args=[self.town.slug, self.pk])


class SiteKind(models.TextChoices):
    GREEN_SPACE = "green_space", _("Green space or garden")
    PATH = "path", _("Path or roadside")
    WALL = "wall", _("Wall or facade")
    PAVILION = "pavilion", _("Pavilion or stairwell")
    GATE = "gate", _("Gate or entrance")
    PUBLIC_ROOM = "public_room", _("Public room or hall")
    FACILITY = "facility", _("Convenience facility")
    OTHER = "other", _("Other")


class Site(Scoped, TimeStampedModel):
    """A place (点位) inside a residential area that may be renewed or used as a venue."""

    town = models.ForeignKey(
        Town, verbose_name=_("town"), on_delete=models.PROTECT, related_name="sites"
    )
    area = models.ForeignKey(
        ResidentialArea,
        verbose_name=_("residential area"),
        on_delete=models.PROTECT,
        related_name="sites",
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="site_name_unique_in_area"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="site_coordinates_both_or_none",
            ),
        ]

    def __str__(self):
        return f"{self.area.name} · {self.name}" if self.area_id else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.area_id and self.town_id and self.area.town_id != self.town_id:
            raise ValidationError({"area": _("The area must belong to the site's town.")})


class RoleGrant(Scoped, TimeStampedModel):
    """A role held by a user in one town; area staff also name their areas.

    Residents need no grant (every account is one); the deployment's administrator
    is a superuser. The partners capability grants the partner role on enrolment.
    """

    GRANTABLE = [Role.PARTNER, Role.AREA_STAFF, Role.SECRETARIAT]

    user = person_link(_("user"), related_name="role_grants", on_delete=models.CASCADE)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[(r.value, r.label) for r in GRANTABLE],
    )
    town = models.ForeignKey(
        Town, verbose_name=_("town"), on_delete=models.CASCADE, related_name="role_grants"
    )
    areas = models.ManyToManyField(
        ResidentialArea,
        verbose_name=_("residential areas"),
        blank=True,
        related_name="staff_grants",
        help_text=_("For area staff: the areas they serve."),
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "town"], name="one_grant_per_role_town"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["partner", "area_staff", "secretariat"]),
                name="role_grant_known_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.town}"
