"""Accounts: residents log in with a mainland mobile number; consent is on record."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import area_link
from gongzhi.core.pinyin import PinyinSorted

phone_validator = RegexValidator(
    r"^1\d{10}$",
    _("Enter a mainland mobile number: 11 digits starting with 1."),
    code="invalid_phone",
)


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_34 = "18_34", _("18–34")
    AGE_35_59 = "35_59", _("35–59")
    AGE_60_69 = "60_69", _("60–69")
    AGE_70_PLUS = "70_plus", _("70 and over")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone, password=None, **extra):
        if not phone:
            raise ValueError("A mobile number is required.")
        user = self.model(phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(PinyinSorted, AbstractBaseUser, PermissionsMixin):
    pinyin_source = "display_name"
    pinyin_person = True

    # Null only after the account is deleted: the row stays so that public
    # contributions keep an (anonymous) author, but the number is gone.
    phone = models.CharField(
        _("mobile number"), max_length=11, unique=True, null=True, validators=[phone_validator]
    )
    # Proven by a code sent to the number (sign-up, log-in by code, claiming an account
    # made at the door). Until then the number receives codes and nothing else.
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)
    display_name = models.CharField(_("display name"), max_length=40)
    residential_area = area_link(related_name="residents", optional=True, on_delete=models.SET_NULL)
    # Kept only while the "age_band" consent stands (see services.withdraw_consent).
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    # 长辈版: larger text and buttons, one column, the main tasks first. None until the
    # person chooses: then the browser's cookie decides (a choice made before logging
    # in carries on); once chosen on the account it wins on every device.
    elder_mode = models.BooleanField(_("older residents' mode"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or str(_("Deleted user"))

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @property
    def audit_label(self) -> str:
        """How the audit trail names a user: never by name or number."""
        return f"user #{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ConsentKind(models.TextChoices):
    PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")
    AGE_BAND = "age_band", _("Age band for participation statistics")
    PARTNER_PROFILE = "partner_profile", _("Community partner profile")
    SMS_NOTIFICATIONS = "sms_notifications", _("Text messages about my participation")


class ConsentQuerySet(models.QuerySet):
    def active(self):
        """Consents given and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class ConsentRecord(models.Model):
    """What a person agreed to, for which purpose, when, and whether withdrawn."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("what"), max_length=40, choices=ConsentKind.choices)
    purpose = models.TextField(_("purpose"))
    notice_version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-given_at"]
        constraints = [
            # At most one standing consent of each kind per person.
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.given_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
