from django.utils.functional import SimpleLazyObject

from .display import elder_mode_on
from .models import Notification
from .navigation import PILLARS, TABS, entries, section_of


def navigation(request):
    """Navigation entries for the base template. Does no database work: the town
    comes from the URL, or is picked by places:go when an entry is followed, so the
    page floor of the benchmark and the error pages stay query-free."""
    match = getattr(request, "resolver_match", None)
    town_slug = match.kwargs.get("town_slug") if match else None
    current = section_of(match)
    user = getattr(request, "user", None)
    unread = None
    if user is not None and user.is_authenticated:
        unread = getattr(request, "unread_notifications", None)  # a kept page counted it
        if unread is None:
            # Lazy: counted only when a template shows it.
            unread = SimpleLazyObject(
                lambda: Notification.objects.filter(user=user).unread().count()
            )
    return {
        "nav_pillars": entries(PILLARS, town_slug, current, request.path),
        "nav_tabs": entries(TABS, town_slug, current, request.path),
        "unread_notifications": unread,
    }


def display_mode(request):
    """长辈版 or the standard pages (core/display.py): ``elder_mode`` for the templates
    that put a page's main task first, ``display_class`` for <html>. No database work."""
    on = elder_mode_on(request)
    return {"elder_mode": on, "display_class": "elder" if on else "standard"}
