from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .models import Notification
from .navigation import PILLARS


def navigation(request):
    """Navigation entries for the base template. Does no database work: the town
    comes from the URL, so the page floor of the benchmark stays query-free."""
    match = getattr(request, "resolver_match", None)
    town_slug = match.kwargs.get("town_slug") if match else None
    items = []
    for pillar in PILLARS:
        url = (
            reverse(pillar.url_name, args=[town_slug]) if (pillar.url_name and town_slug) else None
        )
        items.append({"key": pillar.key, "label": pillar.label, "url": url})
    user = getattr(request, "user", None)
    unread = None
    if user is not None and user.is_authenticated:
        # Lazy: counted only when a template shows it.
        unread = SimpleLazyObject(lambda: Notification.objects.filter(user=user).unread().count())
    return {"nav_pillars": items, "nav_town_slug": town_slug, "unread_notifications": unread}
