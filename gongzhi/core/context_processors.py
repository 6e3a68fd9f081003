from django.urls import reverse

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
    return {"nav_pillars": items, "nav_town_slug": town_slug}
