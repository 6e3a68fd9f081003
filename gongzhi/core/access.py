"""Checked getters: views fetch protected objects through these, never bare."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _


class LoginRequired(Exception):
    """Raised for an anonymous visitor; turned into a redirect to the log-in page."""


def check_perm(request, perm: str, obj=None) -> None:
    """Raise unless request.user holds ``perm`` on ``obj`` (django-rules)."""
    if not request.user.has_perm(perm, obj):
        if not request.user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied


def require_perm(actor, perm: str, obj=None) -> None:
    """For services: raise PermissionDenied unless ``actor`` holds ``perm`` on ``obj``.

    Views check permission before they call a service, but the API, management
    commands and other services call the same functions; checking here too means
    that a view whose check is lost still cannot act for someone who may not.
    """
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))


def get_checked(request, perm: str, queryset, **lookup):
    """Fetch one object (404 when absent) and check ``perm`` on it (403 when denied)."""
    obj = get_object_or_404(queryset, **lookup)
    check_perm(request, perm, obj)
    return obj


class LoginRequiredMiddleware:
    """Turns LoginRequired from a checked getter into the usual redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        return None
