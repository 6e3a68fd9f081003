"""The links most models share, declared once.

Nearly every record belongs to a town, many to a residential area, and most name the
person who made or decided them. These helpers hold the common choices for such links,
so a model says only what differs: its label, its reverse name, whether it is optional.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _link(to, verbose_name, *, related_name, optional=False, on_delete=models.PROTECT, **kwargs):
    if optional:
        kwargs.update(null=True, blank=True)
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=on_delete, related_name=related_name, **kwargs
    )


def person_link(verbose_name, *, related_name="+", **kwargs):
    """A link to a person. Protected by default (a person named on a record stays
    named; accounts are anonymised, not deleted) and with no reverse accessor unless
    the person's side reads it (``related_name``)."""
    return _link(settings.AUTH_USER_MODEL, verbose_name, related_name=related_name, **kwargs)


def town_link(*, related_name, verbose_name=None, **kwargs):
    """The town a record belongs to: the first scope of every query."""
    return _link("places.Town", verbose_name or _("town"), related_name=related_name, **kwargs)


def area_link(*, related_name, verbose_name=None, **kwargs):
    """The residential area a record belongs to (``optional=True`` for town-wide ones)."""
    verbose_name = verbose_name or _("residential area")
    return _link("places.ResidentialArea", verbose_name, related_name=related_name, **kwargs)
