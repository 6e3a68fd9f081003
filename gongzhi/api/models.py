"""Tokens for integrations: another system calls the API in the name of one account."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import person_link


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A bearer token. Only the SHA-256 digest of the key is stored: the plain key is
    shown once, when the token is created, and cannot be read back."""

    user = person_link(_("account"), related_name="api_tokens", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=80)
    digest = models.CharField(_("key digest (SHA-256)"), max_length=64, unique=True)
    prefix = models.CharField(_("key prefix"), max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def audit_label(self) -> str:
        return f"API token #{self.pk} {self.prefix}…"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
